import type { Line } from './report';
import { judge } from './report';
import { ms, num } from './stats';
export { runRelayPhase, type RelayPhaseResult } from './relay';
import type { RelayPhaseResult } from './relay';

/** The relay phase's settings from the environment (see docs/BENCHMARK.md). */
export const relayOptions = (
  quick: boolean,
  envNumber: (name: string, fallback: number, min?: number) => number,
) => ({
  brokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim()),
  events: Math.round(envNumber('BENCH_RELAY_EVENTS', quick ? 20_000 : 100_000, 1000)),
  batchSize: Math.round(envNumber('BENCH_RELAY_BATCH', 5000, 1)),
  lagSeconds: envNumber('BENCH_LAG_SECONDS', quick ? 3 : 10, 1),
  lagRate: envNumber('BENCH_LAG_RATE', 1000, 1),
});

export const relayLines = (r: RelayPhaseResult): Line[] => {
  const ratio = r.bestRelay.perSecond / r.bestRaw.perSecond;
  const rates = (list: { perSecond: number }[]) => list.map((x) => num(x.perSecond)).join(' and ');
  return [
    {
      id: '9',
      figure: `Kafka raw kafkajs producer, ${num(r.events)} events`,
      measured: `${num(r.bestRaw.perSecond)} ev/s`,
      target: 'the limit',
      result: 'info',
      value: r.bestRaw.perSecond,
      unit: 'events/s',
      note: `idempotent, acks=all, 1 request in flight, batches of ${r.batchSize}, messages built beforehand; rounds: ${rates(r.raw)} ev/s`,
    },
    {
      id: '9',
      figure: `Kafka relay, feed to broker, ${num(r.events)} events`,
      measured: `${num(r.bestRelay.perSecond)} ev/s = ${ratio.toFixed(2)}x raw`,
      target: '>= 10,000 ev/s and >= 0.5x raw',
      result: judge(r.bestRelay.perSecond >= 10_000 && ratio >= 0.5),
      value: r.bestRelay.perSecond,
      unit: 'events/s',
      note: `readAll page ${r.batchSize} + map + send + checkpoint per round; rounds: ${rates(r.relay)} ev/s; bench process (relay) ${num(r.relayCpuPct)}% of a core`,
    },
    {
      id: '9',
      figure: `Kafka end-to-end lag p99 (p50), ${num(r.lag.rate)} appends/s`,
      measured: `${ms(r.lag.ms.p99)} (${ms(r.lag.ms.p50)})`,
      target: 'p99 < 1 s',
      result: r.lag.received < r.lag.appended ? 'failed' : judge(r.lag.ms.p99 < 1000),
      value: r.lag.ms.p99,
      unit: 'ms',
      note:
        `append called -> message at a consumer of the plan topic; ${num(r.lag.appended)} appends in ${r.lag.seconds.toFixed(1)} s (${num(r.lag.achievedRate)}/s), ` +
        `${num(r.lag.received)} received; max ${ms(r.lag.ms.max)}; of which the append itself p50 ${ms(r.lag.appendMs.p50)} p99 ${ms(r.lag.appendMs.p99)}, ` +
        `commit to consumer p50 ${ms(r.lag.afterAckMs.p50)} p99 ${ms(r.lag.afterAckMs.p99)}; relay, appender and consumer in one process`,
    },
  ];
};
