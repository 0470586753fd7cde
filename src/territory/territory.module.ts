import { Global, Module } from '@nestjs/common';
import { Territory } from './territory';

/** Communes and the metropolis' territory, read by bookings, the register, reports and the bilan. */
@Global()
@Module({ providers: [Territory], exports: [Territory] })
export class TerritoryModule {}
