import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Clock } from './clock';
import { NoStoreInterceptor } from './no-store';
import { RequestLoad } from './request-load';

@Global()
@Module({
  providers: [Clock, RequestLoad, { provide: APP_INTERCEPTOR, useClass: NoStoreInterceptor }],
  exports: [Clock, RequestLoad],
})
export class CommonModule {}
