import { MigrationInterface, QueryRunner } from 'typeorm';

/** Attendance of each booking, with who recorded it and when. */
export class Attendance1764480000000 implements MigrationInterface {
  name = 'Attendance1764480000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE bookings
        ADD COLUMN attendance text CONSTRAINT bookings_attendance_check CHECK (attendance IN ('present', 'absent', 'excused')),
        ADD COLUMN attendance_note text,
        ADD COLUMN attendance_recorded_by uuid REFERENCES users (id) ON DELETE SET NULL,
        ADD COLUMN attendance_recorded_at timestamptz,
        ADD CONSTRAINT bookings_attendance_confirmed_check CHECK (attendance IS NULL OR status = 'confirmed')`);
    await db.query(`CREATE INDEX desks_session_idx ON desks (session_id)`);
    await db.query(`CREATE INDEX permanence_sessions_date_idx ON permanence_sessions (date)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX permanence_sessions_date_idx, desks_session_idx`);
    await db.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_attendance_confirmed_check,
      DROP COLUMN attendance_recorded_at, DROP COLUMN attendance_recorded_by, DROP COLUMN attendance_note, DROP COLUMN attendance`);
  }
}
