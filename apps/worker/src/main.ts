import 'reflect-metadata';
import { createSql } from '@eenplan/event-store';
import {
  ALL_PROJECTIONS,
  ErasuresQueries,
  OverdueCheckInsQueries,
  PlanEvaluationsQueries,
  ProjectionRunner,
  RegieHistoryQueries,
} from '@eenplan/projections';
import { ChainAnchors } from '@eenplan/security';
import {
  CheckInSweep,
  PlanCycleSweep,
  SweepTimer,
  SafetyTakeoverSweep,
  systemClock,
  ConfigError,
  loadConfig,
  migrateApp,
  createEventStore,
  createRelay,
  createLogger,
  ErasureSweep,
  householdClosedRule,
  memberLeftRule,
  retentionPolicy,
  RetentionRuns,
  RetentionSweep,
} from '@eenplan/runtime';
import { householdStream } from '@eenplan/domain';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';

/**
 * The background side for server mode: the projection runner as its own process (run the API with
 * RUN_PROJECTIONS=false beside it), and the Kafka relay when KAFKA_BROKERS is set. The embedded
 * default runs the same runner inside the API.
 */
const main = async () => {
  // What an eenplan process writes (PGlite's files, keys, the local secret) is its user's only.
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new ConfigError(
      'DATABASE_URL is required for the worker (the embedded default runs projections in the API)',
    );
  // JSON lines like the API's: ids, types, counts and durations only.
  const logger = createLogger(config.logLevel).child({ process: 'worker' });
  const sql = await createSql({ databaseUrl: config.databaseUrl });
  await migrateApp(sql);
  // EVENT_STORE=kurrentdb: the events on KurrentDB, the read models still on DATABASE_URL.
  const store = await createEventStore(config, sql);
  const runner = new ProjectionRunner(store, sql, ALL_PROJECTIONS, {
    onError: (e) => logger.error({ err: (e as Error).message }, 'projection pass failed'),
  });
  await runner.init();
  runner.start();
  const relay = createRelay(store, sql, config, {
    log: (line: string) => logger.info({ context: 'relay' }, line),
    warn: (line: string) => logger.warn({ context: 'relay' }, line),
  });
  relay?.start();
  // Overdue check-ins are announced where the projections run (invariant 16).
  const sweep = new SweepTimer(
    new CheckInSweep(store, new OverdueCheckInsQueries(sql), systemClock),
    config.checkInSweepMs,
    (e) => logger.error({ err: (e as Error).message }, 'check-in sweep failed'),
  );
  sweep.start();
  // And plans whose evaluation date passed (issue 19).
  const planCycleSweep = new SweepTimer(
    new PlanCycleSweep(
      store,
      new PlanEvaluationsQueries(sql),
      systemClock,
      config.planCycle.reassessmentAfterMonths,
    ),
    config.planCycleSweepMs,
    (e) => logger.error({ err: (e as Error).message }, 'plan-cycle sweep failed'),
  );
  planCycleSweep.start();
  // And safety takeovers no team lead confirmed in time (invariant 6).
  const safetySweep = new SweepTimer(
    new SafetyTakeoverSweep(
      store,
      new RegieHistoryQueries(sql, store),
      systemClock,
      config.safetyConfirmHours,
    ),
    config.safetyTakeoverSweepMs,
    (e) => logger.error({ err: (e as Error).message }, 'safety takeover sweep failed'),
  );
  safetySweep.start();
  // And erasures whose key a stopped process did not destroy: at start, then now and then.
  const erasureSweep = new ErasureSweep(new ErasuresQueries(sql), store.keys);
  const erasureSweepFailed = (e: unknown) =>
    logger.error({ err: (e as Error).message }, 'erasure sweep failed');
  const runErasureSweep = async () => {
    const result = await erasureSweep.run();
    if (result.finished.length > 0) logger.info({ households: result.finished }, 'finished pending erasures');
    if (result.finishedMembers.length > 0)
      logger.info({ members: result.finishedMembers }, "finished pending erasures of members' data");
    return result;
  };
  // The first once the projections have applied what the feed held at start.
  const firstErasureSweep = store
    .headPosition()
    .then((head) => runner.waitFor(head, 3_600_000))
    .then((caughtUp) => (caughtUp ? runErasureSweep() : undefined))
    .catch(erasureSweepFailed);
  const erasureTimer = new SweepTimer({ run: runErasureSweep }, config.erasureSweepMs, erasureSweepFailed);
  erasureTimer.start();
  // And the retention sweep: the timer looks every hour (or RETENTION_SWEEP_MS if shorter) and
  // runs it once the last timed run, of any process, is RETENTION_SWEEP_MS ago.
  const retentionSweep = new RetentionSweep(
    store,
    [
      householdClosedRule(
        new ErasuresQueries(sql),
        retentionPolicy(config.retention, 'household-closed').period,
        // A key not destroyed here is finished by the erasure sweep.
        (householdId) => store.erase(householdStream(householdId)),
      ),
      memberLeftRule(
        new ErasuresQueries(sql),
        retentionPolicy(config.retention, 'member-left').period,
        (householdId, memberId) => store.erasePerson(householdStream(householdId), memberId),
      ),
    ],
    new RetentionRuns(sql),
    systemClock,
    {
      intervalMs: config.retention.sweepMs,
      onError: (target, stage, error) =>
        logger.error(
          { household: target.householdId, stage, err: (error as Error).message },
          'retention sweep',
        ),
    },
  );
  const retentionTimer = new SweepTimer(
    {
      run: async () => {
        const run = await retentionSweep.runIfDue();
        if (run) logger.info({ runId: run.runId, erased: run.erased }, 'retention run');
      },
    },
    config.retention.sweepMs > 0 ? Math.min(config.retention.sweepMs, 3_600_000) : 0,
    (e) => logger.error({ err: (e as Error).message }, 'retention sweep failed'),
  );
  retentionTimer.start();
  // And the chains' heads, anchored in the key store now and then and at the end.
  const anchors = new ChainAnchors(store.keys, { events: store.inner, sql });
  // Each run reads the feed for 10 s at most (2 s at the end): a large store's first anchor takes several.
  const writeAnchor = async (budgetMs = 10_000) => {
    const written = await anchors.write({ budgetMs });
    for (const reason of written.held)
      logger.error({ reason }, 'chain anchor held at the last one; run npm run audit:verify');
    return written;
  };
  const anchorFailed = (e: unknown) =>
    logger.error({ err: (e as Error).message }, 'writing the chain anchor failed');
  const anchorTimer = new SweepTimer({ run: () => writeAnchor() }, config.anchorIntervalMs, anchorFailed);
  anchorTimer.start();
  logger.info(
    {
      projections: ALL_PROJECTIONS.map((p) => p.name),
      relay: relay ? { brokers: config.kafkaBrokers, owner: relay.owner } : null,
    },
    // The same words as before the JSON logs: tools/bench waits for this line.
    `eenplan worker: projections ${ALL_PROJECTIONS.map((p) => p.name).join(', ')} running`,
  );
  const stop = async () => {
    logger.info('shutting down: finishing the current batch');
    // The relay moves its checkpoint only after the broker acked: stopping mid-round loses nothing.
    await relay?.stop();
    await sweep.stop();
    await planCycleSweep.stop();
    await safetySweep.stop();
    await erasureTimer.stop();
    await retentionTimer.stop();
    // Checkpoints live in the same transactions as the rows: stopping between batches loses nothing.
    await runner.stop();
    // Not begun yet: the stopped runner lets it go without a run; under way: it ends first.
    await firstErasureSweep;
    await anchorTimer.stop();
    await writeAnchor(2_000).catch(anchorFailed);
    await store.close();
    await sql.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
};

main().catch((e) => {
  process.stderr.write(
    `eenplan worker: ${e instanceof ConfigError ? 'configuration error: ' : ''}${(e as Error).message}\n`,
  );
  process.exit(e instanceof ConfigError ? 2 : 1);
});
