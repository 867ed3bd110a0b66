import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChainAnchors, type WrittenAnchor } from '@eenplan/security';
import { SweepTimer, AppConfig } from '@eenplan/runtime';
import { APP_CONFIG } from '../common/tokens';

/**
 * How long one anchoring reads the feed at most: the first anchor of a large store is built over a
 * few runs rather than holding up a shutdown that waits for the run under way.
 */
const RUN_BUDGET_MS = 10_000;
const SHUTDOWN_BUDGET_MS = 2_000;

/**
 * Anchors the chains' heads in the key store (anchor.ts) where the projections run: every
 * ANCHOR_INTERVAL_MS and once more at shutdown (PrivacyModule, after the access log's last rows).
 * An anchor the database has fallen behind (rows cut, or a database restored from an older backup)
 * is not moved on, and every attempt says so in the log.
 */
@Injectable()
export class AnchorSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ChainAnchors');
  private timer: SweepTimer | null = null;

  constructor(
    private readonly anchors: ChainAnchors,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.runProjections) return;
    this.timer = new SweepTimer({ run: () => this.write() }, this.config.anchorIntervalMs, (e) =>
      this.logger.error(`writing the chain anchor failed: ${(e as Error).message}`),
    );
    this.timer.start();
  }

  async onModuleDestroy() {
    await this.timer?.stop();
  }

  /** The anchor at shutdown, where the projections run; a failure is logged, never thrown. */
  async atShutdown(): Promise<void> {
    if (!this.config.runProjections) return;
    await this.write(SHUTDOWN_BUDGET_MS).catch((e: unknown) =>
      this.logger.error(`writing the chain anchor at shutdown failed: ${(e as Error).message}`),
    );
  }

  private async write(budgetMs = RUN_BUDGET_MS): Promise<WrittenAnchor> {
    const written = await this.anchors.write({ budgetMs });
    for (const reason of written.held)
      this.logger.error(`chain anchor held at the last one: ${reason}; run npm run audit:verify`);
    return written;
  }
}
