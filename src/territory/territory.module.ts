import { Global, Module } from '@nestjs/common';
import { CommunesController } from './communes.controller';
import { Territory } from './territory';
import { TerritoryBackfill } from './territory-backfill';

/** Communes and the metropolis' territory, read by bookings, the register, reports and the bilan. */
@Global()
@Module({ controllers: [CommunesController], providers: [Territory, TerritoryBackfill], exports: [Territory] })
export class TerritoryModule {}
