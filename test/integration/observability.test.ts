/**
 * The `observability` profile without Docker: Prometheus's configuration and alert rules pass
 * promtool (and its unit tests of when each alert fires), every Grafana panel query parses, and
 * every metric name a query or a rule uses is one the daemon's registry (startMetrics) exports.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { PortfolioReadModel } from '../../src/readmodel/index.js';
import { startMetrics, type Metrics } from '../../src/system/index.js';
import { ROOT, startTestSystem, tempDir, type TestSystem } from '../helpers/system.js';

const OBS = join(ROOT, 'deploy', 'observability');
const PROM = join(OBS, 'prometheus');
const DASHBOARDS = join(OBS, 'grafana', 'dashboards');
const TOKEN_MOUNT = '/run/secrets/alpha-panda-metrics-token';

/** Runs promtool; a missing promtool fails the test with how to install it. */
function promtool(args: string[], cwd = PROM): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new Error(
      'promtool is not installed: run scripts/infra-up.sh (as root it installs Debian package prometheus, which has promtool)',
    );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const yamlFile = <T>(path: string): T => parseYaml(readFileSync(path, 'utf8')) as T;

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  targets?: { refId: string; expr: string }[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; definition?: string }[] };
}
const dashboard = (file: string): Dashboard =>
  JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Dashboard;
type Volume = string | { source: string; target: string; bind?: { create_host_path?: boolean } };
interface Compose {
  services: Record<string, { profiles?: string[]; image: string; volumes: Volume[] }>;
}

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (): Rule[] =>
  yamlFile<{ groups: { rules: Rule[] }[] }>(join(PROM, 'alerts.yml')).groups[0]!.rules;

interface Query {
  where: string;
  expr: string;
}
/** Every panel query of every dashboard, and the metric of each `label_values` variable. */
function dashboardQueries(): Query[] {
  const out: Query[] = [];
  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const d = dashboard(file);
    for (const p of d.panels)
      for (const t of p.targets ?? [])
        out.push({ where: `${file} panel ${p.id} (${p.title}) ${t.refId}`, expr: t.expr });
    for (const v of d.templating.list) {
      const m = /^label_values\(\s*([^,]+),/.exec(v.definition ?? '');
      if (m) out.push({ where: `${file} variable ${v.name}`, expr: m[1]! });
    }
  }
  return out;
}

/** A dashboard expression with Grafana's variables replaced, as Prometheus would receive it. */
function asPromql(expr: string): string {
  const out = expr
    .replace(
      /\$__rate_interval|\$__interval|\$__range|\$\{__(rate_interval|interval|range)\}/g,
      '5m',
    )
    .replace(/\$broker\b|\$\{broker\}/g, 'paper');
  if (out.includes('$')) throw new Error(`an unknown Grafana variable is left in ${out}`);
  return out;
}

/** PromQL's aggregations, keywords and modifiers: identifiers that are not metric names. */
const PROMQL_WORDS = new Set([
  ...'sum min max avg group stddev stdvar count count_values bottomk topk quantile'.split(' '),
  ...'limitk limit_ratio by without on ignoring group_left group_right offset bool'.split(' '),
  ...'and or unless atan2 inf nan start end'.split(' '),
]);

/**
 * The metric names an expression selects: its identifiers less strings, label matchers, ranges,
 * label lists (by, without, on, ignoring, group_left, group_right), numbers and durations,
 * keywords and aggregations, and functions (an identifier followed by `(`).
 */
function metricNames(expr: string): string[] {
  const s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' $1 ');
  const names: string[] = [];
  for (const m of s.matchAll(/\d[\w.]*|([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    const [, ident, call] = m;
    if (ident === undefined || call !== undefined || PROMQL_WORDS.has(ident.toLowerCase()))
      continue;
    if (!names.includes(ident)) names.push(ident);
  }
  return names;
}

/** Whether the daemon exports `name`: a registry metric, a histogram's series, `up` or a default. */
function isExported(name: string, types: ReadonlyMap<string, string>): boolean {
  if (name === 'up' || types.has(name)) return true;
  const m = /^(.+)_(bucket|sum|count)$/.exec(name);
  return m !== null && ['histogram', 'summary'].includes(types.get(m[1]!) ?? '');
}

describe('the alert rules (deploy/observability/prometheus/alerts.yml)', () => {
  it('pass promtool check rules', () => {
    const r = promtool(['check', 'rules', 'alerts.yml']);
    expect(r.output).toContain(`SUCCESS: ${rules().length} rules found`);
    expect(r.status).toBe(0);
  });

  it('fire, and stay quiet, when alerts.test.yml says (promtool test rules)', () => {
    const r = promtool(['test', 'rules', 'alerts.test.yml']);
    expect(r.status, r.output).toBe(0);
  });

  it('each have a severity, a summary and a description, and a case in alerts.test.yml that fires', () => {
    type Case = { alertname: string; exp_alerts: unknown[] };
    const { tests } = yamlFile<{ tests: { alert_rule_test: Case[] }[] }>(
      join(PROM, 'alerts.test.yml'),
    );
    const firing = new Set(
      tests.flatMap((t) => t.alert_rule_test.filter((c) => c.exp_alerts.length > 0)),
    );
    const names = rules().map((r) => r.alert);
    expect(names).toHaveLength(7);
    for (const r of rules()) {
      expect(['critical', 'warning'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.description?.length ?? 0, r.alert).toBeGreaterThan(80);
      expect(
        [...firing].map((c) => c.alertname),
        r.alert,
      ).toContain(r.alert);
    }
  });
});

describe('prometheus.yml', () => {
  const config = yamlFile<{
    rule_files: string[];
    scrape_configs: { job_name: string; metrics_path: string; authorization: unknown }[];
  }>(join(PROM, 'prometheus.yml'));

  it('scrapes job alpha-panda with the token file that docker-compose.yml mounts, and loads alerts.yml', () => {
    const job = config.scrape_configs.find((j) => j.job_name === 'alpha-panda')!;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.authorization).toEqual({ type: 'Bearer', credentials_file: TOKEN_MOUNT });
    expect(config.rule_files).toEqual(['alerts.yml']);
  });

  it('passes promtool check config as written (syntax: the token file is the user’s)', () => {
    const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yml']);
    expect(r.status, r.output).toBe(0);
  });

  it('passes the full promtool check config, rule files included, once a token file exists', () => {
    const dir = tempDir('ap-prom-');
    try {
      const token = join(dir.path, 'metrics-token');
      writeFileSync(token, 'a-metrics-token-of-32-characters\n');
      const text = readFileSync(join(PROM, 'prometheus.yml'), 'utf8');
      expect(text.split(TOKEN_MOUNT)).toHaveLength(2);
      writeFileSync(join(dir.path, 'prometheus.yml'), text.replace(TOKEN_MOUNT, token));
      copyFileSync(join(PROM, 'alerts.yml'), join(dir.path, 'alerts.yml'));
      const r = promtool(['check', 'config', 'prometheus.yml'], dir.path);
      expect(r.output).toContain('SUCCESS: 1 rule files found');
      expect(r.status, r.output).toBe(0);
    } finally {
      dir.remove();
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = yamlFile<Compose>(join(ROOT, 'docker-compose.yml'));
  const service = (name: string) => {
    const s = compose.services[name];
    if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
    return s;
  };

  it('keeps its services and adds Prometheus and Grafana, pinned, in the observability profile', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['redpanda', 'postgres', 'redis', 'console', 'prometheus', 'grafana']),
    );
    for (const name of ['prometheus', 'grafana']) {
      const s = service(name);
      expect(s.profiles).toEqual(['observability']);
      expect(s.image).toMatch(/^(prom\/prometheus|grafana\/grafana):v?\d+\.\d+\.\d+$/);
    }
    for (const name of ['redpanda', 'postgres', 'redis'])
      expect(service(name).profiles).toBeUndefined();
  });

  it('mounts files that exist, the token at the path prometheus.yml reads, kept out of git', () => {
    for (const name of ['prometheus', 'grafana'])
      for (const v of service(name).volumes) {
        const source = typeof v === 'string' ? (v.split(':')[0] ?? '') : v.source;
        if (!source.startsWith('.') && !source.startsWith('$')) continue; // a named volume
        const path = resolve(ROOT, source.replace(/^\$\{[A-Z_]+:-(.+)\}$/, '$1'));
        if (typeof v !== 'string' && v.target === TOKEN_MOUNT) {
          expect(v.bind?.create_host_path).toBe(false);
          expect(existsSync(dirname(path))).toBe(true);
          const ignored = spawnSync('git', ['check-ignore', '-q', path], { cwd: ROOT });
          expect(ignored.status, `${path} must be ignored by git`).toBe(0);
        } else expect(existsSync(path), path).toBe(true);
      }
    const ds = yamlFile<{ datasources: { url: string }[] }>(
      join(OBS, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'),
    );
    expect(ds.datasources[0]?.url).toBe('http://prometheus:9090');
  });
});

describe('the Grafana dashboards (deploy/observability/grafana/dashboards)', () => {
  it('are provisioned with a broker variable, unique ids, and the provisioned datasource', () => {
    const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['health.json', 'orders.json', 'pipeline.json', 'portfolio.json']);
    const uids = new Set<string>();
    for (const file of files) {
      const d = dashboard(file);
      uids.add(d.uid);
      expect(d.templating.list.map((v) => v.name)).toContain('broker');
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size, file).toBe(ids.length);
      for (const p of d.panels.filter((x) => x.type !== 'row')) {
        expect(p.datasource, `${file} ${p.title}`).toEqual({
          type: 'prometheus',
          uid: 'prometheus',
        });
        expect(p.targets?.length ?? 0, `${file} ${p.title}`).toBeGreaterThan(0);
      }
    }
    expect(uids.size).toBe(files.length);
  });

  it('have panel queries that all parse (promtool check rules, as recording rules)', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(40);
    const dir = tempDir('ap-dash-');
    try {
      const recorded = queries.map((q, i) => ({
        record: `dashboard:query_${i}`,
        expr: asPromql(q.expr),
      }));
      const file = join(dir.path, 'dashboards.yml');
      writeFileSync(file, stringifyYaml({ groups: [{ name: 'dashboards', rules: recorded }] }));
      const r = promtool(['check', 'rules', file]);
      expect(r.output).toContain(`SUCCESS: ${queries.length} rules found`);
      expect(r.status, r.output).toBe(0);
    } finally {
      dir.remove();
    }
  });
});

describe('the metric names of the dashboards and alert rules', () => {
  let sys: TestSystem;
  let metrics: Metrics;
  const types = new Map<string, string>();

  beforeAll(async () => {
    sys = await startTestSystem({ strategies: [] });
    metrics = startMetrics(sys.system, {
      enabled: true,
      wallMs: () => sys.clock.now(),
      portfolios: new PortfolioReadModel(),
      lastSnapshot: () => null,
      feed: () => ({ source: 'mock', connections: [{ connection: 0, open: true }] }),
    });
    const defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
    for (const m of [
      ...(await metrics.registry.getMetricsAsJSON()),
      ...(await defaults.getMetricsAsJSON()),
    ])
      types.set(m.name, String(m.type));
  });
  afterAll(async () => {
    metrics?.close();
    await sys?.close();
  });

  it('are found by the extractor, which also rejects a made-up name', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le, hop) (rate(alpha_panda_hop_latency_seconds_bucket{broker=~"paper|shared", hop!="x"}[5m]))) > bool 1e-3 ' +
      'and on () (hour() * 60 + minute() >= 225 < 600) or alpha_panda_journal_last_seq offset 10m unless alpha_panda_made_up_total';
    const names = metricNames(expr);
    expect(names).toEqual([
      'alpha_panda_hop_latency_seconds_bucket',
      'alpha_panda_journal_last_seq',
      'alpha_panda_made_up_total',
    ]);
    expect(names.map((n) => isExported(n, types))).toEqual([true, true, false]);
    expect(isExported('alpha_panda_journal_last_seq_bucket', types)).toBe(false);
    expect(isExported('nodejs_heap_size_used_bytes', types)).toBe(true);
  });

  it('are all exported by the daemon (startMetrics), or are up or a process metric', () => {
    const all = [
      ...rules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
      ...dashboardQueries(),
    ];
    const missing: string[] = [];
    for (const q of all) {
      const names = metricNames(q.expr);
      expect(names.length, `${q.where}: ${q.expr}`).toBeGreaterThan(0);
      for (const n of names) if (!isExported(n, types)) missing.push(`${n} (${q.where})`);
    }
    expect(missing).toEqual([]);
  });
});
