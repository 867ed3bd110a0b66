import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { kafkaSecurityOptions } from '@eenplan/messaging';
import { AppConfig } from '@eenplan/runtime';
import { APP_CONFIG, EVENT_STORE } from '../common/tokens';
import { LagService } from '../observability/lag.service';
import { ShutdownState } from '../observability/shutdown-state';

/** A probe that hangs is as unready as one that fails, and must not hang the probe itself. */
const within = <T>(ms: number, what: string, work: Promise<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} gave no answer within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });

const PROBE_TIMEOUT_MS = 2000;

/**
 * How long one Kafka probe's answer stands. /health/ready needs no token, and each probe is a
 * connection (with TLS and a SCRAM login where configured): without this, anyone could make the API
 * log in to the brokers as often as they like, and a broker's login throttling could then slow the
 * relay's own logins. Probes within this time share one connection's answer.
 */
const KAFKA_PROBE_TTL_MS = 2000;

@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lag: LagService,
    private readonly shutdown: ShutdownState,
  ) {}

  accepting(): HealthIndicatorResult {
    const check = this.health.check('accepting');
    return this.shutdown.draining ? check.down({ message: 'shutting down (SIGTERM)' }) : check.up();
  }

  async eventStore(): Promise<HealthIndicatorResult> {
    const check = this.health.check('eventStore');
    try {
      const committed = await within(PROBE_TIMEOUT_MS, 'the event store', this.store.committedPosition());
      return check.up({ committedPosition: committed });
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }

  private kafkaProbe?: { readonly at: number; readonly result: Promise<HealthIndicatorResult> };

  /** Only where KAFKA_BROKERS is set: the embedded default has no Kafka. */
  kafka(): Promise<HealthIndicatorResult | null> {
    const brokers = this.config.kafkaBrokers;
    if (!brokers) return Promise.resolve(null);
    const now = Date.now();
    if (!this.kafkaProbe || now - this.kafkaProbe.at >= KAFKA_PROBE_TTL_MS)
      this.kafkaProbe = { at: now, result: this.probeKafka(brokers) };
    return this.kafkaProbe.result;
  }

  private async probeKafka(brokers: readonly string[]): Promise<HealthIndicatorResult> {
    const check = this.health.check('kafka');
    // Loaded here, not with the module: without KAFKA_BROKERS the process never needs kafkajs.
    const { Kafka, logLevel } = await import('kafkajs');
    const admin = new Kafka({
      clientId: 'eenplan-readiness',
      brokers: [...brokers],
      ...kafkaSecurityOptions(this.config.kafkaSecurity),
      connectionTimeout: 1000,
      requestTimeout: PROBE_TIMEOUT_MS,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      const cluster = await within(
        PROBE_TIMEOUT_MS + 500,
        `Kafka at ${brokers.join(',')}`,
        admin.connect().then(() => admin.describeCluster()),
      );
      return check.up({ brokers: cluster.brokers.length, controller: cluster.controller });
    } catch (e) {
      return check.down({ message: (e as Error).message, brokers });
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }

  async projections(): Promise<HealthIndicatorResult> {
    const check = this.health.check('projections');
    const bound = this.config.readyMaxProjectionLag;
    try {
      // Counting one past the bound is enough to know it is exceeded.
      const lags = await within(
        PROBE_TIMEOUT_MS,
        'the projection checkpoints',
        this.lag.projections(bound + 1),
      );
      const behind = Object.fromEntries([...lags].map(([name, lag]) => [name, lag.events]));
      const over = [...lags].filter(([, lag]) => lag.events > bound).map(([name]) => name);
      return over.length === 0
        ? check.up({ maxLagEvents: bound, lagEvents: behind })
        : check.down({
            message: `${over.join(', ')} more than ${bound} events behind the event store`,
            maxLagEvents: bound,
            lagEvents: behind,
          });
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }
}
