import { commitmentKey, householdDecider } from '@eenplan/domain';
import {
  actionAdded,
  actionCompleted,
  closed,
  goalAdded,
  household,
  HH,
  registered,
  register,
  T,
} from './fixtures';
import { stateAfter } from './given-when-then';
import {
  assign,
  assigned,
  assignmentEnded,
  commitHours,
  endAssignment,
  hoursCommitted,
  hoursReleased,
  volunteer,
  volunteerFacts,
  volunteerRegistered,
} from './people-around.fixtures';
import { close } from './fixtures';

const ADULTS_ONLY = [
  { memberId: 'p1', role: 'parent' as const, birthYear: 1960, name: 'Kees' },
  { memberId: 'p2', role: 'adult' as const, birthYear: 1962, name: 'Ria' },
];
const adultsOnly = () =>
  householdDecider.decide(register({ members: ADULTS_ONLY }), stateAfter(householdDecider, []));

describe('the volunteer aggregate', () => {
  const registration = (by: { id: string; roles: string[] }, vogValidUntil?: string) => ({
    type: 'RegisterVolunteer' as const,
    volunteerId: 'v1',
    name: 'Henk de Vrijwilliger',
    skills: ['taal', 'administratie'],
    hoursPerWeek: 8,
    ...(vogValidUntil === undefined ? {} : { vogValidUntil }),
    actor: { ...by, teams: ['noord'] },
    at: T(0),
  });

  it('registers a volunteer with the name kept apart as personal data', () => {
    volunteer
      .given([])
      .when(registration({ id: 'anna', roles: ['worker'] }))
      .then([volunteerRegistered({ vogValidUntil: null })]);
  });

  it('only a team lead records a VOG date, at registration or later (issue 16)', () => {
    volunteer
      .given([])
      .when(registration({ id: 'anna', roles: ['worker'] }, '2026-12-31'))
      .thenRefuses({ code: 'NotTeamLead', kind: 'forbidden', invariant: 12 });
    const byLead = volunteerRegistered();
    volunteer
      .given([])
      .when(registration({ id: 'lies', roles: ['worker', 'team-lead'] }, '2026-12-31'))
      .then([{ ...byLead, data: { ...byLead.data, registeredBy: 'lies' } } as typeof byLead]);
    volunteer
      .given([volunteerRegistered({ vogValidUntil: null })])
      .when({
        type: 'UpdateVolunteerVog',
        volunteerId: 'v1',
        vogValidUntil: '2027-06-30',
        actor: { id: 'bas', roles: ['worker'], teams: ['noord'] },
        at: T(5),
      })
      .thenRefuses({ code: 'NotTeamLead', kind: 'forbidden', invariant: 12 });
  });

  it('refuses to register a volunteer id twice', () => {
    volunteer
      .given([volunteerRegistered()])
      .when({
        type: 'RegisterVolunteer',
        volunteerId: 'v1',
        name: 'X',
        skills: [],
        hoursPerWeek: 2,
        actor: { id: 'anna', roles: ['worker'], teams: [] },
        at: T(1),
      })
      .thenRefuses({ code: 'VolunteerAlreadyRegistered', kind: 'conflict' });
  });

  it('updates the VOG valid-until date', () => {
    volunteer
      .given([volunteerRegistered({ vogValidUntil: null })])
      .when({
        type: 'UpdateVolunteerVog',
        volunteerId: 'v1',
        vogValidUntil: '2027-06-30',
        actor: { id: 'lies', roles: ['worker', 'team-lead'], teams: ['noord'] },
        at: T(5),
      })
      .then([
        {
          type: 'VolunteerVogUpdated',
          data: { volunteerId: 'v1', vogValidUntil: '2027-06-30', updatedBy: 'lies' },
        },
      ]);
  });

  it('deactivates once; a second time is refused', () => {
    const deactivate = {
      type: 'DeactivateVolunteer' as const,
      volunteerId: 'v1',
      actor: { id: 'bas', roles: ['worker'], teams: [] },
      at: T(5),
    };
    volunteer
      .given([volunteerRegistered()])
      .when(deactivate)
      .then([
        {
          type: 'VolunteerDeactivated',
          data: { volunteerId: 'v1', deactivatedBy: 'bas', deactivatedAt: T(5) },
        },
      ]);
    volunteer
      .given([
        volunteerRegistered(),
        {
          type: 'VolunteerDeactivated',
          data: { volunteerId: 'v1', deactivatedBy: 'bas', deactivatedAt: T(5) },
        },
      ])
      .when(deactivate)
      .thenRefuses({ code: 'VolunteerAlreadyInactive', kind: 'conflict' });
  });

  it('refuses commands for a volunteer that is not registered', () => {
    volunteer.given([]).when(commitHours()).thenRefuses({ code: 'VolunteerNotFound', kind: 'not-found' });
  });
});

describe('invariant 12 in the volunteer stream: assigned hours never exceed available hours, across households', () => {
  it('commits hours up to exactly the available hours', () => {
    volunteer
      .given([volunteerRegistered({ hours: 8 }), hoursCommitted({ household: 'h2', id: 'x', hours: 5 })])
      .when(commitHours({ hours: 3 }))
      .then([hoursCommitted({ hours: 3 })]);
  });

  it('refuses hours beyond availability, counting the commitments of other households', () => {
    const error = volunteer
      .given([volunteerRegistered({ hours: 8 }), hoursCommitted({ household: 'h2', id: 'x', hours: 5 })])
      .when(commitHours({ hours: 4 }))
      .thenRefuses({
        code: 'VolunteerHoursExceeded',
        kind: 'conflict',
        invariant: 12,
        details: { availableHours: 8, assignedHours: 5, requestedHours: 4 },
      });
    expect(error.details).toEqual({ availableHours: 8, assignedHours: 5, requestedHours: 4 });
  });

  it('released hours are available again', () => {
    volunteer
      .given([
        volunteerRegistered({ hours: 8 }),
        hoursCommitted({ household: 'h2', id: 'x', hours: 5 }),
        hoursReleased({ household: 'h2', id: 'x', hours: 5 }),
      ])
      .when(commitHours({ hours: 8 }))
      .then([hoursCommitted({ hours: 8 })]);
  });

  it('releases commitments whose household has ended the assignment before counting', () => {
    volunteer
      .given([volunteerRegistered({ hours: 8 }), hoursCommitted({ household: 'h2', id: 'x', hours: 5 })])
      .when(commitHours({ hours: 6, endedElsewhere: [commitmentKey('h2', 'x')] }))
      .then([hoursReleased({ household: 'h2', id: 'x', hours: 5 }), hoursCommitted({ hours: 6 })]);
  });

  it('refuses an inactive volunteer', () => {
    volunteer
      .given([
        volunteerRegistered(),
        {
          type: 'VolunteerDeactivated',
          data: { volunteerId: 'v1', deactivatedBy: 'bas', deactivatedAt: T(5) },
        },
      ])
      .when(commitHours())
      .thenRefuses({ code: 'VolunteerNotActive', kind: 'conflict', invariant: 12 });
  });

  it('a retried commitment of the same assignment writes nothing new', () => {
    volunteer.given([volunteerRegistered(), hoursCommitted()]).when(commitHours()).then([]);
  });

  it('a release is written once; a second release writes nothing', () => {
    const release = {
      type: 'ReleaseVolunteerHours' as const,
      volunteerId: 'v1',
      householdId: HH,
      assignmentId: 'as1',
      cause: 'assignment-not-recorded' as const,
      actor: { id: 'anna', roles: ['worker'], teams: [] },
      at: T(40),
    };
    volunteer
      .given([volunteerRegistered(), hoursCommitted()])
      .when(release)
      .then([hoursReleased({ cause: 'assignment-not-recorded' })]);
    volunteer.given([volunteerRegistered(), hoursCommitted(), hoursReleased()]).when(release).then([]);
  });
});

describe('invariant 12 in the household: an assignment needs an active volunteer, a valid VOG with minors, hours available', () => {
  it('assigns a volunteer with a valid VOG to a household with a child', () => {
    household.given([registered()]).when(assign()).then([assigned()]);
  });

  it('assigns a volunteer to an open action of the plan', () => {
    household
      .given([registered(), goalAdded(), actionAdded()])
      .when(assign({ actionId: 'a1' }))
      .then([assigned({ actionId: 'a1' })]);
  });

  it('refuses an unknown volunteer', () => {
    household
      .given([registered()])
      .when(assign({ volunteer: undefined }))
      .thenRefuses({ code: 'UnknownVolunteer', kind: 'invalid', details: { field: 'volunteerId' } });
  });

  it('refuses an inactive volunteer', () => {
    household
      .given([registered()])
      .when(assign({ volunteer: volunteerFacts({ active: false }) }))
      .thenRefuses({ code: 'VolunteerNotActive', kind: 'conflict', invariant: 12 });
  });

  it('refuses a volunteer without a VOG where the household has minors', () => {
    household
      .given([registered()])
      .when(assign({ volunteer: volunteerFacts({ vogValidUntil: null }) }))
      .thenRefuses({
        code: 'VogRequired',
        kind: 'conflict',
        invariant: 12,
        details: { vogValidUntil: null, assignmentDate: '2025-03-03' },
      });
  });

  it('refuses a VOG that expired before the assignment date, and accepts one valid through that very day', () => {
    household
      .given([registered()])
      .when(
        assign({
          at: '2025-03-03T10:00:00.000Z',
          volunteer: volunteerFacts({ vogValidUntil: '2025-03-02' }),
        }),
      )
      .thenRefuses({
        code: 'VogRequired',
        kind: 'conflict',
        invariant: 12,
        details: { vogValidUntil: '2025-03-02', assignmentDate: '2025-03-03' },
      });
    household
      .given([registered()])
      .when(
        assign({
          at: '2025-03-03T10:00:00.000Z',
          volunteer: volunteerFacts({ vogValidUntil: '2025-03-03' }),
        }),
      )
      .then([assigned({ at: '2025-03-03T10:00:00.000Z' })]);
  });

  it.each([
    ['winter (CET)', '2025-03-02T23:30:00.000Z', '2025-03-03'],
    ['summer (CEST)', '2025-07-02T22:30:00.000Z', '2025-07-03'],
  ])(
    "compares the VOG on the Dutch calendar date: half past midnight in %s, yesterday's VOG has ended",
    (_season, at, dutchDate) => {
      // In UTC it is still the day before, when the VOG was valid.
      const yesterday = at.slice(0, 10);
      household
        .given([registered()])
        .when(assign({ at, volunteer: volunteerFacts({ vogValidUntil: yesterday }) }))
        .thenRefuses({
          code: 'VogRequired',
          kind: 'conflict',
          invariant: 12,
          details: { vogValidUntil: yesterday, assignmentDate: dutchDate },
        });
    },
  );

  it('needs no VOG where every member is an adult', () => {
    household
      .given(adultsOnly())
      .when(assign({ volunteer: volunteerFacts({ vogValidUntil: null }) }))
      .then([assigned()]);
  });

  it('counts a member as a minor by birth year even when the role is not child', () => {
    const teen = [
      { memberId: 'p1', role: 'parent' as const, birthYear: 1970, name: 'Kees' },
      { memberId: 'a1', role: 'adult' as const, birthYear: 2009, name: 'Sem' },
    ];
    household
      .given(householdDecider.decide(register({ members: teen }), stateAfter(householdDecider, [])))
      .when(assign({ volunteer: volunteerFacts({ vogValidUntil: null }) }))
      .thenRefuses({
        code: 'VogRequired',
        kind: 'conflict',
        invariant: 12,
        details: { vogValidUntil: null, assignmentDate: '2025-03-03' },
      });
  });

  it.each([
    [2007, 'may still be 17 in 2025: counted as a minor', 'refused'],
    [2006, 'is at least 18 all through 2025: an adult', 'assigned'],
  ])('a member born in %i %s', (birthYear, _why, outcome) => {
    const members = [
      { memberId: 'p1', role: 'parent' as const, birthYear: 1970, name: 'Kees' },
      { memberId: 'a1', role: 'adult' as const, birthYear, name: 'Sem' },
    ];
    const given = householdDecider.decide(register({ members }), stateAfter(householdDecider, []));
    const when = assign({ volunteer: volunteerFacts({ vogValidUntil: null }) });
    if (outcome === 'refused')
      household
        .given(given)
        .when(when)
        .thenRefuses({
          code: 'VogRequired',
          kind: 'conflict',
          invariant: 12,
          details: { vogValidUntil: null, assignmentDate: '2025-03-03' },
        });
    else household.given(given).when(when).then([assigned()]);
  });

  it('refuses hours beyond what the volunteer has left', () => {
    household
      .given([registered()])
      .when(assign({ hours: 5, volunteer: volunteerFacts({ hoursPerWeek: 8, assignedHours: 4 }) }))
      .thenRefuses({
        code: 'VolunteerHoursExceeded',
        kind: 'conflict',
        invariant: 12,
        details: { availableHours: 8, assignedHours: 4, requestedHours: 5 },
      });
  });

  it('refuses a used assignment id, an unknown action and a completed action', () => {
    household
      .given([registered(), assigned()])
      .when(assign())
      .thenRefuses({ code: 'AssignmentAlreadyExists', kind: 'conflict' });
    household
      .given([registered()])
      .when(assign({ actionId: 'a9' }))
      .thenRefuses({ code: 'UnknownAction', kind: 'invalid', details: { field: 'actionId' } });
    household
      .given([registered(), goalAdded(), actionAdded(), actionCompleted()])
      .when(assign({ actionId: 'a1' }))
      .thenRefuses({ code: 'ActionAlreadyCompleted', kind: 'conflict' });
  });

  it('refuses a worker of another team', () => {
    household
      .given([registered()])
      .when(assign({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('refuses an assignment while the plan is closed', () => {
    household
      .given([registered(), closed()])
      .when(assign())
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });

  it('ends an open assignment with a reason kept as personal data; a second end is refused', () => {
    household.given([registered(), assigned()]).when(endAssignment()).then([assignmentEnded()]);
    household
      .given([registered(), assigned(), assignmentEnded()])
      .when(endAssignment())
      .thenRefuses({ code: 'AssignmentAlreadyEnded', kind: 'conflict' });
    household
      .given([registered()])
      .when(endAssignment())
      .thenRefuses({ code: 'AssignmentNotFound', kind: 'not-found' });
  });
});

describe('invariant 13: closing a plan ends its open volunteer assignments, as events', () => {
  it('emits PlanClosed followed by one assignment-ended event per open assignment, cause plan-closed', () => {
    household
      .given([
        registered(),
        assigned({ id: 'as1', hours: 4 }),
        assigned({ id: 'as2', volunteerId: 'v2', hours: 2 }),
        assigned({ id: 'as3', hours: 1 }),
        assignmentEnded({ id: 'as3', hours: 1 }),
      ])
      .when(close())
      .then([
        closed(),
        assignmentEnded({ id: 'as1', hours: 4, cause: 'plan-closed' }),
        assignmentEnded({ id: 'as2', volunteerId: 'v2', hours: 2, cause: 'plan-closed' }),
      ]);
  });

  it('leaves no assignment open after closing', () => {
    const events = [registered(), assigned({ id: 'as1' }), assigned({ id: 'as2', volunteerId: 'v2' })];
    const state = stateAfter(householdDecider, events);
    const after = stateAfter(householdDecider, [...events, ...householdDecider.decide(close(), state)]);
    expect(Object.values(after.assignments).map((a) => a.status)).toEqual(['ended', 'ended']);
  });

  it('closing without assignments emits only PlanClosed', () => {
    household.given([registered()]).when(close()).then([closed()]);
  });
});
