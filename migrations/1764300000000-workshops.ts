import { MigrationInterface, QueryRunner } from 'typeorm';

/** Statute workshops with seats and a waitlist, booked through the same bookings table as slots. */
export class Workshops1764300000000 implements MigrationInterface {
  name = 'Workshops1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE workshops (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        location text NOT NULL,
        capacity integer NOT NULL CONSTRAINT workshops_capacity_check CHECK (capacity >= 1),
        confirmed integer NOT NULL DEFAULT 0,
        waitlisted integer NOT NULL DEFAULT 0,
        waitlist_enabled boolean NOT NULL DEFAULT true,
        registration_opens_at timestamptz,
        registration_closes_at timestamptz NOT NULL,
        organisation_limit integer CONSTRAINT workshops_organisation_limit_check CHECK (organisation_limit >= 1),
        status text NOT NULL DEFAULT 'scheduled' CONSTRAINT workshops_status_check CHECK (status IN ('scheduled', 'cancelled')),
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT workshops_times_check CHECK (ends_at > starts_at),
        CONSTRAINT workshops_window_check CHECK (registration_opens_at IS NULL OR registration_opens_at < registration_closes_at),
        CONSTRAINT workshops_confirmed_within_capacity CHECK (confirmed >= 0 AND confirmed <= capacity),
        -- Nobody waits while a seat is free: the waitlist is only ever non-empty on a full workshop.
        CONSTRAINT workshops_no_wait_with_free_seat CHECK (waitlisted >= 0 AND (waitlisted = 0 OR confirmed = capacity))
      )`);
    await db.query(`CREATE INDEX workshops_starts_at_idx ON workshops (starts_at)`);

    await db.query(`ALTER TABLE bookings ALTER COLUMN slot_id DROP NOT NULL`);
    await db.query(`ALTER TABLE bookings ADD COLUMN workshop_id uuid REFERENCES workshops (id) ON DELETE RESTRICT`);
    await db.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_one_target CHECK (num_nonnulls(slot_id, workshop_id) = 1)`);
    await db.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_status_check`);
    await db.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN ('confirmed', 'waitlisted', 'cancelled'))`);
    // Order on the waitlist; a person's position is 1 + how many wait before them, so positions have no gaps.
    await db.query(`CREATE SEQUENCE bookings_waitlist_seq`);
    await db.query(`ALTER TABLE bookings ADD COLUMN waitlist_seq bigint`);
    await db.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_waitlist_check CHECK ((status = 'waitlisted') = (waitlist_seq IS NOT NULL))`);
    await db.query(`ALTER TABLE bookings ADD COLUMN promoted_at timestamptz`);
    await db.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_attention_check`);
    await db.query(
      `ALTER TABLE bookings ADD CONSTRAINT bookings_attention_check CHECK (attention IN ('session_cancelled', 'session_moved', 'session_changed', 'workshop_cancelled', 'workshop_changed'))`,
    );
    await db.query(`
      CREATE UNIQUE INDEX bookings_workshop_email_key ON bookings (workshop_id, lower(attendee_email))
      WHERE status <> 'cancelled' AND workshop_id IS NOT NULL`);
    await db.query(`CREATE INDEX bookings_workshop_waitlist_idx ON bookings (workshop_id, waitlist_seq) WHERE status = 'waitlisted'`);
    await db.query(`CREATE INDEX bookings_workshop_idx ON bookings (workshop_id)`);

    // Decides a registration under the workshop's row lock and counts it, in one round trip. Being a
    // volatile function, each statement in it reads with a fresh snapshot, so the checks after the
    // lock see every registration committed while it waited.
    await db.query(`
      CREATE FUNCTION take_workshop_seat(p_workshop uuid, p_now timestamptz, p_email text, p_siret text, p_organisation text)
      RETURNS TABLE (outcome text, waitlist_position integer) LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        w workshops%ROWTYPE;
      BEGIN
        SELECT * INTO w FROM workshops WHERE id = p_workshop FOR UPDATE;
        IF NOT FOUND THEN RETURN QUERY SELECT 'workshop_not_found', NULL::integer; RETURN; END IF;
        IF w.status <> 'scheduled' THEN RETURN QUERY SELECT 'workshop_cancelled', NULL::integer; RETURN; END IF;
        IF w.registration_opens_at IS NOT NULL AND p_now < w.registration_opens_at THEN
          RETURN QUERY SELECT 'registration_not_open', NULL::integer; RETURN;
        END IF;
        IF p_now >= w.registration_closes_at THEN RETURN QUERY SELECT 'registration_closed', NULL::integer; RETURN; END IF;
        IF EXISTS (SELECT 1 FROM bookings b WHERE b.workshop_id = p_workshop AND b.status <> 'cancelled' AND lower(b.attendee_email) = lower(p_email)) THEN
          RETURN QUERY SELECT 'already_booked', NULL::integer; RETURN;
        END IF;
        IF w.organisation_limit IS NOT NULL AND (
          SELECT count(*) FROM bookings b WHERE b.workshop_id = p_workshop AND b.status <> 'cancelled'
            AND (CASE WHEN p_siret IS NOT NULL THEN b.organisation_siret = p_siret
                      ELSE b.organisation_siret IS NULL AND lower(btrim(b.organisation_name)) = lower(btrim(p_organisation)) END)
        ) >= w.organisation_limit THEN
          RETURN QUERY SELECT 'organisation_limit_reached', NULL::integer; RETURN;
        END IF;
        IF w.confirmed < w.capacity THEN
          UPDATE workshops SET confirmed = confirmed + 1, updated_at = p_now WHERE id = p_workshop;
          RETURN QUERY SELECT 'confirmed', NULL::integer; RETURN;
        END IF;
        IF NOT w.waitlist_enabled THEN RETURN QUERY SELECT 'workshop_full', NULL::integer; RETURN; END IF;
        UPDATE workshops SET waitlisted = waitlisted + 1, updated_at = p_now WHERE id = p_workshop;
        RETURN QUERY SELECT 'waitlisted', w.waitlisted + 1;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION take_workshop_seat(uuid, timestamptz, text, text, text)`);
    await db.query(`DELETE FROM outbox_messages WHERE booking_id IN (SELECT id FROM bookings WHERE workshop_id IS NOT NULL)`);
    await db.query(`DELETE FROM bookings WHERE workshop_id IS NOT NULL`);
    await db.query(`DROP INDEX bookings_workshop_idx, bookings_workshop_waitlist_idx, bookings_workshop_email_key`);
    await db.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_attention_check`);
    await db.query(
      `ALTER TABLE bookings ADD CONSTRAINT bookings_attention_check CHECK (attention IN ('session_cancelled', 'session_moved', 'session_changed'))`,
    );
    await db.query(`ALTER TABLE bookings DROP COLUMN promoted_at, DROP COLUMN waitlist_seq, DROP COLUMN workshop_id`);
    await db.query(`DROP SEQUENCE bookings_waitlist_seq`);
    await db.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_status_check`);
    await db.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN ('confirmed', 'cancelled'))`);
    await db.query(`ALTER TABLE bookings ALTER COLUMN slot_id SET NOT NULL`);
    await db.query(`DROP TABLE workshops`);
  }
}
