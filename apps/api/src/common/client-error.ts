import type { Duplex } from 'node:stream';
import { API_VERSION } from './api-version';
import { problemType } from './problem';

const ANSWERS: Record<number, [string, string, string]> = {
  400: ['Bad Request', 'MalformedRequest', 'the request could not be parsed as HTTP/1.1'],
  408: ['Request Timeout', 'RequestTimeout', 'the request was not received in time'],
  431: [
    'Request Header Fields Too Large',
    'HeadersTooLarge',
    'the request headers are larger than the server accepts (16 KB)',
  ],
};

/**
 * Node's HTTP parser refuses what it cannot parse (broken framing, headers over 16 KB) before
 * Express sees a request, and by default answers with a bare status line. This listener for the
 * server's `clientError` gives the same status as problem+json, so every 4xx a client can get has
 * one shape (the fuzzer found the bare ones). The connection is closed: the stream is unusable.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: Duplex,
  /** Told of each refusal answered (for the access log). */
  onRefused?: (status: number, error: Error & { rawPacket?: Buffer }, socket: Duplex) => void,
): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const [title, code, detail] = ANSWERS[status]!;
  onRefused?.(status, error, socket);
  const body = JSON.stringify({ type: problemType(code), title, status, detail, code });
  // An answer to HEAD carries no body: a client reads the next bytes as the next response and
  // fails on them (the fuzzer's R4 line found this with oversized headers on HEAD).
  const raw = (error as Error & { rawPacket?: Buffer }).rawPacket;
  const head = raw?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
      `API-Version: ${API_VERSION}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
}
