import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../apps/api/src/app.factory';
import type { AppConfig } from '@eenplan/runtime';

/**
 * `GET /v1/x/:id` for every route the HTTP server answers, read from Express's own router: the role
 * matrix (every endpoint x every principal) and the fuzzer (every endpoint x bad input) both cover
 * what the app really serves, so a new endpoint is covered by both without anyone listing it.
 */
export const servedRoutes = (app: INestApplication): string[] => {
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
  }
  const express = app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  const routes = express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
      : [],
  );
  return [...new Set(routes)].sort();
};

/**
 * The routes of an app built with `config`, for a caller that talks to the API over HTTP and cannot
 * reach into its router: the same factory builds it in this process, nothing listens, and it is
 * closed again. Give it `runProjections: false` so it leaves the read models to the real API.
 */
export async function routesOfApp(config: AppConfig): Promise<string[]> {
  const app = await createApp(config, { logger: false });
  try {
    await app.init();
    return servedRoutes(app);
  } finally {
    await app.close();
  }
}
