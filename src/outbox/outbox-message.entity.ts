import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The messages about a booking or a session, rendered from templates/mail/<kind>.*.hbs by renderMail. */
export const BOOKING_MAIL_KINDS = [
  'booking_confirmed',
  'booking_cancelled',
  'booking_rescheduled',
  'session_cancelled',
  'session_moved',
  'session_changed',
  'workshop_confirmed',
  'workshop_waitlisted',
  'workshop_promoted',
  'workshop_cancelled',
  'workshop_changed',
  'reminder',
  'advisor_slot_booked',
  'advisor_slot_cancelled',
  'satisfaction',
] as const;
export type BookingMailKind = (typeof BOOKING_MAIL_KINDS)[number];

/** The staff's account messages (invitation, forgotten password), composed by AccountMails. */
export const ACCOUNT_MAIL_KINDS = ['account_invitation', 'password_reset'] as const;
export type AccountMailKind = (typeof ACCOUNT_MAIL_KINDS)[number];

export const OUTBOX_KINDS = [...BOOKING_MAIL_KINDS, ...ACCOUNT_MAIL_KINDS] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** A message owed to someone, recorded in the same transaction as the change that caused it. */
@Entity('outbox_messages')
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  kind: OutboxKind;

  @Column('uuid', { name: 'booking_id', nullable: true })
  bookingId: string | null;

  @Column('text')
  recipient: string;

  @Column('jsonb')
  payload: Record<string, string | number | boolean | null>;

  @Column('text')
  status: 'pending' | 'sent' | 'failed';

  @Column('integer')
  attempts: number;

  /** The booking's invite SEQUENCE when this message was recorded. */
  @Column('integer', { name: 'ical_sequence', nullable: true })
  icalSequence: number | null;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('timestamptz', { name: 'available_at' })
  availableAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
