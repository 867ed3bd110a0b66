import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { householdStream } from '@eenplan/domain';
import { createPgliteSql, migrate, type Sql } from '@eenplan/event-store';
import { erasuresProjection, ErasuresQueries } from '@eenplan/projections';
import { DirectoryKeyStore, personKeyId } from '@eenplan/security';
import { ErasureSweep } from './erasure-sweep';

// A process that stopped between recording an erasure and destroying the key leaves it pending:
// the sweep finishes it, for a household's key and for one member's own key alike.

let sql: Sql;
const dir = mkdtempSync(join(tmpdir(), 'eenplan-erasure-sweep-'));

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, erasuresProjection.migrations);
});
afterAll(async () => {
  await sql?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("destroys the keys of the pending erasures, a member's own included, once", async () => {
  const keys = await DirectoryKeyStore.open({ dir: join(dir, 'keys') });
  const text = Buffer.from('Rutger Vertrekvelde');
  const aad = Buffer.from('e-1');
  const household = householdStream('h-1');
  const member = personKeyId(householdStream('h-2'), 'm-2');
  const other = personKeyId(householdStream('h-2'), 'm-1');
  for (const id of [household, member, other]) await keys.seal(id, text, aad);
  await sql.query(`INSERT INTO household_erasures (household_id, erased_at) VALUES ('h-1', now())`);
  await sql.query(
    `INSERT INTO member_erasures (household_id, member_id, erased_at) VALUES ('h-2', 'm-2', now())`,
  );
  const sweep = new ErasureSweep(new ErasuresQueries(sql), keys);
  expect(await sweep.run()).toEqual({
    households: 1,
    finished: ['h-1'],
    members: 1,
    finishedMembers: ['h-2/m-2'],
  });
  expect(await keys.state(household)).toBe('erased');
  expect(await keys.state(member)).toBe('erased');
  // The member who was not erased keeps their key, and so does their household.
  expect(await keys.state(other)).toBe('active');
  expect(await keys.state(householdStream('h-2'))).toBe('none');
  expect(await sweep.run()).toEqual({ households: 1, finished: [], members: 1, finishedMembers: [] });
  await keys.close();
});
