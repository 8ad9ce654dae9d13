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
// ARCHITECTURE "Layout": which src layer may import which. Imports are relative, so a layer is
// recognised as the first segment after one or more '../' ('../runtime/x.js' from src/actors/a.ts,
// '../../runtime/index.js' from src/actors/strategy/a.ts). Limitation: a subfolder named like a
// layer (e.g. src/api/model/) would be mistaken for that layer; do not name folders that way.
// ---------------------------------------------------------------------------------------------

const LAYERS = [
  'model',
  'runtime',
  'strategies',
  'brokers',
  'actors',
  'readmodel',
  'config',
  'api',
];

/** Layers each layer may import besides itself, with the rule's wording for the message. */
const ALLOWED = {
  model: { may: [], rule: 'src/model must import nothing else' },
  runtime: { may: ['model'], rule: 'src/runtime may import only src/model' },
  strategies: {
    may: ['model', 'runtime'],
    rule: 'src/strategies may import only src/model and src/runtime',
  },
  brokers: {
    may: ['model', 'runtime'],
    rule: 'src/brokers may import only src/model and src/runtime',
  },
  actors: {
    may: ['model', 'runtime', 'strategies', 'brokers'],
    rule: 'src/actors may import only src/model, src/runtime, src/strategies and src/brokers',
  },
  readmodel: {
    may: ['model', 'runtime'],
    rule: 'src/readmodel may import only src/model and src/runtime',
  },
  config: {
    may: ['model', 'runtime', 'strategies'],
    rule: 'src/config may import only src/model, src/runtime and src/strategies',
  },
  api: {
    may: ['model', 'runtime', 'readmodel', 'config'],
    rule: 'src/api may import only src/model, src/runtime, src/readmodel and src/config',
  },
};

const UP = '^(?:\\.\\./)+';
const ANY_EXT = '(?:\\.[cm]?[jt]s)?';

/** Nothing imports the composition root. */
const NO_MAIN = {
  regex: `${UP}main${ANY_EXT}$`,
  message: 'Nothing imports src/main.ts, the composition root (ARCHITECTURE Layout).',
};

/** The no-restricted-imports patterns for files of `layer`. */
function layerPatterns(layer) {
  const { may, rule } = ALLOWED[layer];
  const banned = LAYERS.filter((l) => l !== layer && !may.includes(l));
  const patterns = [NO_MAIN];
  if (banned.length > 0) {
    patterns.unshift({
      regex: `${UP}(?:${banned.join('|')})(?:/|$)`,
      message: `${rule} (ARCHITECTURE Layout).`,
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

  {
    name: 'alpha-panda/no-wall-clock-or-randomness',
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/clock.ts', 'src/runtime/ids.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', ...restrictedProperties],
      'no-restricted-syntax': ['error', ...restrictedSyntax],
    },
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
            { regex: `^\\./actors/[^/]+/${NOT_INDEX}`, message: `${ACTOR_INDEX}.` },
          ],
        },
      ],
    },
  },
]);
