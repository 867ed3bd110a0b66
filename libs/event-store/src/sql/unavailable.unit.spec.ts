import { isStoreUnavailable } from './unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isStoreUnavailable: the database is out of reach, not the statement wrong', () => {
  test.each([
    ['connect refused (server stopped)', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['socket reset', withCode('read ECONNRESET', 'ECONNRESET')],
    [
      'fast shutdown ends the session (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    [
      'crash of another backend (57P02)',
      withCode('terminating connection because of crash of another server process', '57P02'),
    ],
    ['starting up or shutting down (57P03)', withCode('the database system is starting up', '57P03')],
    ['class 08 connection exception', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['server gone mid-session', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a broken client reused', new Error('Client has encountered a connection error and is not queryable')],
    ['several addresses, all refused', new AggregateError([withCode('x', 'ECONNREFUSED')], 'connect failed')],
    ['wrapped as a cause', new Error('append failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') })],
  ])('%s', (_name, error) => {
    expect(isStoreUnavailable(error)).toBe(true);
  });

  test.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['bad input syntax', withCode('invalid input syntax for type integer', '22P02')],
    ['a serialization failure', withCode('could not serialize access', '40001')],
    [
      'a wrong parameter count (08P01, a bug)',
      withCode('bind message supplies 2 parameters, but prepared statement "" requires 1', '08P01'),
    ],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s is not', (_name, error) => {
    expect(isStoreUnavailable(error)).toBe(false);
  });
});
