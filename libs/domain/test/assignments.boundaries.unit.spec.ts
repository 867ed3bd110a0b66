import fc from 'fast-check';
import { HOUSEHOLD_EVENT_TYPES, householdDecider } from '@eenplan/domain';
import { household, register, registered } from './fixtures';
import { stateAfter } from './given-when-then';
import { assign, assigned, assignmentEnded, endAssignment, volunteerFacts } from './people-around.fixtures';

/**
 * The edges of invariant 12 on the household side, where a mutation of the rule (a `>` become `>=`,
 * the role rule dropped from "minor") passed every earlier test.
 */
const householdOf = (members: NonNullable<Parameters<typeof register>[0]>['members']) =>
  householdDecider.decide(register({ members }), stateAfter(householdDecider, []));

describe('invariant 12 at its boundaries: hours and minors', () => {
  it("assigns hours that fill the volunteer's week exactly", () => {
    household
      .given([registered()])
      .when(assign({ hours: 4, volunteer: volunteerFacts({ hoursPerWeek: 8, assignedHours: 4 }) }))
      .then([assigned({ hours: 4 })]);
  });

  it('assigns when the hours fit and refuses when they do not, for any week (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (hoursPerWeek, assignedHours, requested) => {
          const when = assign({
            hours: requested,
            volunteer: volunteerFacts({ hoursPerWeek, assignedHours }),
          });
          if (assignedHours + requested <= hoursPerWeek) {
            household
              .given([registered()])
              .when(when)
              .then([assigned({ hours: requested })]);
          } else {
            household
              .given([registered()])
              .when(when)
              .thenRefuses({
                code: 'VolunteerHoursExceeded',
                kind: 'conflict',
                invariant: 12,
                details: { availableHours: hoursPerWeek, assignedHours, requestedHours: requested },
              });
          }
        },
      ),
    );
  });

  it('counts a member with role child as a minor whatever the birth year says', () => {
    const members = [
      { memberId: 'p1', role: 'parent' as const, birthYear: 1960, name: 'Kees' },
      { memberId: 'c1', role: 'child' as const, birthYear: 1990, name: 'Sem' },
    ];
    household
      .given(householdOf(members))
      .when(assign({ volunteer: volunteerFacts({ vogValidUntil: null }) }))
      .thenRefuses({
        code: 'VogRequired',
        kind: 'conflict',
        invariant: 12,
        details: { vogValidUntil: null, assignmentDate: '2025-03-03' },
      });
  });

  it('tells a missing VOG from an expired one', () => {
    household
      .given([registered()])
      .when(assign({ volunteer: volunteerFacts({ vogValidUntil: null }) }))
      .thenRefuses({
        code: 'VogRequired',
        kind: 'conflict',
        invariant: 12,
        details: { vogValidUntil: null, assignmentDate: '2025-03-03' },
        message: 'has no VOG on file',
      });
    household
      .given([registered()])
      .when(assign({ volunteer: volunteerFacts({ vogValidUntil: '2025-03-02' }) }))
      .thenRefuses({
        code: 'VogRequired',
        kind: 'conflict',
        invariant: 12,
        details: { vogValidUntil: '2025-03-02', assignmentDate: '2025-03-03' },
        message: 'expired on 2025-03-02',
      });
  });

  it('accepts a VOG valid through the assignment day where there are minors', () => {
    household
      .given([registered()])
      .when(assign({ volunteer: volunteerFacts({ vogValidUntil: '2025-03-03' }) }))
      .then([assigned()]);
  });
});

describe('ending an assignment', () => {
  it('refuses a household that is not registered: 404, not a 403', () => {
    household.given([]).when(endAssignment()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });
});

describe('the assignment events are household events', () => {
  it('lists every event an assignment writes among the household event types', () => {
    const written = [
      ...householdDecider.decide(assign(), stateAfter(householdDecider, [registered()])),
      ...householdDecider.decide(endAssignment(), stateAfter(householdDecider, [registered(), assigned()])),
    ];
    expect(written).toEqual([assigned(), assignmentEnded()]);
    expect(HOUSEHOLD_EVENT_TYPES).toEqual(expect.arrayContaining(written.map((e) => e.type)));
  });
});
