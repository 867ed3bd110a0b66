# syntax=docker/dockerfile:1
# Two images from one build: the API and the worker (projection runner and Kafka relay).
#
#   docker build --target api -t eenplan-api .
#   docker build --target worker -t eenplan-worker .
#
# Or all of it with PostgreSQL and Kafka: docker compose -f infra/compose.yaml up -d --build
#
# Node.js 22, the LTS release (20 reached its end of life in April 2026); the code still runs on
# Node.js 20, which CI uses (package.json "engines").

FROM node:22-slim AS build
# pkcs11js (the HSM key store) compiles its native part at npm ci, and the slim image has no
# compiler: node-gyp needs python3, make and g++. Only in this stage; the runtime gets the result.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first: this layer is reused until the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY scripts scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The events' JSON Schemas, served at /asyncapi/schemas and named by every CloudEvent's dataschema
# (libs/messaging/src/schemas.ts finds them beside dist/; tsc does not copy them).
COPY --from=build /app/libs/messaging/asyncapi libs/messaging/asyncapi
# The embedded default (no DATABASE_URL) keeps PGlite, its JWT secret and the key store (/data/keys)
# in /data; mount a volume there. The key store exists in the image, so a volume mounted on it alone
# (shared by the API and the worker) starts out owned by node, 0700.
RUN mkdir -p /data/keys && chown node:node /data /data/keys && chmod 700 /data/keys
USER node
# main.ts drains on SIGTERM (in-flight requests answered, checkpoints stored) and exits 0.
STOPSIGNAL SIGTERM

FROM runtime AS worker
CMD ["node", "dist/apps/worker/src/main.js"]

# Last, so a plain `docker build .` gives the API.
FROM runtime AS api
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
