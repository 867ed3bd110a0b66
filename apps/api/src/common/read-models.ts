import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { ProjectionRunner } from '@eenplan/projections';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG, EVENT_STORE } from './tokens';

/**
 * Read-your-writes on the read side: before a read model answers, it waits until the projections
 * have passed the feed's current head, which includes every write already acknowledged to anyone.
 * Writes answer as soon as their events are stored, so they never queue behind the projections.
 */
@Injectable()
export class ReadModelSync {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Resolves once every read model includes the feed's head (or after READ_YOUR_WRITES_MS). */
  async caughtUp(): Promise<void> {
    await this.runner.waitFor(await this.store.headPosition(), this.config.readYourWritesMs);
  }
}
