import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@eenplan/runtime';
import { openApiDocument } from '../../apps/api/src/openapi';
import { clientTypes, CLIENT_TYPES_FILE } from '../../scripts/client-types';

/**
 * The OpenAPI document integrators get (apps/api/src/openapi.ts): it passes redocly's recommended
 * rules, and the committed typed client (clients/eenplan-api.d.ts) is what the code makes today.
 */
const ROOT = join(__dirname, '..', '..');
let document: OpenAPIObject;
beforeAll(async () => {
  document = await openApiDocument(loadConfig({ JWT_SECRET: 'x'.repeat(64), PGLITE_DIR: 'memory' }));
});

interface LintResult {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

test('redocly lint (recommended rules): no error and no warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eenplan-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const lint = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'),
        'lint',
        file,
        '--format=json',
        '--max-problems=1000',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    const result = JSON.parse(lint.stdout) as LintResult;
    const problems = result.problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`,
    );
    expect(problems).toEqual([]);
    expect(result.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(lint.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`${CLIENT_TYPES_FILE} is current (else: npm run openapi:types, and commit it)`, async () => {
  const committed = readFileSync(join(ROOT, CLIENT_TYPES_FILE), 'utf8');
  expect(committed === (await clientTypes())).toBe(true);
});

test('every operation has a summary and a unique operationId in camelCase', () => {
  const operations = Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((m) => (item[m] ? [item[m]] : [])),
  );
  expect(operations.length).toBeGreaterThan(70);
  const ids = operations.map((o) => o.operationId);
  expect(ids.filter((id) => !/^[a-z][A-Za-z]+$/.test(id ?? ''))).toEqual([]);
  expect(new Set(ids).size).toBe(ids.length);
  expect(operations.filter((o) => !o.summary)).toEqual([]);
});

test('every 2xx answer of a GET has a schema for its JSON, and only text answers (CSV, metrics) have none of their own', () => {
  const responses = document.components!.responses ?? {};
  const missing: string[] = [];
  const checked: string[] = [];
  for (const item of Object.values(document.paths)) {
    const op = item.get;
    if (!op) continue;
    for (const [status, answer] of Object.entries(op.responses)) {
      if (!status.startsWith('2') || !answer) continue;
      const response = ('$ref' in answer ? responses[(answer.$ref as string).split('/').pop()!] : answer) as {
        content?: Record<string, { schema?: { $ref?: string; type?: string } }>;
      };
      const content = Object.entries(response.content ?? {});
      if (content.length === 0) missing.push(`${op.operationId} ${status}: no content`);
      for (const [type, media] of content) {
        if (/[/+]json$/.test(type)) {
          if (!media.schema) missing.push(`${op.operationId} ${status} ${type}: no schema`);
          else checked.push(op.operationId!);
        } else if (!type.startsWith('text/')) missing.push(`${op.operationId} ${status}: ${type}`);
        // A text answer is text: never a JSON DTO (as @ApiProduces would give it).
        else if (media.schema?.$ref)
          missing.push(`${op.operationId} ${status} ${type}: ${media.schema.$ref}`);
      }
    }
  }
  expect(missing).toEqual([]);
  expect(checked).toEqual(
    expect.arrayContaining([
      'listAccessLog',
      'listHouseholdAccessLog',
      'listGoals',
      'listActions',
      'listGoalNotes',
      'listNetworkMembers',
      'listReferrals',
    ]),
  );
  expect(checked.length).toBeGreaterThan(30);
});

test('a replayed write says so: Idempotent-Replayed on the 2xx of authenticated writes, not on reads', () => {
  const created = document.paths['/v1/households/{id}/goals']!.post!.responses['201'] as { headers: object };
  expect(created.headers).toHaveProperty('Idempotent-Replayed');
  const read = document.paths['/v1/households/{id}']!.get!.responses['200'] as { headers: object };
  expect(read.headers).not.toHaveProperty('Idempotent-Replayed');
  expect(document.components!.headers!['Idempotent-Replayed']).toMatchObject({ schema: { enum: ['true'] } });
});

test('the write of a household: its headers, its typed answer with ETag, and its refusals as problem+json', () => {
  const op = document.paths['/v1/households']!.post!;
  const headers = op.parameters!.map((p) => ('$ref' in p ? p.$ref.split('/').pop() : p.name));
  expect(headers).toEqual(
    expect.arrayContaining(['IfMatch', 'IdempotencyKey', 'XPurpose', 'XOnBehalfOf', 'XCorrelationId']),
  );
  expect(Object.keys(op.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413']);
  const created = op.responses['201'] as { headers: object; content: Record<string, { schema: object }> };
  expect(Object.keys(created.headers)).toEqual(expect.arrayContaining(['ETag', 'API-Version']));
  expect(created.content['application/json']!.schema).toEqual({
    $ref: '#/components/schemas/HouseholdRegisteredDto',
  });
  expect(document.components!.responses!.Conflict).toMatchObject({
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  // A public route: no token, no purpose, and no 401.
  const live = document.paths['/health/live']!.get!;
  expect(live.security).toEqual([]);
  expect(live.responses['401']).toBeUndefined();
});
