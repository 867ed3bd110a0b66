import { describeForLog, toProblem } from './problem.filter';
import { conflict } from '@eenplan/domain';

describe('what a 500 writes to the log', () => {
  it('a database error keeps its SQLSTATE and constraint, not its message (it may quote a value)', () => {
    const error = Object.assign(new Error('invalid input syntax for type integer: "Sanne Jansen"'), {
      code: '22P02',
      constraint: 'members_check',
    });
    const line = describeForLog(error);
    expect(line).toContain('22P02');
    expect(line).toContain('members_check');
    expect(line).not.toContain('Sanne');
  });

  it('another error keeps its message and stack, for whoever debugs it', () => {
    const line = describeForLog(new TypeError('cannot read x of undefined'));
    expect(line).toContain('TypeError: cannot read x of undefined');
  });
});

describe('a database out of reach', () => {
  test('is a 503 problem saying the store is unavailable, not a 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    for (const error of [refused, shutdown, new Error('Connection terminated unexpectedly')]) {
      expect(toProblem(error)).toMatchObject({
        status: 503,
        code: 'StoreUnavailable',
        type: 'urn:eenplan:problem:store-unavailable',
        title: 'Service Unavailable',
      });
    }
  });

  test('a statement the database refused stays a 500', () => {
    const violation = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(toProblem(violation).status).toBe(500);
  });
});

describe("a domain error's details", () => {
  it('add to the problem but never replace its own members (a detail named status once made the answer a 500)', () => {
    const error = conflict('MeldcodeTrackEnded', 'the track was decided', undefined, {
      status: 'decided',
      title: 'Over',
      code: 'Other',
      trackId: 't-1',
    });
    expect(toProblem(error)).toMatchObject({
      status: 409,
      title: 'Conflict',
      code: 'MeldcodeTrackEnded',
      detail: 'the track was decided',
      trackId: 't-1',
    });
  });
});
