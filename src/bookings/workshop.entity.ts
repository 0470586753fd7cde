import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type WorkshopStatus = 'scheduled' | 'cancelled';

/**
 * A half-day workshop with limited seats. `confirmed` and `waitlisted` count its bookings; PostgreSQL
 * keeps confirmed ≤ capacity and lets nobody wait while a seat is free.
 */
@Entity('workshops')
export class Workshop {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  title: string;

  @Column('text')
  description: string;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt: Date;

  @Column('text', { name: 'time_zone' })
  timeZone: string;

  @Column('text')
  location: string;

  @Column('integer')
  capacity: number;

  @Column('integer')
  confirmed: number;

  @Column('integer')
  waitlisted: number;

  @Column('boolean', { name: 'waitlist_enabled' })
  waitlistEnabled: boolean;

  @Column('timestamptz', { name: 'registration_opens_at', nullable: true })
  registrationOpensAt: Date | null;

  @Column('timestamptz', { name: 'registration_closes_at' })
  registrationClosesAt: Date;

  /** At most this many active registrations per organisation (same SIRET, else same name). */
  @Column('integer', { name: 'organisation_limit', nullable: true })
  organisationLimit: number | null;

  @Column('text')
  status: WorkshopStatus;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
