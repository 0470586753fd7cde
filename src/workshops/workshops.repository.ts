import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Workshop } from '../bookings/workshop.entity';

@Injectable()
export class WorkshopsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Workshops starting from `from` (inclusive) to `to` (exclusive). */
  between(from: Date, to: Date): Promise<Workshop[]> {
    return this.dataSource.manager
      .createQueryBuilder(Workshop, 'w')
      .where('w.startsAt >= :from AND w.startsAt < :to', { from, to })
      .orderBy('w.startsAt')
      .addOrderBy('w.id')
      .getMany();
  }

  byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<Workshop | null> {
    return manager.findOneBy(Workshop, { id });
  }

  async insert(values: Partial<Workshop>): Promise<string> {
    const result = await this.dataSource.manager.insert(Workshop, values);
    return result.identifiers[0].id as string;
  }

  /** Row changes carry the injected Clock's time as updated_at: TypeORM would otherwise write PostgreSQL's CURRENT_TIMESTAMP, and updated_at is the calendar's DTSTAMP. */
  async update(id: string, changes: Partial<Workshop> & Pick<Workshop, 'updatedAt'>, manager: EntityManager): Promise<void> {
    await manager.update(Workshop, { id }, changes);
  }
}
