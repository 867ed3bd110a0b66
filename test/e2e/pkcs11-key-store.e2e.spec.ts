import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { householdStream } from '@eenplan/domain';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithInfra } from '../support/infra';
import { createSoftHsmToken, listTokenObjects, softHsm, type SoftHsmToken } from '../support/softhsm';
import { admin, auditor, householdBody, seedTeam, type SeededTeam } from './fixtures';

/**
 * The whole app with its keys in an HSM (KEY_STORE=pkcs11 on a private SoftHSM2 token): the
 * household's names are sealed and opened inside the token, erasure destroys the key object there,
 * and the event chain's MAC key is the token's too.
 */
describeWithInfra('the app on a PKCS#11 key store (SoftHSM2)', softHsm, () => {
  let token: SoftHsmToken;
  let t: TestApp;
  let team: SeededTeam;

  beforeAll(async () => {
    token = createSoftHsmToken('eenplan-e2e');
    t = await startTestApp({
      keyStore: { kind: 'pkcs11', module: token.module, token: { label: token.label }, pin: token.pin },
    });
    team = await seedTeam(t, { workers: 1 });
  });
  afterAll(async () => {
    await t?.close();
    token?.remove();
  });

  const labelOf = (householdId: string) =>
    `s-${createHash('sha256').update(householdStream(householdId)).digest('hex')}`;

  test('a household with names reads back, is erased, and its names are gone; the events verify', async () => {
    const worker = team.workers[0]!;
    const NAME = 'Xanthe Quijvelaar';
    const CHILD_NAME = 'Ybo Quijvelaar';
    const body = householdBody(team, {
      members: [
        { memberId: 'm-1', role: 'parent', birthYear: 1980, name: NAME },
        { memberId: 'm-2', role: 'child', birthYear: 2014, name: CHILD_NAME },
      ],
      regie: { workerId: worker.id },
    });
    const id = body.householdId as string;
    await t.http().post('/v1/households').set(worker.as).send(body).expect(201);

    const view = await t.http().get(`/v1/households/${id}`).set(worker.as).expect(200);
    expect(JSON.stringify(view.body)).toContain(NAME);
    expect(JSON.stringify(view.body)).toContain(CHILD_NAME);
    // The household's key is an object in the token, and no key went to a key directory.
    expect(listTokenObjects(token).filter((o) => o.label === labelOf(id))).toEqual([
      expect.objectContaining({
        class: 'secret-key',
        keyType: 'aes',
        sensitive: true,
        extractable: false,
        value: { refused: 'CKR_ATTRIBUTE_SENSITIVE' },
      }),
    ]);
    expect(existsSync(join(t.config.dataDir, 'keys'))).toBe(false);

    await t
      .http()
      .post(`/v1/households/${id}/close`)
      .set(worker.as)
      .send({ outcome: 'afgerond' })
      .expect(200);
    const erased = await t
      .http()
      .post(`/v1/households/${id}/erasure`)
      .set(admin(t).as)
      .send({ reason: 'AVG art. 17, verzoek 2026-201' })
      .expect(200);
    expect(erased.body).toMatchObject({ householdId: id, erased: true, status: 'complete' });
    expect(
      (await t.http().get(`/v1/households/${id}/erasure`).set(auditor(t).as).expect(200)).body,
    ).toMatchObject({ status: 'complete', keyDestroyedAt: expect.any(String) });

    const after = await t.http().get(`/v1/households/${id}`).set(worker.as).expect(200);
    expect(JSON.stringify(after.body)).not.toContain('Quijvelaar');
    expect(JSON.stringify(after.body)).toContain('m-1');
    // In the token: the key object is gone, a tombstone (a data object, no key) in its place.
    expect(listTokenObjects(token).filter((o) => o.label === labelOf(id))).toEqual([
      expect.objectContaining({ class: 'data' }),
    ]);

    const trail = (await t.http().get(`/v1/audit/households/${id}/events`).set(auditor(t).as).expect(200))
      .body.events as { type: string; personal: string }[];
    expect(trail[0]).toMatchObject({ type: 'HouseholdRegistered', personal: 'erased' });
    expect(trail[trail.length - 1]!.type).toBe('HouseholdDataErased');
    const verified = await t.http().get(`/v1/audit/verify?householdId=${id}`).set(auditor(t).as).expect(200);
    expect(verified.body).toMatchObject({ ok: true, broken: [] });
    // The seals are MACs under the token's key, made and kept there.
    expect(listTokenObjects(token).find((o) => o.label === 'system-event-seal')).toMatchObject({
      keyType: 'generic-secret',
      sensitive: true,
      extractable: false,
    });
  });

  test('other households keep their names while one is erased', async () => {
    const worker = team.workers[0]!;
    const keep = householdBody(team, {
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1975, name: 'Wendelien Krabbendam' }],
      regie: { workerId: worker.id },
    });
    const gone = householdBody(team, {
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1979, name: 'Vincent Zwaneveld' }],
      regie: { workerId: worker.id },
    });
    for (const body of [keep, gone])
      await t.http().post('/v1/households').set(worker.as).send(body).expect(201);
    await t
      .http()
      .post(`/v1/households/${gone.householdId}/close`)
      .set(worker.as)
      .send({ outcome: 'klaar' })
      .expect(200);
    await t
      .http()
      .post(`/v1/households/${gone.householdId}/erasure`)
      .set(admin(t).as)
      .send({ reason: 'AVG art. 17, verzoek 2026-202' })
      .expect(200);
    const kept = await t.http().get(`/v1/households/${keep.householdId}`).set(worker.as).expect(200);
    expect(JSON.stringify(kept.body)).toContain('Wendelien Krabbendam');
    const erased = await t.http().get(`/v1/households/${gone.householdId}`).set(worker.as).expect(200);
    expect(JSON.stringify(erased.body)).not.toContain('Zwaneveld');
  });
});
