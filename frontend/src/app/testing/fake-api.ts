import { HttpErrorResponse, HttpResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import type { ClientConfig } from '@business-brain/contract';
import { defer, of, throwError } from 'rxjs';

/** A request the fake API saw. */
export interface SeenRequest {
  method: string;
  url: string;
  body: unknown;
}

export type FakeReply = { status?: number; body: unknown } | ((request: HttpRequest<unknown>) => { status?: number; body: unknown });

/**
 * An in-memory API for component tests, as an interceptor in front of the real HttpClient stack:
 * routes are `METHOD path` (query string ignored); unknown routes answer 404 in the API's error shape.
 */
export class FakeApi {
  readonly seen: SeenRequest[] = [];
  private readonly routes = new Map<string, FakeReply>();

  constructor(clientConfig: ClientConfig = { auth_mode: 'development', clerk_publishable_key: null }) {
    this.on('GET /routes/knowledge/client-config', { body: clientConfig });
  }

  on(route: string, reply: FakeReply): this {
    this.routes.set(route, reply);
    return this;
  }

  readonly interceptor: HttpInterceptorFn = (request) =>
    defer(() => {
      const path = new URL(request.url, 'http://test.local').pathname;
      this.seen.push({ method: request.method, url: request.urlWithParams, body: request.body });
      const route = this.routes.get(`${request.method} ${path}`);
      const reply = typeof route === 'function' ? route(request) : route;
      const status = reply?.status ?? (reply ? 200 : 404);
      const body = reply ? reply.body : { statusCode: 404, error: 'Not Found', message: `No fake for ${request.method} ${path}`, request_id: 'test' };
      if (status >= 400 || status === 0) {
        return throwError(() => new HttpErrorResponse({ status, statusText: String(status), error: body, url: request.url }));
      }
      return of(new HttpResponse({ status, body, url: request.url }));
    });
}
