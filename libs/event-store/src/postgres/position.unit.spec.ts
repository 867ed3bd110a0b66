import { START } from '../event-store.port';
import { comparePositions, parsePosition } from './position';

describe('PostgreSQL feed positions', () => {
  test('order by transaction id first, then by sequence, numerically', () => {
    const ordered = [START, '7:100', '9:3', '9:20', '10:1', '18446744073709551615:1'];
    for (let i = 1; i < ordered.length; i++) {
      expect(comparePositions(ordered[i - 1]!, ordered[i]!)).toBeLessThan(0);
      expect(comparePositions(ordered[i]!, ordered[i - 1]!)).toBeGreaterThan(0);
      expect(comparePositions(ordered[i]!, ordered[i]!)).toBe(0);
    }
  });

  test('START is before every event', () => {
    expect(parsePosition(START)).toEqual({ tx: 0n, sequence: 0n });
  });

  test.each(['', '1', '1:', ':1', '1:2:3', '-1:2', '1.5:2', ' 1:2', 'abc'])('rejects %j', (bad) => {
    expect(() => parsePosition(bad)).toThrow(RangeError);
  });
});
