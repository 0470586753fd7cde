import { afterCapacityChange, afterLeaving, seatsToPromote } from './waitlist-rules';

describe('waitlist rules', () => {
  describe(seatsToPromote.name, () => {
    it.each([
      [{ capacity: 20, confirmed: 20, waitlisted: 5 }, 0, 'a full workshop promotes nobody'],
      [{ capacity: 20, confirmed: 19, waitlisted: 5 }, 1, 'one free seat promotes one'],
      [{ capacity: 20, confirmed: 15, waitlisted: 3 }, 3, 'never more than are waiting'],
      [{ capacity: 20, confirmed: 10, waitlisted: 0 }, 0, 'an empty waitlist promotes nobody'],
    ])('%j → %i (%s)', (seats, expected) => {
      expect(seatsToPromote(seats)).toBe(expected);
    });
  });

  describe(afterLeaving.name, () => {
    it('gives the seat a confirmed attendee frees to the first waiting', () => {
      expect(afterLeaving({ capacity: 20, confirmed: 20, waitlisted: 3 }, 'confirmed')).toEqual({
        seats: { capacity: 20, confirmed: 20, waitlisted: 2 },
        promote: 1,
      });
    });

    it('leaves the seat free when nobody waits', () => {
      expect(afterLeaving({ capacity: 20, confirmed: 20, waitlisted: 0 }, 'confirmed')).toEqual({
        seats: { capacity: 20, confirmed: 19, waitlisted: 0 },
        promote: 0,
      });
    });

    it('only shortens the line when a waiting person leaves', () => {
      expect(afterLeaving({ capacity: 20, confirmed: 20, waitlisted: 3 }, 'waitlisted')).toEqual({
        seats: { capacity: 20, confirmed: 20, waitlisted: 2 },
        promote: 0,
      });
    });
  });

  describe(afterCapacityChange.name, () => {
    it('promotes as many as the raise makes room for', () => {
      expect(afterCapacityChange({ capacity: 20, confirmed: 20, waitlisted: 8 }, 25)).toEqual({
        seats: { capacity: 25, confirmed: 25, waitlisted: 3 },
        promote: 5,
      });
      expect(afterCapacityChange({ capacity: 20, confirmed: 20, waitlisted: 2 }, 25)).toEqual({
        seats: { capacity: 25, confirmed: 22, waitlisted: 0 },
        promote: 2,
      });
    });

    it('allows lowering down to the number confirmed, and refuses below', () => {
      expect(afterCapacityChange({ capacity: 20, confirmed: 12, waitlisted: 0 }, 12)).toEqual({
        seats: { capacity: 12, confirmed: 12, waitlisted: 0 },
        promote: 0,
      });
      expect(afterCapacityChange({ capacity: 20, confirmed: 12, waitlisted: 0 }, 11)).toBeNull();
    });

    it('keeps the invariants for every small case: confirmed ≤ capacity, nobody waits while a seat is free', () => {
      for (let capacity = 1; capacity <= 6; capacity++) {
        for (let confirmed = 0; confirmed <= capacity; confirmed++) {
          for (let waitlisted = 0; waitlisted <= (confirmed === capacity ? 4 : 0); waitlisted++) {
            for (let next = 1; next <= 8; next++) {
              const result = afterCapacityChange({ capacity, confirmed, waitlisted }, next);
              if (result === null) {
                expect(next).toBeLessThan(confirmed);
                continue;
              }
              const { seats } = result;
              expect(seats.confirmed).toBeLessThanOrEqual(seats.capacity);
              expect(seats.waitlisted === 0 || seats.confirmed === seats.capacity).toBe(true);
              expect(seats.confirmed + seats.waitlisted).toBe(confirmed + waitlisted);
            }
          }
        }
      }
    });
  });
});
