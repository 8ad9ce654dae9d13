// ESLint flat config: recommended rules, the nondeterminism ban and the import direction of
// ARCHITECTURE.md ("Invariants" 1 and "Layout"), and CONVENTIONS' actor-folder import rule.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// Invariant 1: only src/runtime/clock.ts and src/runtime/ids.ts read the wall clock or entropy.
// ---------------------------------------------------------------------------------------------

const CLOCK = 'take a Clock from src/runtime/clock.ts (ARCHITECTURE invariant 1)';
const RANDOM = 'take a Random from src/runtime/ids.ts (ARCHITECTURE invariant 1)';
const CRYPTO_RANDOM = 'randomUUID|randomBytes|randomInt|randomFill|randomFillSync|getRandomValues';

const restrictedProperties = [
  { object: 'Date', property: 'now', message: `Date.now() reads the wall clock: ${CLOCK}.` },
  { object: 'Math', property: 'random', message: `Math.random() is unseeded: ${RANDOM}.` },
  {
    object: 'performance',
    property: 'now',
    message: `performance.now() reads the host clock: ${CLOCK} (monotonicNs).`,
  },
  {
    object: 'process',
    property: 'hrtime',
    message: `process.hrtime reads the host clock: ${CLOCK} (monotonicNs, or hrtimeNs for benchmarks).`,
  },
  ...CRYPTO_RANDOM.split('|').map((property) => ({
    object: 'crypto',
    property,
    message: `crypto.${property} draws entropy: ${RANDOM}.`,
  })),
];

const restrictedSyntax = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: `new Date() reads the wall clock: ${CLOCK} and write new Date(clock.now()).`,
  },
  {
    selector: "CallExpression[callee.name='Date']",
    message: `Date() reads the wall clock: ${CLOCK}.`,
  },
  {
    selector: `ImportDeclaration[source.value=/^(node:)?crypto$/] > ImportSpecifier[imported.name=/^(${CRYPTO_RANDOM})$/]`,
    message: `Entropy from node:crypto is not allowed here: ${RANDOM}.`,
  },
  {
    selector: `ExportNamedDeclaration[source.value=/^(node:)?crypto$/] > ExportSpecifier[local.name=/^(${CRYPTO_RANDOM})$/]`,
    message: `Entropy from node:crypto is not allowed here: ${RANDOM}.`,
  },
];

// ---------------------------------------------------------------------------------------------
// ARCHITECTURE "Layout": src/system/compose.ts is the one file that builds concrete parts.
// ---------------------------------------------------------------------------------------------

/** Concrete parts by the layer that defines them: that layer may build its own, no other may. */
const CONCRETE_PARTS = {
  runtime: [
    'LmdbTransport',
    'KafkaTransport',
    'DiscardTransport',
    'ResumeTransport',
    'LmdbSnapshotStore',
    'KafkaSnapshotStore',
  ],
  brokers: ['PaperBroker'],
  feed: ['MockMarket', 'MockFeed'],
  readmodel: ['PortfolioReadModel', 'RedisProjection', 'RedisPortfolioReader'],
  config: [],
};
const COMPOSE = 'src/system/compose.ts';

/** The no-restricted-syntax selectors that keep `new` of concrete parts in compose.ts. */
function compositionSyntax(layer) {
  const banned = Object.entries(CONCRETE_PARTS)
    .filter(([l]) => l !== layer)
    .flatMap(([, parts]) => parts);
  const out = [
    {
      selector: `NewExpression[callee.name=/^(${banned.join('|')})$/]`,
      message: `Concrete parts (transports, brokers, feeds, read models) are built in ${COMPOSE} only: add a function there and call it (ARCHITECTURE Layout).`,
    },
  ];
  if (layer !== 'config')
    out.push({
      selector:
        "CallExpression[callee.object.name='PgConfigStore'][callee.property.name='connect']",
      message: `The configuration store is connected in ${COMPOSE} only (ARCHITECTURE Layout).`,
    });
  return out;
}

// ---------------------------------------------------------------------------------------------
// ARCHITECTURE "Layout": which src layer may import which, and only through its index.ts.
// Imports are relative, so a layer is recognised as the first segment after one or more '../'
// ('../runtime/index.js' from src/actors/a.ts, '../../runtime/index.js' from
// src/actors/strategy/a.ts). Limitation: a subfolder named like a layer (e.g. src/api/model/)
// would be mistaken for that layer; do not name folders that way.
// ---------------------------------------------------------------------------------------------

const LAYERS = [
  'model',
  'runtime',
  'strategies',
  'brokers',
  'actors',
  'feed',
  'readmodel',
  'config',
  'system',
  'api',
  'cli',
];

/** Layers each layer may import besides itself. */
const ALLOWED = {
  model: [],
  runtime: ['model'],
  strategies: ['model', 'runtime'],
  brokers: ['model', 'runtime'],
  feed: ['model', 'runtime'],
  actors: ['model', 'runtime', 'strategies', 'brokers'],
  readmodel: ['model', 'runtime'],
  config: ['model', 'runtime', 'strategies', 'feed'],
  system: ['model', 'runtime', 'strategies', 'brokers', 'actors', 'feed', 'readmodel', 'config'],
  api: ['model', 'runtime', 'readmodel', 'config', 'system'],
  cli: ['model', 'runtime', 'config', 'system', 'api'],
};

/** The rule's wording for a layer: what it may import. */
function ruleOf(layer) {
  const may = ALLOWED[layer];
  return may.length === 0
    ? `src/${layer} must import nothing else`
    : `src/${layer} may import only ${may.map((l) => `src/${l}`).join(', ')}`;
}

const UP = '^(?:\\.\\./)+';
const ANY_EXT = '(?:\\.[cm]?[jt]s)?';
const INDEX_ONLY =
  'Import another layer through its index.js, never a file inside it (ARCHITECTURE Layout)';

/** Nothing imports the entry point. */
const NO_MAIN = {
  regex: `${UP}main${ANY_EXT}$`,
  message: 'Nothing imports src/main.ts, the entry point (ARCHITECTURE Layout).',
};

/** The no-restricted-imports patterns for files of `layer`. */
function layerPatterns(layer) {
  const may = ALLOWED[layer];
  const banned = LAYERS.filter((l) => l !== layer && !may.includes(l));
  const patterns = [NO_MAIN];
  if (banned.length > 0) {
    patterns.unshift({
      regex: `${UP}(?:${banned.join('|')})(?:/|$)`,
      message: `${ruleOf(layer)} (ARCHITECTURE Layout).`,
    });
  }
  if (may.length > 0) {
    patterns.push({
      regex: `${UP}(?:${may.join('|')})/(?!index\\.js$)`,
      message: `${INDEX_ONLY}.`,
    });
  }
  return patterns;
}

// ---------------------------------------------------------------------------------------------
// CONVENTIONS: "Other folders import the folder, never a file inside it" (actor folders only).
// From a file `depth` folders below src/actors/<kind>/, '../' × (depth + 1) reaches src/actors,
// so '<that>/<other-kind>/<anything but index.js>' is a deep import. Any specifier that passes
// through 'actors/<kind>/' must also end at index.js.
// ---------------------------------------------------------------------------------------------

const ACTOR_INDEX =
  'Import an actor folder through its index.js, never a file inside it (CONVENTIONS)';
const NOT_INDEX = `(?!index${ANY_EXT}$)`;
const MAX_ACTOR_DEPTH = 6;

const deepThroughActors = { regex: `(?:^|/)actors/[^/]+/${NOT_INDEX}`, message: `${ACTOR_INDEX}.` };

/** Patterns for a file `depth` folders below src/actors/<kind>/ (-1: directly in src/actors/). */
function actorFolderPatterns(depth) {
  const toActors = depth < 0 ? '\\./' : `(?:\\.\\./){${depth + 1}}`;
  return [
    { regex: `^${toActors}[^./][^/]*/${NOT_INDEX}`, message: `${ACTOR_INDEX}.` },
    deepThroughActors,
  ];
}

const actorDepthConfigs = [];
for (let depth = -1; depth <= MAX_ACTOR_DEPTH; depth++) {
  const dirs = depth < 0 ? '' : '*/' + '*/'.repeat(depth);
  actorDepthConfigs.push({
    name: `alpha-panda/actor-folder-imports/depth-${depth}`,
    files: [`src/actors/${dirs}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...layerPatterns('actors'), ...actorFolderPatterns(depth)] },
      ],
    },
  });
}

export default defineConfig([
  globalIgnores([
    'dist/',
    'node_modules/',
    'data/',
    'bench/',
    'coverage/',
    '.infra/',
    'infra/kafka/lib/',
    '.tmp/',
  ]),

  {
    name: 'alpha-panda/typescript',
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },

  // One no-restricted-syntax setting per file (a later object replaces an earlier one's options):
  // the wall-clock ban everywhere but clock.ts and ids.ts, the composition rule everywhere but
  // compose.ts.
  {
    name: 'alpha-panda/no-wall-clock-or-randomness',
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/clock.ts', 'src/runtime/ids.ts', 'src/**/*.test.ts'],
    rules: { 'no-restricted-properties': ['error', ...restrictedProperties] },
  },
  ...[...LAYERS, null].map((layer) => ({
    name: `alpha-panda/syntax/${layer ?? 'main'}`,
    files: [layer === null ? 'src/*.ts' : `src/${layer}/**/*.ts`],
    ignores: ['src/runtime/clock.ts', 'src/runtime/ids.ts', COMPOSE, 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...restrictedSyntax, ...compositionSyntax(layer)],
    },
  })),
  {
    name: 'alpha-panda/syntax/composition-file',
    files: [COMPOSE],
    rules: { 'no-restricted-syntax': ['error', ...restrictedSyntax] },
  },
  {
    name: 'alpha-panda/syntax/clock-and-ids',
    files: ['src/runtime/clock.ts', 'src/runtime/ids.ts'],
    rules: { 'no-restricted-syntax': ['error', ...compositionSyntax('runtime')] },
  },

  // One no-restricted-imports setting per file: in flat config a later object replaces an
  // earlier one's options for the same rule, so the actor-depth objects repeat the layer patterns.
  ...LAYERS.map((layer) => ({
    name: `alpha-panda/layer/${layer}`,
    files: [`src/${layer}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(layer) }] },
  })),
  ...actorDepthConfigs,
  {
    name: 'alpha-panda/layer/main',
    files: ['src/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { ...NO_MAIN, regex: `^\\./main${ANY_EXT}$` },
            { regex: `^\\./(?:${LAYERS.join('|')})/(?!index\\.js$)`, message: `${INDEX_ONLY}.` },
          ],
        },
      ],
    },
  },
]);
