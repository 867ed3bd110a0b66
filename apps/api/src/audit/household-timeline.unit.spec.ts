import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { householdTimelineMarks, idsNamed } from './household-timeline';

let version = 0;
const event = (
  type: string,
  data: Record<string, unknown>,
  recordedAt: string,
  personal: Record<string, unknown> | null = null,
): RecordedEvent => ({
  eventId: `e-${++version}`,
  type,
  data,
  personal,
  streamId: 'household-hh-1',
  streamVersion: version,
  position: String(version),
  metadata: {
    schemaVersion: 1,
    actor: { kind: 'worker', id: 'w-1' },
    recordedAt,
    correlationId: 'c',
    causationId: 'c',
  },
});

const request = (transferId: string, requestedAt: string, from: Record<string, unknown>) =>
  event(
    'RegieTransferRequested',
    {
      transferId,
      from,
      to: { kind: 'worker', id: 'w-2', teamId: 't-1' },
      requestedBy: 'w-1',
      variant: 'handover',
      agreedBy: null,
      requestedAt,
    },
    requestedAt,
    { reason: `reden ${transferId}` },
  );

describe('householdTimelineMarks', () => {
  it('gives each request its period until its answer, and the closures and reopenings in order', () => {
    const marks = householdTimelineMarks('hh-1', [
      request('a', '2026-03-01T10:00:00.000Z', { kind: 'worker', id: 'w-1', teamId: 't-1' }),
      event('RegieTransferDeclined', { transferId: 'a', declinedBy: 'w-2' }, '2026-03-01T11:00:00.000Z'),
      request('b', '2026-03-02T10:00:00.000Z', { kind: 'worker', id: 'w-1', teamId: 't-1' }),
      event(
        'RegieTransferAccepted',
        { transferId: 'b', acceptedBy: 'w-2', acceptedAt: '2026-03-02T12:00:00.000Z' },
        '2026-03-02T12:00:00.000Z',
      ),
      // An answer repeated or without its request changes nothing.
      event('RegieTransferCancelled', { transferId: 'b', cancelledBy: 'w-1' }, '2026-03-02T13:00:00.000Z'),
      event('RegieTransferCancelled', { transferId: 'x', cancelledBy: 'w-1' }, '2026-03-02T13:00:00.000Z'),
      event(
        'PlanClosed',
        { closedBy: 'w-2', closedAt: '2026-03-03T10:00:00.000Z' },
        '2026-03-03T10:00:00.000Z',
      ),
      event('PlanReopened', { reopenedBy: 'w-3' }, '2026-03-04T10:00:00.000Z'),
      request('c', '2026-03-05T10:00:00.000Z', { kind: 'household' }),
    ]);
    expect(marks.pendingTransfers).toEqual([
      expect.objectContaining({
        transferId: 'a',
        from: '2026-03-01T10:00:00.000Z',
        to: '2026-03-01T11:00:00.000Z',
        outcome: 'declined',
        settledBy: 'w-2',
        reason: 'reden a',
      }),
      expect.objectContaining({
        transferId: 'b',
        to: '2026-03-02T12:00:00.000Z',
        outcome: 'accepted',
        settledBy: 'w-2',
      }),
      expect.objectContaining({
        transferId: 'c',
        to: null,
        outcome: 'pending',
        fromHolder: { kind: 'household', id: 'hh-1' },
      }),
    ]);
    expect(marks.pendingTransfers[2]).not.toHaveProperty('settledBy');
    expect(marks.closures).toEqual([{ at: '2026-03-03T10:00:00.000Z', by: 'w-2' }]);
    expect(marks.reopenings).toEqual([{ at: '2026-03-04T10:00:00.000Z', by: 'w-3' }]);
    expect([...idsNamed([], marks)].sort()).toEqual(['w-1', 'w-2', 'w-3']);
  });

  it('leaves the reason out where the personal part is gone (an erasure)', () => {
    const erased = { ...request('a', '2026-03-01T10:00:00.000Z', { kind: 'household' }), personal: null };
    expect(householdTimelineMarks('hh-1', [erased]).pendingTransfers[0]).not.toHaveProperty('reason');
  });
});

describe('idsNamed', () => {
  it('names worker holders and actors, never the household', () => {
    const ids = idsNamed([
      {
        holder: { kind: 'household', id: 'hh-1' },
        previousHolder: { kind: 'worker', id: 'w-1' },
        agreedBy: 'm-1',
      } as never,
      {
        holder: { kind: 'worker', id: 'w-2' },
        requestedBy: 'w-3',
        approvedBy: 'lead-1',
        rejectedBy: 'lead-2',
      },
    ]);
    expect([...ids].sort()).toEqual(['lead-1', 'lead-2', 'w-1', 'w-2', 'w-3']);
  });
});
