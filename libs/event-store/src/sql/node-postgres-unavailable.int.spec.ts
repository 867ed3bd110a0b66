import { createServer, type Server, type Socket } from 'node:net';
import { createNodePostgresSql } from './node-postgres';
import { isStoreUnavailable } from './unavailable';

/**
 * A server that accepts the TCP connection and never answers (a hung host, a half-open network):
 * without a connect timeout a query would wait until the OS gives up on the socket, minutes later,
 * and the HTTP request with it. Needs no database: the "server" is a local socket that stays mute.
 */
describe('node-postgres Sql: a server that does not answer', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a query fails within the connect timeout, as "store unavailable"', async () => {
    const sql = createNodePostgresSql({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
      connectTimeoutMs: 300,
      onError: () => undefined,
    });
    try {
      const started = Date.now();
      const error = await sql.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expect(error).toBeInstanceOf(Error);
      expect(isStoreUnavailable(error)).toBe(true);
    } finally {
      await sql.close();
    }
  });

  test('a stopped server (connection refused) is "store unavailable" too', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const sql = createNodePostgresSql({
      connectionString: `postgres://postgres@127.0.0.1:${free}/postgres`,
      onError: () => undefined,
    });
    try {
      const error = await sql.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isStoreUnavailable(error)).toBe(true);
    } finally {
      await sql.close();
    }
  });
});
