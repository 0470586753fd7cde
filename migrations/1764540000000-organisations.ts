import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register of organisations the programme reaches. Every booking is linked to one, found by its
 * SIRET, else by its normalised name and postcode (`dedupe_key`); admins correct and merge entries.
 */
export class Organisations1764540000000 implements MigrationInterface {
  name = 'Organisations1764540000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL CONSTRAINT organisations_dedupe_key UNIQUE,
        name text NOT NULL,
        siret text CONSTRAINT organisations_siret_check CHECK (siret ~ '^[0-9]{14}$'),
        legal_form text,
        esus_approved boolean,
        sector text,
        postcode text,
        commune text,
        merged_into uuid REFERENCES organisations (id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organisations_not_merged_into_itself CHECK (merged_into IS NULL OR merged_into <> id)
      )`);
    await db.query(`CREATE INDEX organisations_name_idx ON organisations (lower(name))`);
    await db.query(`ALTER TABLE bookings ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE RESTRICT`);
    await db.query(`CREATE INDEX bookings_organisation_idx ON bookings (organisation_id)`);

    // The key a booking's organisation is found by. Name: trimmed, spaces folded, lower case.
    await db.query(`
      CREATE FUNCTION organisation_dedupe_key(p_siret text, p_name text, p_postcode text) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN p_siret IS NOT NULL THEN 'siret:' || p_siret
                    ELSE 'name:' || lower(regexp_replace(btrim(p_name), '\\s+', ' ', 'g')) || '|' || coalesce(p_postcode, '') END
      $$`);
    // Links each new booking to its organisation, creating the entry on first sight. DO NOTHING takes
    // no row lock, so bookings of one organisation never queue behind each other.
    await db.query(`
      CREATE FUNCTION bookings_link_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        k text := organisation_dedupe_key(NEW.organisation_siret, NEW.organisation_name, NEW.organisation_postcode);
      BEGIN
        INSERT INTO organisations (dedupe_key, name, siret, legal_form, postcode)
        VALUES (k, btrim(NEW.organisation_name), NEW.organisation_siret, NEW.organisation_legal_form, NEW.organisation_postcode)
        ON CONFLICT (dedupe_key) DO NOTHING;
        SELECT coalesce(merged_into, id) INTO NEW.organisation_id FROM organisations WHERE dedupe_key = k;
        RETURN NEW;
      END
      $$`);
    await db.query(`
      CREATE TRIGGER bookings_link_organisation BEFORE INSERT ON bookings
      FOR EACH ROW WHEN (NEW.organisation_id IS NULL) EXECUTE FUNCTION bookings_link_organisation()`);
    // Bookings made before the register existed.
    await db.query(`
      INSERT INTO organisations (dedupe_key, name, siret, legal_form, postcode)
      SELECT DISTINCT ON (organisation_dedupe_key(organisation_siret, organisation_name, organisation_postcode))
             organisation_dedupe_key(organisation_siret, organisation_name, organisation_postcode), btrim(organisation_name),
             organisation_siret, organisation_legal_form, organisation_postcode
      FROM bookings ORDER BY organisation_dedupe_key(organisation_siret, organisation_name, organisation_postcode), created_at
      ON CONFLICT (dedupe_key) DO NOTHING`);
    await db.query(`
      UPDATE bookings b SET organisation_id = o.id FROM organisations o
      WHERE o.dedupe_key = organisation_dedupe_key(b.organisation_siret, b.organisation_name, b.organisation_postcode)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER bookings_link_organisation ON bookings`);
    await db.query(`DROP FUNCTION bookings_link_organisation()`);
    await db.query(`ALTER TABLE bookings DROP COLUMN organisation_id`);
    await db.query(`DROP FUNCTION organisation_dedupe_key(text, text, text)`);
    await db.query(`DROP TABLE organisations`);
  }
}
