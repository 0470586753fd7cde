import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeCode, logServerError, PageErrors, toDomainError } from '../common/problem.filter';
import { PageContext, Views } from './views';
import { WebSession } from './web-session';

const NOT_PAGES = /^\/(api|calendar|health|assets)(\/|$)/;

/** French error pages for the browser routes; staff pages send a signed-out visitor to the login page. */
@Injectable()
@Catch()
export class PageErrorFilter implements ExceptionFilter, PageErrors {
  private readonly logger = new Logger('Pages');

  constructor(
    private readonly views: Views,
    private readonly session: WebSession,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.render(exception, http.getRequest<Request>(), http.getResponse<Response>());
  }

  /**
   * Errors raised before any page controller, for a browser outside the API: an unknown address, or
   * a form the body parser refused (too large, too many fields).
   */
  handles(request: Request): boolean {
    return ['GET', 'HEAD', 'POST'].includes(request.method) && !NOT_PAGES.test(request.path) && request.accepts(['json', 'html']) === 'html';
  }

  render(exception: unknown, request: Request & { page?: PageContext }, response: Response): void {
    if (response.headersSent) return;
    const error = toDomainError(exception);
    const { status } = describeCode(error.code);
    logServerError(this.logger, exception, status);
    if (error.code === 'unauthenticated') {
      const next = request.method === 'GET' ? `?suite=${encodeURIComponent(request.originalUrl)}` : '';
      response.redirect(303, `/staff/connexion${next}`);
      return;
    }
    const context = request.page ?? { csrfToken: this.session.csrfToken(request, response), staff: null };
    const notFound = status === 404;
    const title = notFound ? 'Page introuvable' : status >= 500 ? 'Le service rencontre un problème' : 'Action impossible';
    this.views.send(
      response,
      'error',
      { status, detail: notFound && error.code === 'route_not_found' ? 'Cette adresse ne correspond à aucune page.' : error.detail, notFound },
      context,
      { title, status },
    );
  }
}
