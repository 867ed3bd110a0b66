import { describeForLog } from './problem.filter';

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
