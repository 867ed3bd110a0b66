import { START, type GlobalPosition } from '../event-store.port';

/**
 * A PostgreSQL feed position: `<tx>:<sequence>`, both unsigned decimal integers, e.g. `"1042:17"`
 * (the event's transaction id as xid8 and its global sequence). The feed orders and pages on this
 * pair, so the position says exactly where a reader stopped. START ('0') sorts before every event.
 */
export interface FeedKey {
  readonly tx: bigint;
  readonly sequence: bigint;
}

const FORMAT = /^(\d{1,20}):(\d{1,20})$/;

/** The position of an `events` row, computed in SQL (a distinct name: not to be sorted on). */
export const POSITION_SQL = "tx::text || ':' || sequence::text";

export function parsePosition(position: GlobalPosition): FeedKey {
  if (position === START) return { tx: 0n, sequence: 0n };
  const match = FORMAT.exec(position);
  if (!match) throw new RangeError(`not a PostgreSQL event store position: ${JSON.stringify(position)}`);
  return { tx: BigInt(match[1]), sequence: BigInt(match[2]) };
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  const x = parsePosition(a);
  const y = parsePosition(b);
  if (x.tx !== y.tx) return x.tx < y.tx ? -1 : 1;
  if (x.sequence !== y.sequence) return x.sequence < y.sequence ? -1 : 1;
  return 0;
}
