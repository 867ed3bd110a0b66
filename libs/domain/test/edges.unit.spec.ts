import {
  commitmentKey,
  DomainError,
  householdStream,
  isCalendarDate,
  MAX_NORM,
  organisationStream,
  schemaVersionOf,
  SetCaseloadNorm,
  teamStream,
  volunteerDecider,
  volunteerStream,
} from '@eenplan/domain';
import {
  actor,
  addWorker,
  household,
  NOORD,
  registered,
  request,
  takeOver,
  team,
  teamRegistered,
  workerJoined,
  ZUID,
} from './fixtures';
import { commitHours, hoursCommitted, volunteer, volunteerRegistered } from './people-around.fixtures';
import { stateAfter } from './given-when-then';

/** Rules at their edges, each found by a mutant that survived the other tests (docs/TESTING.md). */

describe('the shared kernel', () => {
  it('names each aggregate stream by its kind and id', () => {
    expect(householdStream('h1')).toBe('household-h1');
    expect(teamStream('noord')).toBe('team-noord');
    expect(volunteerStream('v1')).toBe('volunteer-v1');
    expect(organisationStream('o1')).toBe('organisation-o1');
  });

  it('writes RegieTakenOverForSafety as version 2 and every other type as version 1', () => {
    expect(schemaVersionOf('RegieTakenOverForSafety')).toBe(2);
    expect(schemaVersionOf('GoalAdded')).toBe(1);
  });

  it('a refusal is a DomainError by name, as logs and the error filter show it', () => {
    expect(new DomainError('X', 'conflict', 'why').name).toBe('DomainError');
  });

  it('a calendar date is a whole yyyy-mm-dd that exists', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('x2025-03-01')).toBe(false);
    expect(isCalendarDate('2025-03-01x')).toBe(false);
    expect(isCalendarDate('2025-3-1')).toBe(false);
  });
});

describe('the team', () => {
  const setNorm = (householdsPerWorker: number): SetCaseloadNorm => ({
    type: 'SetCaseloadNorm',
    teamId: NOORD,
    householdsPerWorker,
    actor: actor('lies'),
    at: '2025-03-03T09:00:00.000Z',
  });

  it.each([1, MAX_NORM])('accepts a caseload norm of %s households per worker', (n) => {
    team
      .given([teamRegistered()])
      .when(setNorm(n))
      .then([
        { type: 'TeamCaseloadNormSet', data: { teamId: NOORD, householdsPerWorker: n, setBy: 'lies' } },
      ]);
  });

  it('refuses an id that acts as an auditor, integrator or admin', () => {
    team
      .given([teamRegistered()])
      .when({ ...addWorker('anna'), actsAs: 'auditor' })
      .thenRefuses({ code: 'NotAWorkerId', kind: 'conflict', message: 'anna acts as auditor' });
  });

  it('adds a worker the caller finds registered in this same team already', () => {
    team
      .given([teamRegistered()])
      .when(addWorker('anna', { alreadyInTeam: NOORD }))
      .then([workerJoined('anna')]);
  });

  it('names the other team a worker is registered in', () => {
    team
      .given([teamRegistered()])
      .when(addWorker('anna', { alreadyInTeam: ZUID }))
      .thenRefuses({ code: 'WorkerAlreadyRegistered', kind: 'conflict', message: `team ${ZUID}` });
  });
});

describe('the volunteer', () => {
  it('an updated VOG is the one the volunteer has from then on', () => {
    const state = stateAfter(volunteerDecider, [
      volunteerRegistered({ vogValidUntil: null }),
      {
        type: 'VolunteerVogUpdated',
        data: { volunteerId: 'v1', vogValidUntil: '2027-06-30', updatedBy: 'lies' },
      },
    ]);
    expect(state.vogValidUntil).toBe('2027-06-30');
  });

  it('releases only the hours of an ended assignment it still holds, none for one it never held', () => {
    volunteer
      .given([volunteerRegistered()])
      .when(commitHours({ endedElsewhere: [commitmentKey('h9', 'as9')] }))
      .then([hoursCommitted()]);
  });

  it('refuses to commit other hours under an assignment id that holds hours already', () => {
    volunteer
      .given([volunteerRegistered(), hoursCommitted({ hours: 4 })])
      .when(commitHours({ hours: 2 }))
      .thenRefuses({ code: 'AssignmentIdAlreadyUsed', kind: 'conflict' });
  });
});

describe('regie: a worker no team knows is named by the field that carries it', () => {
  it('a transfer to an unknown worker points at to.id', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(request({ receiver: undefined }))
      .thenRefuses({ code: 'UnknownWorker', kind: 'invalid', details: { field: 'to.id' } });
  });

  it('a safety takeover by an unknown worker points at the actor', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(takeOver({ taker: undefined }))
      .thenRefuses({ code: 'UnknownWorker', kind: 'invalid', details: { field: 'actor' } });
  });
});
