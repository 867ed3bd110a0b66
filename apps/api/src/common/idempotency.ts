import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { defer, from, Observable, of, switchMap, catchError, mergeMap } from 'rxjs';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { DuplicateEventError } from '@eenplan/event-store/event-store.port';
import { AuthedRequest } from './auth';
import { ProblemException } from './problem';
import { SQL } from './tokens';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Stored {
  request_hash: string;
  status: number;
  etag: string | null;
  body: unknown;
}

/**
 * Idempotency-Key on writes: the first response is stored per caller and key; a repeat gets it back
 * and writes nothing. A repeat that races the first (or follows a crash between append and store)
 * is caught by the event store, because events of a keyed request have ids derived from the key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const raw = req.headers['idempotency-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    // Reads are not recorded: Express answers HEAD with the GET handler, and a HEAD that stored its
    // key (found by the fuzzer) made a later write with that key a 409.
    if (!key || SAFE_METHODS.has(req.method) || !req.principal) return next.handle();
    const principal = req.principal.sub;
    const hash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');

    const replay = (stored: Stored) => {
      if (stored.request_hash !== hash) {
        throw new ProblemException(
          409,
          'IdempotencyKeyReused',
          'this Idempotency-Key was used for a different request',
        );
      }
      if (stored.etag) res.setHeader('ETag', stored.etag);
      res.setHeader('Idempotent-Replayed', 'true');
      return stored.body;
    };

    // The executor stores it beside the key's events, so a retry after a lost answer is recognised
    // as this request, and another request under the same key is not mistaken for it.
    req.idempotencyRequestHash = hash.slice(0, 12);
    return from(this.find(principal, key)).pipe(
      switchMap((stored) => {
        if (stored) return of(replay(stored));
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            const etag = res.getHeader('ETag');
            await this.sql.query(
              `INSERT INTO idempotency_keys (principal, key, request_hash, status, etag, body)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (principal, key) DO NOTHING`,
              [
                principal,
                key,
                hash,
                res.statusCode,
                typeof etag === 'string' ? etag : null,
                JSON.stringify(body ?? null),
              ],
            );
            return body;
          }),
          catchError((error) => {
            if (!(error instanceof DuplicateEventError)) throw error;
            return defer(async () => {
              // The same request got there first; give its answer once it is stored.
              for (let i = 0; i < 50; i++) {
                const first = await this.find(principal, key);
                if (first) return replay(first);
                await new Promise((r) => setTimeout(r, 100));
              }
              throw new ProblemException(
                409,
                'IdempotentRequestApplied',
                'a request with this Idempotency-Key was already applied; its response is not available',
              );
            });
          }),
        );
      }),
    );
  }

  private async find(principal: string, key: string): Promise<Stored | undefined> {
    const { rows } = await this.sql.query<Stored>(
      `SELECT request_hash, status, etag, body FROM idempotency_keys WHERE principal = $1 AND key = $2`,
      [principal, key],
    );
    const row = rows[0];
    if (row && typeof row.body === 'string') return { ...row, body: JSON.parse(row.body) };
    return row;
  }
}
