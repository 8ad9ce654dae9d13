/** Configuration: settings from the environment and the strategy, instrument and charges files. */
export { loadSettings, nestEnv, SettingsSchema, activeBrokers, type Settings } from './settings.js';
export { ENV_VARS, envVar, envVarsWithPrefix, type EnvVar } from './env-vars.js';
export { nearest, didYouMean, unknownNames, type NearestOptions } from './nearest.js';
export { parameterNames, unknownParameters } from './strategy-params.js';
export { parseStrategiesYaml, type StrategyFileConfig } from './strategies-file.js';
export { loadInstruments, loadStrategies } from './config-files.js';
export { loadZerodhaRates, parseZerodhaRatesYaml, zerodhaRatesPath } from './charges-file.js';
export { PgConfigStore, type StrategyChange } from './pg-store.js';
export { loadMarketRules, type MarketRules } from './market-rules.js';
export { parseYamlFile, readYamlFile } from './yaml-file.js';
export { loadCalendar, parseCalendarYaml, parseCalendarFiles } from './calendar.js';
export { marketFilePath, PACKAGE_CONFIG_DIR } from './market-files.js';
export { loadUsersFile, ROLES, USERNAME, type ApiUser, type Role } from './users-file.js';
export { hashPassword, verifyPassword } from './password-hash.js';
