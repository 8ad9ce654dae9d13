/** Strategies in files (STRATEGIES_DIR): loading, the determinism guard, and code hashes. */
export {
  loadStrategyRegistry,
  loadStrategyFile,
  strategyFileNames,
  type LoadedStrategies,
  type StrategyFileProblem,
} from './load-strategy-files.js';
export { StrategyFilesDir, sha256 } from './files-dir.js';
export { guardProblem, ALLOWED_MODULES, type GuardProblem } from './guard.js';
export { changedPaths, codeChanges, type CodeChange } from './code-changes.js';
export { writeNewStrategy, newStrategyNameProblem, snakeCase } from './new-strategy.js';
export { strategyTemplate, strategyTestTemplate } from './template.js';
