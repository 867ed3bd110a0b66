import http from 'node:http';
import { now } from './stats';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
}

/**
 * A keep-alive JSON client on node:http: one agent, at most one socket per concurrent caller, so
 * each of the N load clients keeps its own connection open for the whole run (like N browsers).
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({
      keepAlive: true,
      maxSockets,
      maxFreeSockets: maxSockets,
      scheduling: 'lifo',
    });
  }

  request(method: string, path: string, token: string | undefined, body?: unknown): Promise<HttpAnswer> {
    return this.requestWithHeaders(method, path, token, body);
  }

  /** Like `request`, with extra request headers (Idempotency-Key, If-Match) and the response's headers. */
  requestWithHeaders(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<HttpAnswer & { readonly headers: http.IncomingHttpHeaders }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json', ...extraHeaders };
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    } else if (method !== 'GET') {
      // Without it node sends an empty chunked body, which the server may leave unread and then
      // close the kept-alive socket under the next request (ECONNRESET).
      headers['content-length'] = 0;
    }
    const t0 = now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.agent, host: this.host, port: this.port, method, path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ms = now() - t0;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text for the error message
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, ms, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
