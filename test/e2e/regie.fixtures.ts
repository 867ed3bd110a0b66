import type { TestApp } from '../support/app';
import { auditor, PARENT, type Person, type SeededTeam, seedHousehold, uniq } from './fixtures';

/** One interval of a household's regie history as GET .../regie/history returns it. */
export interface Interval {
  holder: { kind: 'household' | 'worker'; id: string; teamId?: string };
  from: string;
  to: string | null;
  cause: string;
  [k: string]: unknown;
}

/**
 * The regie requests of a file's app and team (getters: both are made in its beforeAll), and the
 * set-up most regie tests start from: a household held by someone, with a transfer pending.
 */
export const regieApi = (app: () => TestApp, ofTeam: () => SeededTeam) => {
  const post = (path: string, who: Person, body?: Record<string, unknown>) => {
    const req = app().http().post(path).set(who.as);
    return body === undefined ? req : req.send(body);
  };
  const requestTransfer = (householdId: string, who: Person, body: Record<string, unknown>) =>
    post(`/v1/households/${householdId}/regie/transfers`, who, {
      reason: 'Specialistische hulp nodig',
      ...body,
    });
  /** A household whose regie `holder` holds from registration. */
  const heldBy = (holder: Person) => seedHousehold(app(), ofTeam(), { regieWorker: holder });
  return {
    post,
    requestTransfer,
    accept: (householdId: string, transferId: string, who: Person) =>
      post(`/v1/households/${householdId}/regie/transfers/${transferId}/accept`, who),
    decline: (householdId: string, transferId: string, who: Person) =>
      post(`/v1/households/${householdId}/regie/transfers/${transferId}/decline`, who, {
        reason: 'Geen ruimte in caseload',
      }),
    cancel: (householdId: string, transferId: string, who: Person) =>
      post(`/v1/households/${householdId}/regie/transfers/${transferId}/cancel`, who, {
        reason: 'Niet meer nodig',
      }),
    takeover: (householdId: string, who: Person) =>
      post(`/v1/households/${householdId}/regie/safety-takeover`, who, {
        reason: 'Acute zorgen om veiligheid kinderen',
      }),
    returnToHousehold: (householdId: string, who: Person, agreedBy = PARENT) =>
      post(`/v1/households/${householdId}/regie/return-to-household`, who, { agreedBy }),
    history: async (householdId: string, who: Person = auditor(app())) => {
      const res = await app()
        .http()
        .get(`/v1/households/${householdId}/regie/history`)
        .set(who.as)
        .expect(200);
      expect(res.body).toMatchObject({ householdId, next: null });
      return res.body.intervals as Interval[];
    },
    holderAt: (householdId: string, at?: string) =>
      app()
        .http()
        .get('/v1/regie/holder')
        .query(at === undefined ? { householdId } : { householdId, at })
        .set(auditor(app()).as),
    caseload: async (who: Person) =>
      (await app().http().get(`/v1/caseloads/workers/${who.id}`).set(who.as).expect(200)).body,
    heldBy,
    /**
     * A household held by `holder` (by itself when null) with a transfer to `to` that `by` requested
     * (201 asserted); `extra` goes into the request, e.g. `{ agreedBy: PARENT }`.
     */
    pendingTransfer: async (
      holder: Person | null,
      by: Person,
      to: Person,
      extra: Record<string, unknown> = {},
    ) => {
      const householdId = holder ? await heldBy(holder) : await seedHousehold(app(), ofTeam());
      const transferId = uniq('tr');
      await requestTransfer(householdId, by, {
        transferId,
        to: { kind: 'worker', id: to.id },
        ...extra,
      }).expect(201);
      return { householdId, transferId };
    },
  };
};
