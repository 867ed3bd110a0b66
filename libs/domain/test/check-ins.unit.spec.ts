import {
  CheckInOverdue,
  dateInNl,
  firstDueAfter,
  MarkOverdueCheckIns,
  RecordCheckInContact,
  ScheduleCheckIns,
} from '@eenplan/domain';
import { actor, closed, HH, household, householdState, registered, WorkerId } from './fixtures';

/**
 * Invariant 16: check-in cadences (every N weeks from a start date) go on after the plan closes; a
 * due date whose day is over without a contact on or after it is overdue, announced once per date.
 */

/** Noon in Amsterdam on a calendar date: the instant a command is decided. */
const on = (date: string) => `${date}T11:00:00.000Z`;

const schedule = (
  o: { by?: WorkerId; at?: string; everyWeeks?: number; startsOn?: string; id?: string } = {},
): ScheduleCheckIns => ({
  type: 'ScheduleCheckIns',
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: o.at ?? on('2025-03-03'),
  cadenceId: o.id ?? 'c1',
  everyWeeks: o.everyWeeks ?? 2,
  startsOn: o.startsOn ?? '2025-03-10',
});
const scheduled = (
  o: { everyWeeks?: number; startsOn?: string; id?: string; replaces?: string | null; at?: string } = {},
) => ({
  type: 'CheckInCadenceScheduled' as const,
  data: {
    cadenceId: o.id ?? 'c1',
    everyWeeks: o.everyWeeks ?? 2,
    startsOn: o.startsOn ?? '2025-03-10',
    replaces: o.replaces ?? null,
    scheduledBy: 'anna',
    scheduledAt: o.at ?? on('2025-03-03'),
  },
});
const contact = (
  contactOn: string,
  o: { at?: string; id?: string; by?: WorkerId } = {},
): RecordCheckInContact => ({
  type: 'RecordCheckInContact',
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: o.at ?? on(contactOn),
  contactId: o.id ?? `k-${contactOn}`,
  contactOn,
});
const contacted = (
  contactOn: string,
  nextDueOn: string,
  overdueDueOn: string | null = null,
  at = on(contactOn),
) => ({
  type: 'CheckInContactRecorded' as const,
  data: {
    contactId: `k-${contactOn}`,
    cadenceId: 'c1',
    contactOn,
    recordedBy: 'anna',
    recordedAt: at,
    nextDueOn,
    overdueDueOn,
  },
});
const sweep = (at: string): MarkOverdueCheckIns => ({
  type: 'MarkOverdueCheckIns',
  householdId: HH,
  actor: { id: 'system', roles: [], teams: [] },
  at,
});
const overdue = (dueOn: string, detectedAt: string, everyWeeks = 2): CheckInOverdue => ({
  type: 'CheckInOverdue',
  data: { cadenceId: 'c1', dueOn, everyWeeks, detectedAt },
});

describe('invariant 16: check-in cadences', () => {
  it('schedules a cadence every N weeks from a start date', () => {
    household.given([registered()]).when(schedule()).then([scheduled()]);
  });

  it('schedules and keeps a cadence after the plan closed', () => {
    household.given([registered(), closed()]).when(schedule()).then([scheduled()]);
    const state = householdState([registered(), scheduled(), closed()]);
    expect(state.checkIns.cadence).toEqual({ cadenceId: 'c1', everyWeeks: 2, startsOn: '2025-03-10' });
  });

  it('replaces a running cadence, naming the one it replaces', () => {
    household
      .given([registered(), scheduled()])
      .when(schedule({ id: 'c2', everyWeeks: 4 }))
      .then([scheduled({ id: 'c2', everyWeeks: 4, replaces: 'c1' })]);
  });

  it('refuses a cadence of 0 or more than 52 weeks, and a start in the past', () => {
    household
      .given([registered()])
      .when(schedule({ everyWeeks: 0 }))
      .thenRefuses({ code: 'InvalidCadence', kind: 'invalid', details: { field: 'everyWeeks' } });
    household
      .given([registered()])
      .when(schedule({ everyWeeks: 53 }))
      .thenRefuses({ code: 'InvalidCadence', kind: 'invalid', details: { field: 'everyWeeks' } });
    household
      .given([registered()])
      .when(schedule({ startsOn: '2025-03-02' }))
      .thenRefuses({ code: 'CadenceStartsInPast', kind: 'invalid', details: { field: 'startsOn' } });
  });

  it('refuses a worker of another team', () => {
    household
      .given([registered()])
      .when(schedule({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('refuses a contact without a cadence, naming invariant 16', () => {
    household
      .given([registered()])
      .when(contact('2025-03-10'))
      .thenRefuses({ code: 'NoCheckInCadence', kind: 'conflict', invariant: 16 });
  });

  it('a contact on the due date satisfies it: the next one is N weeks later', () => {
    household
      .given([registered(), scheduled()])
      .when(contact('2025-03-10'))
      .then([contacted('2025-03-10', '2025-03-24')]);
  });

  it('a contact before the due date does not satisfy it', () => {
    household
      .given([registered(), scheduled()])
      .when(contact('2025-03-09'))
      .then([contacted('2025-03-09', '2025-03-10')]);
  });

  it('a late contact satisfies every due date on or before it', () => {
    household
      .given([registered(), scheduled()])
      .when(contact('2025-04-01'))
      .then([contacted('2025-04-01', '2025-04-07')]);
  });

  it('refuses a contact dated in the future', () => {
    household
      .given([registered(), scheduled()])
      .when(contact('2025-03-12', { at: on('2025-03-11') }))
      .thenRefuses({ code: 'ContactInFuture', kind: 'invalid', details: { field: 'contactOn' } });
  });

  it('nothing is overdue on the due date itself', () => {
    household
      .given([registered(), scheduled()])
      .when(sweep(on('2025-03-10')))
      .then([]);
  });

  it('the day after the due date, the check-in is overdue', () => {
    household
      .given([registered(), scheduled()])
      .when(sweep(on('2025-03-11')))
      .then([overdue('2025-03-10', on('2025-03-11'))]);
  });

  it('a due date counts as passed only once the day is over in Amsterdam', () => {
    // Midnight in Amsterdam is 23:00 UTC in winter (UTC+1).
    expect(dateInNl('2025-03-10T23:00:00.000Z')).toBe('2025-03-11');
    household.given([registered(), scheduled()]).when(sweep('2025-03-10T22:59:59.000Z')).then([]);
    household
      .given([registered(), scheduled()])
      .when(sweep('2025-03-10T23:00:00.000Z'))
      .then([overdue('2025-03-10', '2025-03-10T23:00:00.000Z')]);
  });

  it('announces every missed due date once, and never again', () => {
    const at = on('2025-04-08');
    const missed = [overdue('2025-03-10', at), overdue('2025-03-24', at), overdue('2025-04-07', at)];
    household.given([registered(), scheduled()]).when(sweep(at)).then(missed);
    household
      .given([registered(), scheduled(), ...missed])
      .when(sweep(on('2025-04-20')))
      .then([]);
    household
      .given([registered(), scheduled(), ...missed])
      .when(sweep(on('2025-04-22')))
      .then([overdue('2025-04-21', on('2025-04-22'))]);
  });

  it('goes on after the plan closes: a missed check-in of a closed household is overdue', () => {
    household
      .given([registered(), scheduled(), closed()])
      .when(sweep(on('2025-03-11')))
      .then([overdue('2025-03-10', on('2025-03-11'))]);
  });

  it('a contact after an overdue due date clears it; the next ones follow the cadence', () => {
    const missed = overdue('2025-03-10', on('2025-03-11'));
    household
      .given([registered(), scheduled(), missed])
      .when(contact('2025-03-12'))
      .then([contacted('2025-03-12', '2025-03-24', null)]);
    household
      .given([registered(), scheduled(), missed, contacted('2025-03-12', '2025-03-24')])
      .when(sweep(on('2025-03-24')))
      .then([]);
  });

  it('a backdated contact leaves later announced due dates overdue', () => {
    const at = on('2025-04-08');
    const missed = [overdue('2025-03-10', at), overdue('2025-03-24', at), overdue('2025-04-07', at)];
    household
      .given([registered(), scheduled(), ...missed])
      .when(contact('2025-03-15', { at: on('2025-04-09') }))
      .then([contacted('2025-03-15', '2025-03-24', '2025-03-24', on('2025-04-09'))]);
  });

  it('an ended cadence has nothing overdue', () => {
    const ended = {
      type: 'CheckInCadenceEnded' as const,
      data: { cadenceId: 'c1', endedBy: 'anna', endedAt: on('2025-03-05') },
      personal: { reason: 'Gaat goed' },
    };
    household
      .given([registered(), scheduled(), ended])
      .when(sweep(on('2025-05-01')))
      .then([]);
    household
      .given([registered()])
      .when({
        type: 'EndCheckIns',
        householdId: HH,
        actor: actor('anna'),
        at: on('2025-03-05'),
        reason: 'Gaat goed',
      })
      .thenRefuses({ code: 'NoCheckInCadence', kind: 'conflict', invariant: 16 });
  });
});

describe('invariant 16: the edges of a cadence', () => {
  it('accepts a cadence of 1 and of 52 weeks, and refuses a part of a week', () => {
    household
      .given([registered()])
      .when(schedule({ everyWeeks: 1 }))
      .then([scheduled({ everyWeeks: 1 })]);
    household
      .given([registered()])
      .when(schedule({ everyWeeks: 52 }))
      .then([scheduled({ everyWeeks: 52 })]);
    household
      .given([registered()])
      .when(schedule({ everyWeeks: 1.5 }))
      .thenRefuses({ code: 'InvalidCadence', kind: 'invalid', details: { field: 'everyWeeks' } });
  });

  it('a cadence may start today', () => {
    household
      .given([registered()])
      .when(schedule({ startsOn: '2025-03-03' }))
      .then([scheduled({ startsOn: '2025-03-03' })]);
  });

  it('refuses a cadence id used before, even by an ended cadence', () => {
    household
      .given([registered(), scheduled()])
      .when(schedule())
      .thenRefuses({ code: 'CadenceIdAlreadyUsed', kind: 'conflict' });
    household
      .given([registered(), scheduled(), scheduled({ id: 'c2', replaces: 'c1' })])
      .when(schedule({ id: 'c1' }))
      .thenRefuses({ code: 'CadenceIdAlreadyUsed', kind: 'conflict' });
  });

  it('refuses a contact id recorded before', () => {
    household
      .given([registered(), scheduled(), contacted('2025-03-10', '2025-03-24')])
      .when(contact('2025-03-12', { id: 'k-2025-03-10' }))
      .thenRefuses({ code: 'ContactAlreadyRecorded', kind: 'conflict' });
  });
});

describe('invariant 16: contacts and the end of a cadence', () => {
  it('a backdated contact before the last one never moves the next due date back', () => {
    household
      .given([registered(), scheduled(), contacted('2025-03-10', '2025-03-24')])
      .when(contact('2025-03-07', { at: on('2025-03-12') }))
      .then([contacted('2025-03-07', '2025-03-24', null, on('2025-03-12'))]);
  });

  it('a contact before an announced overdue due date leaves that date overdue', () => {
    household
      .given([registered(), scheduled(), overdue('2025-03-10', on('2025-03-11'))])
      .when(contact('2025-03-05', { at: on('2025-03-12') }))
      .then([contacted('2025-03-05', '2025-03-10', '2025-03-10', on('2025-03-12'))]);
  });

  it('keeps a note on a contact apart as personal data', () => {
    household
      .given([registered(), scheduled()])
      .when({ ...contact('2025-03-10'), notes: 'Gaat goed' })
      .then([{ ...contacted('2025-03-10', '2025-03-24'), personal: { notes: 'Gaat goed' } }]);
  });

  it('ends the running cadence, the reason kept apart as personal data', () => {
    household
      .given([registered(), scheduled()])
      .when({
        type: 'EndCheckIns',
        householdId: HH,
        actor: actor('anna'),
        at: on('2025-03-05'),
        reason: 'Gaat goed',
      })
      .then([
        {
          type: 'CheckInCadenceEnded',
          data: { cadenceId: 'c1', endedBy: 'anna', endedAt: on('2025-03-05') },
          personal: { reason: 'Gaat goed' },
        },
      ]);
  });

  it('the first due date after a day before the start is the start', () => {
    const cadence = { everyWeeks: 2, startsOn: '2025-03-10' };
    expect(firstDueAfter(cadence, '2025-02-01')).toBe('2025-03-10');
    expect(firstDueAfter(cadence, '2025-03-09')).toBe('2025-03-10');
    expect(firstDueAfter(cadence, '2025-03-10')).toBe('2025-03-24');
  });
});

describe('who works on a household: a worker role, and the team or the regie', () => {
  it('refuses an auditor listed in the household team, as no worker', () => {
    household
      .given([registered()])
      .when({ ...schedule(), actor: { id: 'audit-1', roles: ['auditor'], teams: ['noord'] } })
      .thenRefuses({
        code: 'NotHouseholdTeam',
        kind: 'forbidden',
        message: 'only workers of team noord or the regie holder schedule check-ins',
      });
  });

  it('a team lead of the household team works on it, even without the worker role', () => {
    household
      .given([registered()])
      .when({ ...schedule(), actor: { id: 'anna', roles: ['team-lead'], teams: ['noord'] } })
      .then([scheduled()]);
  });

  it("refuses the regie holder's id when it acts without a worker role", () => {
    household
      .given([registered({ regie: 'anna' })])
      .when({ ...schedule(), actor: { id: 'anna', roles: ['auditor'], teams: [] } })
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('names what the worker may not do when ending or recording', () => {
    household
      .given([registered(), scheduled()])
      .when({ ...contact('2025-03-10'), actor: actor('karim') })
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden', message: 'record check-in contacts' });
    household
      .given([registered(), scheduled()])
      .when({
        type: 'EndCheckIns',
        householdId: HH,
        actor: actor('karim'),
        at: on('2025-03-05'),
        reason: 'x',
      })
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden', message: 'end check-ins' });
  });
});
