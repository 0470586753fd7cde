import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What happens after an appointment, and where organisations come from:
 * - `orientations`: the schemes an advisor refers an organisation to, an admin-edited list of the same
 *   shape as `topics` (migration 1764810000000);
 * - `booking_follow_ups`: one per attended permanence booking — a staff-only note (personal data),
 *   the orientations given (codes of `orientations`), and an optional follow-up to do on a date, on an
 *   advisor's agenda;
 * - `satisfaction_answers`: one per booking, the attendee's 1–5 answer and optional comment;
 * - the INSEE code of the organisation's commune, on the booking and in the register (names and
 *   membership of the metropolis come from Etalab's data, src/territory/).
 * The initial orientations are written here, not read from src/, so this migration never changes meaning.
 */
const ORIENTATIONS: Array<[string, string]> = [
  ['dla', 'Dispositif local d’accompagnement (DLA)'],
  ['france_active', 'France Active'],
  ['urscop', 'Union régionale des Scop et Scic (URSCOP)'],
  ['incubator', 'Incubateur de l’ESS'],
  ['region', 'Dispositifs de la Région'],
  ['other', 'Autre'],
];

export class FollowUpSatisfactionCommunes1764840000000 implements MigrationInterface {
  name = 'FollowUpSatisfactionCommunes1764840000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE orientations (
        code text NOT NULL CONSTRAINT orientations_pkey PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,40}$'),
        label text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 200),
        position integer NOT NULL,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX orientations_label_offered_key ON orientations (lower(label)) WHERE archived_at IS NULL`);
    for (const [index, [code, label]] of ORIENTATIONS.entries()) {
      await db.query(`INSERT INTO orientations (code, label, position) VALUES ($1, $2, $3)`, [code, label, index + 1]);
    }

    await db.query(`
      CREATE TABLE booking_follow_ups (
        booking_id uuid NOT NULL CONSTRAINT booking_follow_ups_pkey PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
        note text CHECK (length(note) <= 4000),
        orientations text[] NOT NULL DEFAULT '{}',
        follow_up_on date,
        follow_up_advisor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        follow_up_done_at timestamptz,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT booking_follow_ups_advisor_with_date CHECK (follow_up_on IS NOT NULL OR follow_up_advisor_id IS NULL)
      )`);
    await db.query(`CREATE INDEX booking_follow_ups_due_idx ON booking_follow_ups (follow_up_advisor_id, follow_up_on) WHERE follow_up_on IS NOT NULL`);

    await db.query(`
      CREATE TABLE satisfaction_answers (
        booking_id uuid NOT NULL CONSTRAINT satisfaction_answers_pkey PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
        score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
        comment text CHECK (length(comment) <= 2000),
        answered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    // INSEE commune code (e.g. 42218, 2A004); null where unknown (bookings made before, or a postcode left blank).
    await db.query(`ALTER TABLE bookings ADD COLUMN organisation_commune_code text CHECK (organisation_commune_code ~ '^[0-9][0-9AB][0-9]{3}$')`);
    await db.query(`ALTER TABLE organisations ADD COLUMN commune_code text CHECK (commune_code ~ '^[0-9][0-9AB][0-9]{3}$')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE organisations DROP COLUMN commune_code`);
    await db.query(`ALTER TABLE bookings DROP COLUMN organisation_commune_code`);
    await db.query(`DROP TABLE satisfaction_answers`);
    await db.query(`DROP TABLE booking_follow_ups`);
    await db.query(`DROP TABLE orientations`);
  }
}
