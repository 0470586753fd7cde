import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type BookingStatus = 'confirmed' | 'waitlisted' | 'cancelled';
export type CancelledBy = 'attendee' | 'staff' | 'system';
/** Why a booking needs the attendee's attention after a change made by the CRESS. */
export type BookingAttention = 'session_cancelled' | 'session_moved' | 'session_changed' | 'workshop_cancelled' | 'workshop_changed';

@Entity('bookings')
export class Booking {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** A permanence slot, or else… */
  @Column('uuid', { name: 'slot_id', nullable: true })
  slotId: string | null;

  /** …a workshop: exactly one of the two (`bookings_one_target`). */
  @Column('uuid', { name: 'workshop_id', nullable: true })
  workshopId: string | null;

  /** Order on the workshop's waitlist, while waitlisted. */
  @Column('bigint', { name: 'waitlist_seq', nullable: true })
  waitlistSeq: string | null;

  @Column('timestamptz', { name: 'promoted_at', nullable: true })
  promotedAt: Date | null;

  @Column('text')
  status: BookingStatus;

  @Column('text', { name: 'attendee_name' })
  attendeeName: string;

  @Column('text', { name: 'attendee_email' })
  attendeeEmail: string;

  @Column('text', { name: 'attendee_phone', nullable: true })
  attendeePhone: string | null;

  @Column('text', { name: 'organisation_name' })
  organisationName: string;

  /** The register entry (set by the database when the booking is inserted). */
  @Column('uuid', { name: 'organisation_id', nullable: true })
  organisationId: string | null;

  @Column('text', { name: 'organisation_siret', nullable: true })
  organisationSiret: string | null;

  @Column('text', { name: 'organisation_legal_form', nullable: true })
  organisationLegalForm: string | null;

  @Column('text', { name: 'organisation_postcode', nullable: true })
  organisationPostcode: string | null;

  /** INSEE code of the organisation's commune, from the postcode (or chosen among its communes). */
  @Column('text', { name: 'organisation_commune_code', nullable: true })
  organisationCommuneCode: string | null;

  @Column('text', { array: true })
  topics: string[];

  @Column('text', { nullable: true })
  message: string | null;

  @Column('timestamptz', { name: 'consent_at' })
  consentAt: Date;

  /** The version of the personal-data notice the person agreed to (src/bookings/consent.ts); null before it was recorded. */
  @Column('text', { name: 'consent_version', nullable: true })
  consentVersion: string | null;

  /** The staff member a consent was given to orally (a booking made for someone who phoned or came in); null online. */
  @Column('uuid', { name: 'consent_given_to', nullable: true })
  consentGivenTo: string | null;

  /** When the contact data was anonymised (retention period over, or erased on request). */
  @Column('timestamptz', { name: 'anonymised_at', nullable: true })
  anonymisedAt: Date | null;

  /** SHA-256 of the manage token; the token itself is only ever in the creation response and e-mails. */
  @Column('bytea', { name: 'manage_token_hash', select: false })
  manageTokenHash: Buffer;

  @Column('text', { name: 'ical_uid' })
  icalUid: string;

  @Column('integer')
  sequence: number;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;

  @Column('text', { name: 'cancelled_by', nullable: true })
  cancelledBy: CancelledBy | null;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  @Column('text', { nullable: true })
  attention: BookingAttention | null;

  @Column('timestamptz', { name: 'attention_at', nullable: true })
  attentionAt: Date | null;

  @Column('text', { nullable: true })
  attendance: 'present' | 'absent' | 'excused' | null;

  @Column('text', { name: 'attendance_note', nullable: true })
  attendanceNote: string | null;

  @Column('uuid', { name: 'attendance_recorded_by', nullable: true })
  attendanceRecordedBy: string | null;

  @Column('timestamptz', { name: 'attendance_recorded_at', nullable: true })
  attendanceRecordedAt: Date | null;

  /** Set when the reminder was recorded; cleared when the booking moves, so the new time gets one. */
  @Column('timestamptz', { name: 'reminder_sent_at', nullable: true })
  reminderSentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
