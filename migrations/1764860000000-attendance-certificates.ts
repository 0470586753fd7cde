import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The attendance certificates (attestations de présence) of workshop attendees: one per booking,
 * written the first time it is issued, so its reference (ATT-<year of the workshop>-<number>) never
 * changes and no two certificates share one. The number comes from a sequence: two first downloads
 * at once take two numbers without waiting for each other (a gap is harmless). No personal data here:
 * the name and organisation are read from the booking each time, and refused once it is anonymised.
 */
export class AttendanceCertificates1764860000000 implements MigrationInterface {
  name = 'AttendanceCertificates1764860000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE attendance_certificate_numbers AS bigint`);
    await db.query(`
      CREATE TABLE attendance_certificates (
        booking_id uuid NOT NULL CONSTRAINT attendance_certificates_pkey PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
        number bigint NOT NULL DEFAULT nextval('attendance_certificate_numbers') CONSTRAINT attendance_certificates_number_key UNIQUE,
        reference text NOT NULL CONSTRAINT attendance_certificates_reference_key UNIQUE CHECK (reference ~ '^ATT-[0-9]{4}-[0-9]{5,}$'),
        issued_at timestamptz NOT NULL
      )`);
    await db.query(`ALTER SEQUENCE attendance_certificate_numbers OWNED BY attendance_certificates.number`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE attendance_certificates`);
  }
}
