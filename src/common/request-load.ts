import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How many HTTP requests this process is serving right now, so that background work (the mail
 * loop) gives way to people waiting for an answer — and only to them: with the embedded database the
 * loop's own queries keep the event loop busy too, which must not count as load.
 */
@Injectable()
export class RequestLoad {
  private inFlight = 0;

  get active(): number {
    return this.inFlight;
  }

  /** Middleware counting each request from its start until its response is closed. */
  readonly middleware = (_request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    this.inFlight++;
    response.once('close', () => this.inFlight--);
    next();
  };
}
