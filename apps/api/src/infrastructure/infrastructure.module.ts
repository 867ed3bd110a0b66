import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { createSql } from '@eenplan/event-store';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import {
  ALL_PROJECTIONS,
  CaseloadQueries,
  ProjectionRunner,
  RegieHistoryQueries,
  WorkersQueries,
} from '@eenplan/projections';
import { LocalAccessTokens, OidcAccessTokens, resolveLocalSecret } from '@eenplan/security';
import { AppConfig, createEventStore, migrateApp, storeSqlConfig } from '@eenplan/runtime';
import { AggregateExecutor } from '../common/aggregate-executor';
import { JWT_SECRET } from '../common/auth';
import {
  ACCESS_TOKENS,
  APP_CONFIG,
  CLOCK,
  Clock,
  EVENT_STORE,
  SEALED_EVENT_STORE,
  SQL,
  systemClock,
} from '../common/tokens';
import { WorkerFactsService } from '../common/worker-facts';
import { WorkerNames } from '../common/worker-names';
import { HouseholdAccess } from '../common/household-access';
import { HouseholdViews } from '../common/household-views';
import { PrincipalRegistry, REGISTRY_FRESH_MS } from '../common/principals';
import { CircleFacts } from '../common/circle-principals';
import { ResidentRegistry } from '../common/resident-principals';
import { ReadModelSync } from '../common/read-models';
import { meteredEventStore } from '../observability/metered-event-store';
import { Metrics } from '../observability/metrics';
import type { KafkaRelay } from '@eenplan/messaging';
import { KAFKA_RELAY, kafkaRelayProvider } from '../messaging/kafka-relay.provider';

/** Starts the projection runner after migrations and stops everything in reverse on shutdown. */
@Injectable()
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');
  constructor(
    @Inject(SQL) private readonly sql: Sql,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
    @Inject(KAFKA_RELAY) private readonly relay: KafkaRelay | null,
  ) {}

  async onModuleInit() {
    if (this.config.runProjections) {
      await this.runner.init();
      await this.runner.catchUp();
    } else {
      // The worker process owns the projections (and their rebuilds); this API only follows them.
      await this.runner.refreshCheckpoints();
    }
    this.runner.start();
    // Only when KAFKA_BROKERS is set; its lease keeps one relay active across processes.
    this.relay?.start();
  }

  async onApplicationShutdown() {
    // First: it finishes its round (the broker acks, the checkpoint moves) and releases its lease.
    await this.relay?.stop();
    await this.runner.stop();
    await this.store.close();
    await this.sql.close();
    this.logger.log('stopped');
  }
}

export interface InfrastructureOptions {
  readonly config: AppConfig;
  readonly clock?: Clock;
  /** The wall clock tokens are checked against (tests move it to see a token expire); default Date.now. */
  readonly tokenNow?: () => number;
}

@Global()
@Module({})
export class InfrastructureModule {
  static forRoot({ config, clock, tokenNow = Date.now }: InfrastructureOptions): DynamicModule {
    const logger = new Logger('Projections');
    const embeddedLog = new Logger('EmbeddedPostgres');
    const runnerProvider = [
      {
        provide: ProjectionRunner,
        inject: [EVENT_STORE, SQL],
        useFactory: (store: EventStore, sql: Sql) =>
          new ProjectionRunner(store, sql, ALL_PROJECTIONS, {
            mode: config.runProjections ? 'apply' : 'follow',
            onError: (e) => logger.error(`projection pass failed: ${(e as Error).message}`),
          }),
      },
    ];
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: CLOCK, useValue: clock ?? systemClock },
      // With an OpenID provider there is no local secret: none is made, and nothing signs or checks with one.
      ...(config.oidc
        ? []
        : [{ provide: JWT_SECRET, useFactory: () => resolveLocalSecret(config.dataDir, config.jwtSecret) }]),
      {
        provide: ACCESS_TOKENS,
        useFactory: () => {
          const rules = { maxLifetimeSeconds: config.tokenMaxLifetimeSeconds };
          return config.oidc
            ? new OidcAccessTokens(config.oidc, tokenNow, rules)
            : new LocalAccessTokens(resolveLocalSecret(config.dataDir, config.jwtSecret), tokenNow, rules);
        },
      },
      {
        provide: SQL,
        useFactory: async () => {
          // One API per DATA_DIR: a second one is refused rather than share (and stop) the first's cluster.
          const sql = await createSql(storeSqlConfig(config, 'refuse', (line) => embeddedLog.log(line)));
          // A refused migration stops the start: the embedded cluster is stopped with it, not left behind.
          await migrateApp(sql).catch(async (e: unknown) => {
            await sql.close().catch(() => undefined);
            throw e;
          });
          return sql;
        },
      },
      {
        provide: SEALED_EVENT_STORE,
        inject: [SQL],
        useFactory: (sql: Sql) => createEventStore(config, sql),
      },
      {
        provide: EVENT_STORE,
        inject: [SEALED_EVENT_STORE, { token: Metrics, optional: true }],
        // Timed appends and counted conflicts, without the adapter knowing of metrics.
        useFactory: (store: EventStore, metrics?: Metrics) =>
          metrics ? meteredEventStore(store, metrics) : store,
      },
      ...runnerProvider,
      kafkaRelayProvider(config),
      {
        provide: RegieHistoryQueries,
        // The store that decrypts: the history's reasons are read from the events, never stored beside them.
        inject: [SQL, EVENT_STORE],
        useFactory: (sql: Sql, store: EventStore) => new RegieHistoryQueries(sql, store),
      },
      { provide: CaseloadQueries, inject: [SQL], useFactory: (sql: Sql) => new CaseloadQueries(sql) },
      { provide: WorkersQueries, inject: [SQL], useFactory: (sql: Sql) => new WorkersQueries(sql) },
      AggregateExecutor,
      ReadModelSync,
      WorkerFactsService,
      WorkerNames,
      HouseholdViews,
      HouseholdAccess,
      {
        provide: CircleFacts,
        inject: [AggregateExecutor],
        useFactory: (executor: AggregateExecutor) => new CircleFacts(executor, REGISTRY_FRESH_MS),
      },
      {
        provide: ResidentRegistry,
        inject: [HouseholdViews, CLOCK],
        useFactory: (views: HouseholdViews, clock: Clock) => new ResidentRegistry(views, clock),
      },
      {
        provide: PrincipalRegistry,
        inject: [WorkerFactsService, SQL, CircleFacts, ResidentRegistry],
        useFactory: (facts: WorkerFactsService, sql: Sql, circle: CircleFacts, residents: ResidentRegistry) =>
          new PrincipalRegistry(facts, sql, Date.now, circle, residents),
      },
      Lifecycle,
    ];
    return {
      module: InfrastructureModule,
      providers,
      exports: providers.filter((p) => p !== Lifecycle).map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
