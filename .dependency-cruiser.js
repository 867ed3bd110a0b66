/**
 * The boundaries CI enforces (`npm run lint:deps`, in .ci/run's static checks). See docs/ARCHITECTURE.md.
 * test/ops/boundaries.int.spec.ts runs these same rules on test/fixtures/boundaries, which breaks each once.
 * Type-only imports count (tsPreCompilationDeps): a boundary is about what a file knows, not only
 * what it loads, and a cycle of types is still two modules that cannot be read one after the other.
 */
/** Node builtins without I/O or ambient state: the only ones the domain may use. */
const PURE_BUILTINS = '^(node:)?(assert|assert/strict|util|buffer|string_decoder|querystring|url)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No runtime import cycles: a module and what it imports load top-down, and load order is never a surprise. ' +
        'A cycle made only of `import type` edges is erased by the compiler and allowed: the household unions name the slices\' types while the slices read HouseholdState.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domain-imports-only-itself',
      severity: 'error',
      comment:
        'libs/domain is pure: no framework, driver or other lib, only its own modules (shared/ is its kernel) and pure node builtins.',
      from: { path: '^libs/domain/src/' },
      to: { pathNot: '^libs/domain/src/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-no-impure-builtins',
      severity: 'error',
      comment:
        'The domain reads no clock, file, network or randomness of its own: those come in through commands.',
      from: { path: '^libs/domain/src/' },
      to: { dependencyTypes: ['core'], pathNot: PURE_BUILTINS },
    },
    {
      name: 'libs-import-no-apps',
      severity: 'error',
      comment:
        'libs are what apps are built from; what both apps need lives in a lib (libs/runtime), never in an app.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'worker-imports-no-api',
      severity: 'error',
      comment: 'The worker and the API share code through libs/runtime, not through each other.',
      from: { path: '^apps/worker/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'api-imports-no-worker',
      severity: 'error',
      comment: 'Nor the other way round.',
      from: { path: '^apps/api/' },
      to: { path: '^apps/worker/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
