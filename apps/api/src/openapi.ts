import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  HeaderObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { AppConfig } from '@eenplan/runtime';
import { AppModule } from './app.module';
import { API_VERSION } from './common/api-version';
import { ERROR_CODES } from './common/error-codes';
import { PURPOSES } from './privacy/access-log.middleware';

export { API_VERSION };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const PROBLEM = 'application/problem+json';

/** What ProblemFilter (common/problem.filter.ts) writes: RFC 9457 with this API's extensions. */
const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'RFC 9457 problem details. Refusals may add members of their own (e.g. `currentVersion` for VersionConflict, `allowedPurposes` for PurposeNotAllowed, the cap for a limit reached): see docs/errors.md.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: {
      type: 'string',
      description: 'urn:eenplan:problem:<code in kebab case>',
      example: 'urn:eenplan:problem:version-conflict',
    },
    title: { type: 'string', description: "the HTTP status's reason phrase", example: 'Conflict' },
    status: { type: 'integer', description: 'the HTTP status code', example: 409 },
    detail: { type: 'string', description: 'what went wrong with this request, in English' },
    code: {
      type: 'string',
      description: 'the stable error code (docs/errors.md)',
      enum: [...new Set(ERROR_CODES.map((e) => e.code))].sort(),
      example: 'VersionConflict',
    },
    invariant: { type: 'integer', description: 'the invariant of docs/DOMAIN.md the refusal protects' },
    errors: {
      type: 'array',
      description: 'each field that was refused, with why',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: { field: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

const header = (description: string, schema: SchemaObject = { type: 'string' }): HeaderObject => ({
  description,
  schema,
});

/** Answer headers, in components.headers. */
const HEADERS: Record<string, HeaderObject> = {
  'API-Version': header('the full semantic version of this API (NL API Design Rules)', {
    type: 'string',
    example: API_VERSION,
  }),
  'X-Correlation-Id': header(
    'the X-Correlation-Id sent when it was valid, else one the server made; it is in the log line and the events this request wrote',
  ),
  ETag: header(
    'the version of the stream (household, team, ...) after this write or as read, in quotes: send it back as If-Match',
    {
      type: 'string',
      example: '"3"',
    },
  ),
  'Idempotent-Replayed': header(
    'only on a repeat of a write with the same Idempotency-Key by the same caller: this is the first answer again, and nothing was written',
    { type: 'string', enum: ['true'] },
  ),
};

const SAFE_TEXT = { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,200}$' } as const;

/** Request headers, in components.parameters. */
const PARAMETERS: Record<string, ParameterObject> = {
  XCorrelationId: {
    name: 'X-Correlation-Id',
    in: 'header',
    required: false,
    description:
      'ties this request to its log line and to the events it writes; 1-200 of letters, digits, . _ : - (another value is replaced by a new id)',
    schema: { ...SAFE_TEXT },
  },
  XPurpose: {
    name: 'X-Purpose',
    in: 'header',
    required: false,
    description:
      "why the data is read or written, for the access log; one the caller's roles may state (worker and team-lead: care; auditor: audit; integrator: integration; admin: administration or erasure), else 400 PurposeNotAllowed. Default: the first role's purpose",
    schema: { type: 'string', enum: [...PURPOSES] },
  },
  XOnBehalfOf: {
    name: 'X-On-Behalf-Of',
    in: 'header',
    required: false,
    description:
      "the worker this request is made for, recorded in the access log: an active worker of one of the caller's teams, else 403 OnBehalfOfRefused (400 InvalidOnBehalfOf when not an id)",
    schema: { type: 'string' },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'the version this write expects, as in the ETag ("3"): when the stream is at another version nothing is written and the answer is 409 VersionConflict (400 InvalidIfMatch when malformed). Without it a concurrent write is retried by the server',
    schema: { type: 'string', pattern: '^\\s*(W/)?"\\d{1,15}"\\s*$', example: '"3"' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'makes a retry safe: a repeat with the same key by the same caller gets the first answer back (with Idempotent-Replayed: true) and writes nothing; the same key with another request is 409 IdempotencyKeyReused',
    schema: { ...SAFE_TEXT },
  },
};

const ref = (kind: 'parameters' | 'headers' | 'responses' | 'schemas', name: string): ReferenceObject => ({
  $ref: `#/components/${kind}/${name}`,
});

const problem = (description: string): ResponseObject => ({
  description,
  headers: {
    'API-Version': ref('headers', 'API-Version'),
    'X-Correlation-Id': ref('headers', 'X-Correlation-Id'),
  },
  content: { [PROBLEM]: { schema: ref('schemas', 'Problem') } },
});

/** The refusals every route of a kind can give, in components.responses. */
const RESPONSES: Record<string, ResponseObject> = {
  BadRequest: problem(
    'the request is not usable: ValidationFailed (body or query; errors names each field), InvalidId, MalformedJson, UnstorableText, TooDeeplyNested, a query a route does not take or gets twice (UnknownQueryParameter, RepeatedQueryParameter), a page asked for wrongly (InvalidLimit, InvalidCursor), a malformed header (InvalidIfMatch, InvalidIdempotencyKey, PurposeNotAllowed, InvalidOnBehalfOf), or a refusal of the domain for invalid input',
  ),
  Unauthorized: problem('Unauthenticated (no bearer token) or InvalidToken; with WWW-Authenticate: Bearer'),
  Forbidden: problem(
    "not open to the caller: Forbidden (the route's roles), WorkerNotRegistered, WorkerDeactivated, PrincipalKindConflict, PrincipalNotRegistered (a resident the household does not back), OnBehalfOfRefused, or a domain refusal because of who the caller is",
  ),
  NotFound: problem(
    'the resource does not exist, or the caller may not see it (the same answer either way: HouseholdNotFound for a household)',
  ),
  Conflict: problem(
    "the write was refused and nothing changed: VersionConflict (If-Match is stale, or a concurrent write), IdempotencyKeyReused, or the resource's state forbids it (the code and invariant say which)",
  ),
  PayloadTooLarge: problem('BodyTooLarge: the request body is larger than BODY_LIMIT'),
};

const isRef = (x: unknown): x is ReferenceObject => typeof x === 'object' && x !== null && '$ref' in x;

/** The document the app serves, the script writes and the typed client is generated from. */
export const buildOpenApi = (app: INestApplication, config: AppConfig): OpenAPIObject => {
  const builder = new DocumentBuilder()
    .setTitle('eenplan')
    .setDescription(
      'One household, one plan, one regie: the API of a neighbourhood team. Errors are RFC 9457 problem details (application/problem+json) with a stable `code` (docs/errors.md). Every answer carries API-Version and X-Correlation-Id.',
    )
    .setVersion(API_VERSION)
    .setLicense('EUPL-1.2', 'https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12')
    .setContact('eenplan maintainers', 'https://github.com/eenplan/eenplan', '')
    // Without PUBLIC_BASE_URL: relative, the server that served this document (OpenAPI 3.0, 4.6).
    .addServer(
      config.publicBaseUrl ?? '/',
      config.publicBaseUrl
        ? 'this deployment (PUBLIC_BASE_URL)'
        : 'where this document was served from (set PUBLIC_BASE_URL for an absolute URL)',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer');
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controller, method) => `${controller}_${method}`,
  });
  return describeProtocol(document);
};

/**
 * What every route shares and Nest's scanner cannot see: the headers the middleware and guards
 * read and write, the problem answers they give, and which routes need no token. Each is added only
 * where the code that produces it runs (see the comments), so the document stays truthful.
 */
const describeProtocol = (document: OpenAPIObject): OpenAPIObject => {
  const components = (document.components ??= {});
  components.schemas = { ...components.schemas, Problem: PROBLEM_SCHEMA };
  components.headers = { ...components.headers, ...HEADERS };
  components.parameters = { ...components.parameters, ...PARAMETERS };
  components.responses = { ...components.responses, ...RESPONSES };
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      operation.tags?.forEach((t) => tags.add(t));
      describeOperation(path, method, operation);
    }
  }
  document.tags = [...tags].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  return document;
};

const describeOperation = (path: string, method: (typeof METHODS)[number], op: OperationObject): void => {
  // @ApiBearerAuth on every controller whose routes need a token; the others are @Public (the
  // typed-client e2e suite calls each route without a token and checks this).
  const authenticated = (op.security ?? []).length > 0;
  if (!authenticated) op.security = [];
  const params = (op.parameters ??= []);
  const has = (name: string) =>
    params.some((p) => !isRef(p) && p.in === 'header' && p.name.toLowerCase() === name.toLowerCase());
  // http-observer.ts: every request.
  if (!has('X-Correlation-Id')) params.push(ref('parameters', 'XCorrelationId'));
  // PurposeGuard: every request with a principal.
  if (authenticated) params.push(ref('parameters', 'XPurpose'), ref('parameters', 'XOnBehalfOf'));
  // WriteContext (@Write()) parses If-Match; the IdempotencyInterceptor keys every authenticated write.
  const write = authenticated && method !== 'get' && method !== 'head';
  // @Write() declares If-Match on its route (write-context.ts); here it gets the shared description.
  const ifMatch = params.findIndex((p) => !isRef(p) && p.in === 'header' && p.name === 'If-Match');
  const usesWriteContext = ifMatch >= 0;
  if (usesWriteContext) params.splice(ifMatch, 1, ref('parameters', 'IfMatch'));
  if (write) params.push(ref('parameters', 'IdempotencyKey'));

  const responses = op.responses;
  for (const [status, response] of Object.entries(responses)) {
    if (!response || isRef(response)) continue;
    // answer() in write-response.ts: every write through WriteContext answers with its version;
    // reads that send one say so with ETAG_HEADER.
    const etag = (usesWriteContext && status.startsWith('2')) || response.headers?.ETag !== undefined;
    response.headers = {
      ...response.headers,
      'API-Version': ref('headers', 'API-Version'),
      'X-Correlation-Id': ref('headers', 'X-Correlation-Id'),
      ...(etag ? { ETag: ref('headers', 'ETag') } : {}),
      // IdempotencyInterceptor: a replayed write gives the stored answer with this header.
      ...(write && status.startsWith('2')
        ? { 'Idempotent-Replayed': ref('headers', 'Idempotent-Replayed') }
        : {}),
    };
    // @ApiProduces gives every media type the DTO of @ApiOkResponse; a text answer (CSV) is text.
    for (const media of Object.entries(response.content ?? {}))
      if (media[0].startsWith('text/') && isRef(media[1].schema)) media[1].schema = { type: 'string' };
    // ProblemFilter renders every failure, those a route declares itself included.
    if (Number(status) >= 400 && !response.content)
      response.content = { [PROBLEM]: { schema: ref('schemas', 'Problem') } };
  }
  const add = (status: string, name: string) => {
    if (!responses[status]) responses[status] = ref('responses', name);
  };
  // The parser and the request checks in app.factory.ts run before every route (a NUL in the
  // query, malformed JSON); authenticated routes also check X-Purpose and X-On-Behalf-Of.
  add('400', 'BadRequest');
  if (authenticated) {
    add('401', 'Unauthorized');
    add('403', 'Forbidden');
  }
  // An id in the path names something that may not exist or not be the caller's to see.
  if (/\{[^}]+\}/.test(path)) add('404', 'NotFound');
  if (write) {
    add('409', 'Conflict');
    add('413', 'PayloadTooLarge');
  }
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  households: 'a household and its one plan: members, goals, actions, notes, agreement, closing',
  'households: network, volunteers, referrals':
    "the people around a household: its network, volunteers' assignments, referrals",
  regie: 'who holds regie over a household: transfers, the history, safety takeovers',
  teams: 'neighbourhood teams and their workers',
  caseloads: "a worker's and a team's households, and the team's caseload norm",
  volunteers: 'volunteers, their VOG and their assignments',
  'social map': 'organisations a household can be referred to, and their waiting times',
  'check-ins': 'the contact cadence with a household, and overdue check-ins',
  assessments: 'self-sufficiency assessments (ZRM)',
  'signals and consent': 'consent for UWV signals, work and income signals, questions',
  'district analysis': 'counts per district, without personal data',
  'privacy and audit': 'erasure, the audit trail and its verification, the access log',
  audit: 'handoffs between workers, for auditors',
  operations: 'health and metrics, without a token',
  events: 'the Kafka contract: the AsyncAPI document and the JSON Schema of each event',
};

/**
 * The document without a running app: Nest's preview mode builds the module graph without
 * instantiating providers, so nothing opens a database or a port (`npm run openapi`, tests).
 */
export const openApiDocument = async (config: AppConfig): Promise<OpenAPIObject> => {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApi(app, config);
  } finally {
    await app.close();
  }
};
