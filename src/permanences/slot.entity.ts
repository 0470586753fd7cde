import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('slots')
export class Slot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('uuid', { name: 'desk_id' })
  deskId: string;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt: Date;

  @Column('integer')
  capacity: number;

  /** Confirmed bookings on the slot; PostgreSQL keeps it within 0..capacity (`slots_booked_within_capacity`). */
  @Column('integer')
  booked: number;

  /** False once the session is cancelled; the booking statement checks it on the row it locks. */
  @Column('boolean')
  bookable: boolean;
}
