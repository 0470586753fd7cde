import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A recurring permanence: an RRULE over floating local dates, with wall-clock times in `timeZone`. */
@Entity('permanence_series')
export class PermanenceSeries {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** RRULE body without DTSTART, e.g. `FREQ=MONTHLY;BYDAY=-1TH` (the last Thursday). */
  @Column('text')
  rule: string;

  @Column('date', { name: 'anchor_date' })
  anchorDate: string;

  @Column('text', { name: 'time_zone' })
  timeZone: string;

  /** `HH:mm:ss` as PostgreSQL returns a `time`. */
  @Column('time', { name: 'start_time' })
  startTime: string;

  @Column('time', { name: 'end_time' })
  endTime: string;

  @Column('integer', { name: 'slot_minutes' })
  slotMinutes: number;

  @Column('integer', { name: 'slot_capacity' })
  slotCapacity: number;

  @Column('text')
  location: string;

  @Column('boolean', { name: 'is_default' })
  isDefault: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
