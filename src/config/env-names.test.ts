import { describe, expect, it } from 'vitest';
import { ConfigError } from '../runtime/index.js';
import { misspelledVariables } from './env-names.js';
import { loadSettings } from './settings.js';

/**
 * Names of an ordinary environment: a Linux shell and container, `npm run`, make, CI runners,
 * Docker and Postgres/Kafka/Redis clients, and the test servers' script. None is a setting.
 */
const ORDINARY = [
  ...'PATH HOME HOSTNAME HOSTTYPE PWD OLDPWD TERM TERM_PROGRAM COLORTERM LANG LANGUAGE LC_ALL'.split(
    ' ',
  ),
  ...'USER LOGNAME SHELL SHLVL MAIL EDITOR VISUAL PAGER TZ DISPLAY COLUMNS LINES PS1 _'.split(' '),
  ...'TMPDIR TMP TEMP XDG_CONFIG_HOME XDG_DATA_HOME XDG_DATA_DIRS XDG_CONFIG_DIRS'.split(' '),
  ...'XDG_RUNTIME_DIR XDG_CACHE_HOME XDG_SESSION_TYPE DBUS_SESSION_BUS_ADDRESS SSH_AUTH_SOCK'.split(
    ' ',
  ),
  ...'SSH_CONNECTION SSH_CLIENT SSH_TTY DEBIAN_FRONTEND CONTAINER_NAME IS_SANDBOX'.split(' '),
  ...'NODE NODE_ENV NODE_OPTIONS NODE_PATH NODE_EXTRA_CA_CERTS NODE_NO_WARNINGS INIT_CWD COLOR'.split(
    ' ',
  ),
  ...'NVM_DIR NVM_BIN NVM_INC COREPACK_HOME YARN_CACHE_FOLDER PNPM_HOME FORCE_COLOR NO_COLOR'.split(
    ' ',
  ),
  ...'npm_command npm_config_cache npm_config_user_agent npm_config_prefix npm_config_node_gyp'.split(
    ' ',
  ),
  ...'npm_execpath npm_lifecycle_event npm_lifecycle_script npm_node_execpath'.split(' '),
  ...'npm_package_json npm_package_name npm_package_version npm_config_local_prefix'.split(' '),
  ...'MAKEFLAGS MAKELEVEL MFLAGS MAKE_TERMOUT CI GITHUB_ACTIONS GITHUB_WORKSPACE RUNNER_TEMP'.split(
    ' ',
  ),
  ...'RUNNER_OS GITLAB_CI BUILD_ID JENKINS_HOME HOSTALIASES JAVA_HOME JAVA_OPTS MAVEN_OPTS'.split(
    ' ',
  ),
  ...'PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGDATA POSTGRES_USER POSTGRES_DB'.split(' '),
  ...'POSTGRES_PASSWORD REDIS_HOST REDIS_PORT KAFKA_HOME KAFKA_HEAP_OPTS KAFKA_OPTS'.split(' '),
  ...'KAFKA_PORT KAFKA_CONTROLLER_PORT PG_PORT INFRA_DIR INFRA_ENV_FILE TEST_KAFKA_PORT'.split(' '),
  ...'TEST_KAFKA_CONTROLLER_PORT TEST_PG_PORT TEST_REDIS_PORT DOCKER_HOST COMPOSE_PROJECT_NAME'.split(
    ' ',
  ),
  ...'HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy SSL_CERT_DIR'.split(' '),
  ...'SSL_CERT_FILE CURL_CA_BUNDLE REQUESTS_CA_BUNDLE GIT_SSL_CAINFO AWS_CA_BUNDLE PIP_CERT'.split(
    ' ',
  ),
  ...'PYTHONUNBUFFERED PYTHONDONTWRITEBYTECODE PYENV_ROOT RUST_BACKTRACE CARGO_HOME GOPATH'.split(
    ' ',
  ),
  ...'VITEST VITEST_MODE VITEST_POOL_ID VITEST_WORKER_ID TEST DATABASE HOSTS_FILE'.split(' '),
];

describe('misspelledVariables', () => {
  it('leaves an ordinary environment alone', () => {
    const env = Object.fromEntries(ORDINARY.map((n) => [n, 'x']));
    expect(misspelledVariables(env)).toEqual([]);
    expect(() => loadSettings(env)).not.toThrow();
  });

  it('leaves the documented variables alone', () => {
    expect(misspelledVariables({ PORT: '1', RISK__MAX_QUANTITY: '2', FEED__SEED: '3' })).toEqual(
      [],
    );
  });

  it.each([
    ['ACTIVE_BROKER', 'ACTIVE_BROKERS'],
    ['PORTT', 'PORT'],
    ['HOTS', 'HOST'],
    ['DATA_DIRR', 'DATA_DIR'],
    ['REDIS_UR', 'REDIS_URL'],
    ['DATABSE_URL', 'DATABASE_URL'],
    ['KAFKA_BROKER', 'KAFKA_BROKERS'],
    ['LOGLEVEL', 'LOG_LEVEL'],
    ['port', 'PORT'],
    ['RSIK__MAX_QUANTITY', 'RISK__MAX_QUANTITY'],
    ['PAPER_TRADNG__PRODUCT', 'PAPER_TRADING__PRODUCT'],
  ])('takes %s for %s', (name, meant) => {
    expect(misspelledVariables({ [name]: 'x' })).toEqual([
      `${name}: not a setting; did you mean ${meant}?`,
    ]);
  });

  it.each([
    ['RISK__MAX_POSITON', 'RISK__MAX_POSITION_PER_INSTRUMENT'],
    ['RISK__MAX_QTY', 'RISK__MAX_QUANTITY'],
    ['PAPER_TRADING__SLIPPAGE', 'PAPER_TRADING__SLIPPAGE_PERCENT'],
    ['FEED__TICKS', 'FEED__TICKS_PER_SECOND'],
    ['JOURNAL__BATCH', 'JOURNAL__BATCH_RECORDS'],
    ['SNAPSHOT__EVERY_SECOND', 'SNAPSHOT__EVERY_SECONDS'],
    ['SUPERVISOR__RESTARTS', 'SUPERVISOR__MAX_RESTARTS'],
    ['TRADING__ZERODHA', 'TRADING__ZERODHA__ENABLED'],
    ['API__MAX_BODY', 'API__MAX_BODY_BYTES'],
    ['feed__seed', 'FEED__SEED'],
  ])('refuses %s under a settings prefix, naming %s', (name, meant) => {
    const [line] = misspelledVariables({ [name]: 'x' });
    expect(line).toMatch(new RegExp(`^${name}: not a setting; did you mean ${meant}\\? \\(the `));
  });

  it('lists the prefix’s settings', () => {
    expect(misspelledVariables({ SUPERVISOR__X: '1' })).toEqual([
      'SUPERVISOR__X: not a setting; did you mean SUPERVISOR__MAX_RESTARTS? (the SUPERVISOR__ settings: SUPERVISOR__MAX_RESTARTS, SUPERVISOR__WINDOW_SECONDS)',
    ]);
  });
});

describe('loadSettings with a misspelled variable', () => {
  it('refuses it with the nearest setting and any bad value, whatever its value', () => {
    let err: unknown;
    try {
      loadSettings({ PATH: '/usr/bin', ACTIVE_BROKER: 'paper', PORT: 'x', RISK__MAX_POSITON: '' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as Error).message.split('\n');
    expect(lines[0]).toBe('invalid settings:');
    expect(lines).toContain('  PORT: received "x"; expected an integer from 0 to 65535');
    expect(lines).toContain('  ACTIVE_BROKER: not a setting; did you mean ACTIVE_BROKERS?');
    expect(
      lines.some((l) =>
        l.startsWith(
          '  RISK__MAX_POSITON: not a setting; did you mean RISK__MAX_POSITION_PER_INSTRUMENT?',
        ),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toContain('help <command>');
  });
});
