import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register entry takes its commune from the bookings: a new entry is created with the booking's
 * commune (INSEE code), and an entry without one gets the first booking's that has one, when that
 * booking gave the entry's postcode (or the entry has none). Done by the trigger that links each
 * booking to its entry (migration 1764540000000), in the booking's own statement: atomic, and the
 * entry's row is locked only by the one UPDATE that fills it (`commune_code IS NULL` is false for
 * every booking after), so bookings of one organisation still do not queue behind each other.
 * Existing rows are filled at start by src/territory/territory-backfill.ts (it needs Etalab's data,
 * which a migration must not read).
 */
export class RegisterCommune1764870000000 implements MigrationInterface {
  name = 'RegisterCommune1764870000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION bookings_link_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        k text := organisation_dedupe_key(NEW.organisation_siret, NEW.organisation_name, NEW.organisation_postcode);
      BEGIN
        INSERT INTO organisations (dedupe_key, name, siret, legal_form, postcode, commune_code)
        VALUES (k, btrim(NEW.organisation_name), NEW.organisation_siret, NEW.organisation_legal_form, NEW.organisation_postcode,
                NEW.organisation_commune_code)
        ON CONFLICT (dedupe_key) DO NOTHING;
        SELECT coalesce(merged_into, id) INTO NEW.organisation_id FROM organisations WHERE dedupe_key = k;
        IF NEW.organisation_commune_code IS NOT NULL THEN
          UPDATE organisations SET commune_code = NEW.organisation_commune_code, postcode = coalesce(postcode, NEW.organisation_postcode)
          WHERE id = NEW.organisation_id AND commune_code IS NULL
            AND (postcode IS NULL OR postcode = NEW.organisation_postcode);
        END IF;
        RETURN NEW;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION bookings_link_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
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
  }
}
