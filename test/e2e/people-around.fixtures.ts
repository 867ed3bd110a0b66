import type { TestApp } from '../support/app';
import { householdBody, type Person, type SeededTeam, uniq } from './fixtures';

/**
 * Requests and set-up for the people around a household, for a file's app, team and default
 * worker (getters: they are made in its beforeAll).
 */
export const peopleAroundApi = (
  app: () => TestApp,
  ofTeam: () => SeededTeam,
  defaultWorker: () => Person,
) => {
  const post = (path: string, body: Record<string, unknown> | undefined, who: Person = defaultWorker()) => {
    const req = app().http().post(path).set(who.as);
    return body === undefined ? req : req.send(body);
  };
  return {
    post,
    get: (path: string, who: Person = defaultWorker()) => app().http().get(path).set(who.as),
    /** Registered by the team lead: only a team lead records a VOG date (issue 16). */
    registerVolunteer: async (body: Record<string, unknown> = {}) => {
      const volunteerId = uniq('vol');
      await post(
        '/v1/volunteers',
        {
          volunteerId,
          name: 'Henk Visser',
          skills: ['taalmaatje'],
          hoursPerWeek: 6,
          vogValidUntil: '2030-12-31',
          ...body,
        },
        ofTeam().lead,
      ).expect(201);
      return volunteerId;
    },
    registerOrganisation: async (body: Record<string, unknown> = {}) => {
      const organisationId = uniq('org');
      await post('/v1/organisations', {
        organisationId,
        name: `Schuldhulp ${organisationId}`,
        expertise: { lifeDomains: ['finances'], tags: ['schuldhulp'] },
        location: 'noord',
        waitingDays: 21,
        ...body,
      }).expect(201);
      return organisationId;
    },
    /** A household of adults only, so no VOG is needed. */
    seedAdultHousehold: async (by: Person = defaultWorker(), of: SeededTeam = ofTeam()) => {
      const body = householdBody(of, {
        members: [{ memberId: 'm-adult', role: 'adult', birthYear: 1970, name: 'Kees Bakker' }],
      });
      await post('/v1/households', body, by).expect(201);
      return body.householdId;
    },
    assign: (householdId: string, body: Record<string, unknown>, who: Person = defaultWorker()) =>
      post(`/v1/households/${householdId}/volunteer-assignments`, { hoursPerWeek: 2, ...body }, who),
    addGoal: async (householdId: string) => {
      const goalId = uniq('g');
      await post(`/v1/households/${householdId}/goals`, {
        goalId,
        lifeDomain: 'social-network',
        description: 'Minder eenzaam',
      }).expect(201);
      return goalId;
    },
  };
};
