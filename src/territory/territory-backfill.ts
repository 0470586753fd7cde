import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Territory } from './territory';

/**
 * Gives a commune (INSEE code) to the bookings and register entries that have a postcode and none,
 * where the postcode serves exactly one commune: those made before communes were recorded. Runs at
 * each start; idempotent (it only fills what is empty, and what it cannot decide stays empty — a
 * postcode of several communes, which an admin settles on the entry's page), and safe with several
 * instances starting together (each UPDATE re-checks `IS NULL` on the row it waited for). Not a
 * migration: a migration must not read src/, and Etalab's data changes with the package's updates.
 */
@Injectable()
export class TerritoryBackfill implements OnApplicationBootstrap {
  private readonly logger = new Logger(TerritoryBackfill.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const filled = await this.run();
    if (filled.bookings + filled.organisations > 0)
      this.logger.log(`Communes found from the postcode for ${filled.bookings} bookings and ${filled.organisations} register entries`);
  }

  /** How many rows got a commune. */
  async run(): Promise<{ bookings: number; organisations: number }> {
    const rows = await this.dataSource.query<Array<{ postcode: string }>>(
      `SELECT organisation_postcode AS postcode FROM bookings WHERE organisation_commune_code IS NULL AND organisation_postcode IS NOT NULL
       UNION
       SELECT postcode FROM organisations WHERE commune_code IS NULL AND postcode IS NOT NULL`,
    );
    const postcodes: string[] = [];
    const codes: string[] = [];
    for (const { postcode } of rows) {
      const communes = this.territory.communesForPostcode(postcode);
      if (communes.length !== 1) continue;
      postcodes.push(postcode);
      codes.push(communes[0].code);
    }
    if (postcodes.length === 0) return { bookings: 0, organisations: 0 };
    const [, bookings] = await this.dataSource.query<[unknown, number]>(
      `UPDATE bookings b SET organisation_commune_code = m.code FROM unnest($1::text[], $2::text[]) AS m(postcode, code)
       WHERE b.organisation_postcode = m.postcode AND b.organisation_commune_code IS NULL`,
      [postcodes, codes],
    );
    const [, organisations] = await this.dataSource.query<[unknown, number]>(
      `UPDATE organisations o SET commune_code = m.code FROM unnest($1::text[], $2::text[]) AS m(postcode, code)
       WHERE o.postcode = m.postcode AND o.commune_code IS NULL`,
      [postcodes, codes],
    );
    return { bookings, organisations };
  }
}
