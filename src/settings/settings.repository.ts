import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { HolidayPolicy } from '../calendar';

export interface SettingsRow {
  legalName: string;
  address: string;
  contactEmail: string;
  privacyEmail: string;
  holidayPolicy: HolidayPolicy;
  reminderHoursBefore: number;
  updatedAt: Date;
}

const COLUMNS = `legal_name AS "legalName", address, contact_email AS "contactEmail", privacy_email AS "privacyEmail",
  holiday_policy AS "holidayPolicy", reminder_hours_before AS "reminderHoursBefore", updated_at AS "updatedAt"`;

@Injectable()
export class SettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async read(): Promise<SettingsRow | null> {
    const [row] = await this.dataSource.query<SettingsRow[]>(`SELECT ${COLUMNS} FROM settings WHERE id = 1`);
    return row ?? null;
  }

  /** The first start's values; another instance seeding at the same moment wins, and this one reads its row. */
  async seed(values: Omit<SettingsRow, 'updatedAt'>, now: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO settings (id, legal_name, address, contact_email, privacy_email, holiday_policy, reminder_hours_before, updated_at)
       VALUES (1, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [values.legalName, values.address, values.contactEmail, values.privacyEmail, values.holidayPolicy, values.reminderHoursBefore, now],
    );
  }

  async update(values: Omit<SettingsRow, 'updatedAt'>, now: Date, manager: EntityManager): Promise<SettingsRow> {
    const [rows] = await manager.query<[SettingsRow[], number]>(
      `UPDATE settings SET legal_name = $1, address = $2, contact_email = $3, privacy_email = $4, holiday_policy = $5, reminder_hours_before = $6, updated_at = $7
        WHERE id = 1 RETURNING ${COLUMNS}`,
      [values.legalName, values.address, values.contactEmail, values.privacyEmail, values.holidayPolicy, values.reminderHoursBefore, now],
    );
    return rows[0];
  }
}
