import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff, the permanence series and its sessions, desks and slots, bookings, and the outbox. */
export class InitialSchema1764240000000 implements MigrationInterface {
  name = 'InitialSchema1764240000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CONSTRAINT users_role_check CHECK (role IN ('admin', 'advisor', 'viewer')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        token_version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await db.query(`
      CREATE TABLE permanence_series (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        rule text NOT NULL,
        anchor_date date NOT NULL,
        time_zone text NOT NULL,
        start_time time NOT NULL,
        end_time time NOT NULL,
        slot_minutes integer NOT NULL CONSTRAINT permanence_series_slot_minutes_check CHECK (slot_minutes BETWEEN 5 AND 480),
        slot_capacity integer NOT NULL DEFAULT 1 CONSTRAINT permanence_series_slot_capacity_check CHECK (slot_capacity >= 1),
        location text NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT permanence_series_times_check CHECK (end_time > start_time)
      )`);
    // At most one default series, even when several instances start together on an empty database.
    await db.query(`CREATE UNIQUE INDEX permanence_series_default_key ON permanence_series (is_default) WHERE is_default`);

    await db.query(`
      CREATE TABLE permanence_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        series_id uuid REFERENCES permanence_series (id) ON DELETE RESTRICT,
        occurrence_date date,
        date date NOT NULL,
        original_date date,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        location text NOT NULL,
        slot_minutes integer NOT NULL,
        slot_capacity integer NOT NULL,
        status text NOT NULL CONSTRAINT permanence_sessions_status_check CHECK (status IN ('scheduled', 'cancelled')),
        status_reason text,
        overridden boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT permanence_sessions_times_check CHECK (ends_at > starts_at),
        CONSTRAINT permanence_sessions_occurrence_check CHECK ((series_id IS NULL) = (occurrence_date IS NULL))
      )`);
    // Generation inserts with ON CONFLICT DO NOTHING on this key: idempotent, and safe with several instances.
    await db.query(`CREATE UNIQUE INDEX permanence_sessions_occurrence_key ON permanence_sessions (series_id, occurrence_date)`);
    await db.query(`CREATE INDEX permanence_sessions_starts_at_idx ON permanence_sessions (starts_at)`);

    await db.query(`
      CREATE TABLE desks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES permanence_sessions (id) ON DELETE CASCADE,
        position integer NOT NULL,
        advisor_id uuid REFERENCES users (id) ON DELETE RESTRICT,
        CONSTRAINT desks_position_key UNIQUE (session_id, position)
      )`);
    await db.query(`CREATE UNIQUE INDEX desks_session_advisor_key ON desks (session_id, advisor_id) WHERE advisor_id IS NOT NULL`);
    await db.query(`CREATE INDEX desks_advisor_idx ON desks (advisor_id)`);

    await db.query(`
      CREATE TABLE slots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES permanence_sessions (id) ON DELETE CASCADE,
        desk_id uuid NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        capacity integer NOT NULL CONSTRAINT slots_capacity_check CHECK (capacity >= 1),
        booked integer NOT NULL DEFAULT 0,
        -- False once the session is cancelled: the fact a booking must respect lives in the row it locks.
        bookable boolean NOT NULL DEFAULT true,
        CONSTRAINT slots_booked_within_capacity CHECK (booked >= 0 AND booked <= capacity),
        CONSTRAINT slots_times_check CHECK (ends_at > starts_at),
        CONSTRAINT slots_desk_start_key UNIQUE (desk_id, starts_at)
      )`);
    await db.query(`CREATE INDEX slots_session_idx ON slots (session_id)`);

    await db.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slot_id uuid NOT NULL REFERENCES slots (id) ON DELETE RESTRICT,
        status text NOT NULL CONSTRAINT bookings_status_check CHECK (status IN ('confirmed', 'cancelled')),
        attendee_name text NOT NULL,
        attendee_email text NOT NULL,
        attendee_phone text,
        organisation_name text NOT NULL,
        organisation_siret text CONSTRAINT bookings_siret_check CHECK (organisation_siret ~ '^[0-9]{14}$'),
        organisation_legal_form text,
        organisation_postcode text,
        topics text[] NOT NULL DEFAULT '{}',
        message text,
        consent_at timestamptz NOT NULL,
        manage_token_hash bytea NOT NULL CONSTRAINT bookings_manage_token_key UNIQUE,
        ical_uid text NOT NULL CONSTRAINT bookings_ical_uid_key UNIQUE,
        sequence integer NOT NULL DEFAULT 0,
        cancelled_at timestamptz,
        cancelled_by text CONSTRAINT bookings_cancelled_by_check CHECK (cancelled_by IN ('attendee', 'staff', 'system')),
        cancel_reason text,
        attention text CONSTRAINT bookings_attention_check CHECK (attention IN ('session_cancelled', 'session_moved', 'session_changed')),
        attention_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT bookings_cancelled_check CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
      )`);
    await db.query(`
      CREATE UNIQUE INDEX bookings_slot_email_key ON bookings (slot_id, lower(attendee_email))
      WHERE status <> 'cancelled'`);
    await db.query(`CREATE INDEX bookings_slot_idx ON bookings (slot_id)`);
    await db.query(`CREATE INDEX bookings_email_idx ON bookings (lower(attendee_email))`);

    // What must be told to whom, written in the same transaction as the change that causes it.
    await db.query(`
      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        booking_id uuid REFERENCES bookings (id) ON DELETE CASCADE,
        recipient text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CONSTRAINT outbox_messages_status_check CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX outbox_messages_pending_idx ON outbox_messages (available_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX outbox_messages_booking_idx ON outbox_messages (booking_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['outbox_messages', 'bookings', 'slots', 'desks', 'permanence_sessions', 'permanence_series', 'users']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
