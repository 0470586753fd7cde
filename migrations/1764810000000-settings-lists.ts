import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The topics offered at booking and the legal forms become lists an admin edits: same codes as the
 * fixed lists they replace (bookings keep storing the code), a label, an order, and `archived_at`
 * for an entry no longer offered whose label old bookings and reports still show.
 * The initial entries are written here, not read from src/, so this migration never changes meaning.
 */
const TOPICS: Array<[string, string]> = [
  ['collective_needs', 'Définition des besoins collectifs des structures de l’ESS'],
  ['legal_status', 'Évolution des statuts'],
  ['responsible_purchasing', 'Achats responsables'],
  ['essaimage', 'Essaimage sur le territoire régional'],
  ['recognition', 'Reconnaissance et valorisation des structures de l’ESS'],
  ['ambition_ess', 'La plateforme « Ambition ESS »'],
  ['regional_support', 'Orientation vers les dispositifs régionaux d’accompagnement'],
  ['other', 'Autre'],
];

const LEGAL_FORMS: Array<[string, string]> = [
  ['association', 'Association'],
  ['cooperative', 'Coopérative (SCOP, SCIC, CAE…)'],
  ['mutuelle', 'Mutuelle'],
  ['fondation', 'Fondation'],
  ['societe_commerciale_ess', 'Société commerciale de l’ESS'],
  ['other', 'Autre'],
];

export class SettingsLists1764810000000 implements MigrationInterface {
  name = 'SettingsLists1764810000000';

  async up(db: QueryRunner): Promise<void> {
    for (const [table, entries] of [
      ['topics', TOPICS],
      ['legal_forms', LEGAL_FORMS],
    ] as const) {
      await db.query(`
        CREATE TABLE ${table} (
          code text NOT NULL CONSTRAINT ${table}_pkey PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,40}$'),
          label text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 200),
          position integer NOT NULL,
          archived_at timestamptz,
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
      await db.query(`CREATE UNIQUE INDEX ${table}_label_offered_key ON ${table} (lower(label)) WHERE archived_at IS NULL`);
      for (const [index, [code, label]] of entries.entries()) {
        await db.query(`INSERT INTO ${table} (code, label, position) VALUES ($1, $2, $3)`, [code, label, index + 1]);
      }
    }

    // One row (id = 1), written on first start from the configuration (settings/settings.service.ts):
    // the environment stays the default of a fresh install, the database the source afterwards.
    await db.query(`
      CREATE TABLE settings (
        id smallint NOT NULL CONSTRAINT settings_pkey PRIMARY KEY CHECK (id = 1),
        legal_name text NOT NULL CHECK (length(btrim(legal_name)) BETWEEN 1 AND 300),
        address text NOT NULL CHECK (length(btrim(address)) BETWEEN 1 AND 300),
        contact_email text NOT NULL CHECK (length(contact_email) <= 254),
        privacy_email text NOT NULL CHECK (length(privacy_email) <= 254),
        holiday_policy text NOT NULL CHECK (holiday_policy IN ('cancel', 'previous_week', 'next_week')),
        reminder_hours_before integer NOT NULL CHECK (reminder_hours_before BETWEEN 1 AND 720),
        updated_at timestamptz NOT NULL
      )`);

    // The advisors on duty by default: a session generated from the series gets one desk for each.
    await db.query(`
      CREATE TABLE series_advisors (
        series_id uuid NOT NULL REFERENCES permanence_series (id) ON DELETE CASCADE,
        advisor_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        position integer NOT NULL,
        CONSTRAINT series_advisors_pkey PRIMARY KEY (series_id, advisor_id)
      )`);
    await db.query(`CREATE INDEX series_advisors_advisor_id_idx ON series_advisors (advisor_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE series_advisors`);
    await db.query(`DROP TABLE settings`);
    await db.query(`DROP TABLE legal_forms`);
    await db.query(`DROP TABLE topics`);
  }
}
