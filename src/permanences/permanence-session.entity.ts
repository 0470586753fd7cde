import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SessionStatus = 'scheduled' | 'cancelled';

/** One permanence on one local date: generated from a series, or added by an admin (no series). */
@Entity('permanence_sessions')
export class PermanenceSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'series_id', nullable: true })
  seriesId: string | null;

  /** The rule's date this session stands for; with `seriesId`, the key that makes generation idempotent. */
  @Column('date', { name: 'occurrence_date', nullable: true })
  occurrenceDate: string | null;

  @Column('date')
  date: string;

  @Column('date', { name: 'original_date', nullable: true })
  originalDate: string | null;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt: Date;

  @Column('text', { name: 'time_zone' })
  timeZone: string;

  @Column('text')
  location: string;

  @Column('integer', { name: 'slot_minutes' })
  slotMinutes: number;

  @Column('integer', { name: 'slot_capacity' })
  slotCapacity: number;

  @Column('text')
  status: SessionStatus;

  @Column('text', { name: 'status_reason', nullable: true })
  statusReason: string | null;

  /** Set once an admin cancels or moves the session by hand: later edits of the series leave it alone. */
  @Column('boolean')
  overridden: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
