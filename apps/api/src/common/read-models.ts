import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { ProjectionRunner } from '@eenplan/projections';
import { AppConfig } from '@eenplan/runtime';
import { APP_CONFIG, EVENT_STORE } from './tokens';

/**
 * Read-your-writes on the read side: before a read model answers, it waits until the projections
 * have passed the last committed event, so it includes every write already acknowledged to anyone.
 * (Not the feed's head: on a server the feed holds back events behind any older open transaction.)
 * Writes answer as soon as their events are stored, so they never queue behind the projections.
 */
@Injectable()
export class ReadModelSync {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Resolves once every read model includes every committed event (or after READ_YOUR_WRITES_MS). */
  async caughtUp(): Promise<void> {
    await this.runner.waitFor(await this.store.committedPosition(), this.config.readYourWritesMs);
  }
}
