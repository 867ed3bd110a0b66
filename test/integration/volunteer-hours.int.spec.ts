/**
 * The two-stream write of an assignment (invariant 12) at the moment that matters: the hours are
 * held in the volunteer's stream, and before the assignment reaches the household's stream another
 * worker closes the plan. The assignment is refused and the held hours are given back. A real
 * store on PGlite; the concurrent close is appended by the test at exactly that point.
 */
import 'reflect-metadata';
import { householdStream, SCHEMA_VERSION, volunteerStream } from '@eenplan/domain';
import {
  createPgliteSql,
  EventStore,
  eventStoreMigrations,
  migrate,
  NewEvent,
  PostgresEventStore,
  type Sql,
} from '@eenplan/event-store';
import { randomUUID } from 'node:crypto';
import { AggregateExecutor } from '../../apps/api/src/common/aggregate-executor';
import { WriteContext } from '../../apps/api/src/common/write-context';
import {
  PeopleAroundCommandHandler,
  ExecutePeopleAroundCommand,
} from '../../apps/api/src/households/people-around/people-around.handler';
import { TestClock } from '../support/app';
import { loadConfig } from '@eenplan/runtime';

let sql: Sql;
let store: PostgresEventStore;
beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, eventStoreMigrations);
  store = new PostgresEventStore(sql);
});
afterAll(async () => {
  await store?.close();
  await sql?.close();
});

const event = (
  type: string,
  data: Record<string, unknown>,
  personal: Record<string, unknown> | null = null,
): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  personal,
  metadata: {
    schemaVersion: SCHEMA_VERSION,
    actor: { kind: 'worker', id: 'w-1' },
    recordedAt: '2026-01-05T09:00:00.000Z',
    correlationId: randomUUID(),
    causationId: randomUUID(),
  },
});

const ctx: WriteContext = {
  principal: { sub: 'w-1', roles: ['worker'], teams: ['t-1'] },
  actor: { id: 'w-1', roles: ['worker'], teams: ['t-1'] },
  correlationId: randomUUID(),
  requestId: randomUUID(),
};

const seed = async (householdId: string, volunteerId: string) => {
  await store.append(
    householdStream(householdId),
    [
      event('HouseholdRegistered', {
        householdId,
        teamId: 't-1',
        district: 'noord',
        members: [{ memberId: 'm-1', role: 'adult', birthYear: 1970 }],
        regie: { kind: 'household' },
        registeredAt: '2026-01-05T09:00:00.000Z',
      }),
    ],
    0,
  );
  await store.append(
    volunteerStream(volunteerId),
    [
      event(
        'VolunteerRegistered',
        {
          volunteerId,
          skills: [],
          hoursPerWeek: 4,
          vogValidUntil: null,
          registeredBy: 'w-1',
          registeredAt: '2026-01-05T09:00:00.000Z',
        },
        { name: 'Henk' },
      ),
    ],
    0,
  );
};

/** The real store, with another worker's close slipped in right after the hours are held. */
const closingAfterHoursHeld = (householdId: string): EventStore =>
  new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver) as unknown;
      const append: EventStore['append'] = async (streamId, events, expected) => {
        const result = await target.append(streamId, events, expected);
        if (events.some((e) => e.type === 'VolunteerHoursCommitted')) {
          await target.append(
            householdStream(householdId),
            [
              event('PlanClosed', {
                closedBy: 'w-2',
                regieEndedFor: { kind: 'household' },
                closedAt: '2026-01-05T09:00:01.000Z',
              }),
            ],
            1,
          );
        }
        return result;
      };
      return append;
    },
  });

describe('assigning a volunteer across two streams', () => {
  it('gives the held hours back when the household refuses the assignment after they were held', async () => {
    await seed('h-1', 'v-1');
    const clock = new TestClock();
    const handler = new PeopleAroundCommandHandler(
      new AggregateExecutor(closingAfterHoursHeld('h-1'), clock),
      clock,
      loadConfig({}),
    );
    await expect(
      handler.execute(
        new ExecutePeopleAroundCommand(
          {
            type: 'AssignVolunteer',
            householdId: 'h-1',
            assignmentId: 'as-1',
            volunteerId: 'v-1',
            hoursPerWeek: 4,
          },
          ctx,
        ),
      ),
    ).rejects.toMatchObject({ code: 'PlanClosed', invariant: 9 });

    const volunteer = await store.readStream(volunteerStream('v-1'));
    expect(volunteer.map((e) => [e.type, e.data.cause])).toEqual([
      ['VolunteerRegistered', undefined],
      ['VolunteerHoursCommitted', undefined],
      ['VolunteerHoursReleased', 'assignment-not-recorded'],
    ]);
    const household = await store.readStream(householdStream('h-1'));
    expect(household.map((e) => e.type)).toEqual(['HouseholdRegistered', 'PlanClosed']);
  });

  it('a retried assignment after a crash between the two appends finds its held hours and completes', async () => {
    await seed('h-2', 'v-2');
    // The first attempt held the hours and then the process died before the household's append.
    await store.append(
      volunteerStream('v-2'),
      [
        event('VolunteerHoursCommitted', {
          volunteerId: 'v-2',
          householdId: 'h-2',
          assignmentId: 'as-1',
          hoursPerWeek: 4,
        }),
      ],
      1,
    );
    const clock = new TestClock();
    const handler = new PeopleAroundCommandHandler(
      new AggregateExecutor(store, clock),
      clock,
      loadConfig({}),
    );
    const written = await handler.execute(
      new ExecutePeopleAroundCommand(
        {
          type: 'AssignVolunteer',
          householdId: 'h-2',
          assignmentId: 'as-1',
          volunteerId: 'v-2',
          hoursPerWeek: 4,
        },
        ctx,
      ),
    );
    expect(written.state.assignments['as-1']).toMatchObject({ status: 'open', hoursPerWeek: 4 });
    expect((await store.readStream(volunteerStream('v-2'))).map((e) => e.type)).toEqual([
      'VolunteerRegistered',
      'VolunteerHoursCommitted',
    ]);
  });
});
