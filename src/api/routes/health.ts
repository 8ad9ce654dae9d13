/** Liveness, readiness (each check with its problem) and the Prometheus metrics. */
import { createRoute } from '@hono/zod-openapi';
import type { ReadinessCheck } from '../../system/index.js';
import { errors, json, z, type Router } from '../openapi.js';

/** What GET /metrics serves: Prometheus' text format. */
export interface MetricsSource {
  render(): Promise<string>;
  readonly contentType: string;
}

/** Runs one check; a check that throws reports that as its problem instead of failing /ready. */
async function runCheck(r: ReadinessCheck): Promise<string | null> {
  try {
    return await r.check();
  } catch (err) {
    return `the ${r.name} check failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const Ready = z
  .object({
    ready: z.boolean(),
    checks: z.array(
      z.object({ name: z.string(), ok: z.boolean(), problem: z.string().optional() }).passthrough(),
    ),
  })
  .openapi('Readiness');

const tags = ['Operations'];

export function healthRoutes(
  app: Router,
  readiness: readonly ReadinessCheck[],
  metrics: MetricsSource | undefined,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags,
      security: [],
      summary: 'Liveness: the process answers',
      responses: { 200: json(z.object({ status: z.literal('ok') }), 'Alive') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      tags,
      security: [],
      summary: 'Readiness: journal, disk, recovery, feed and brokers',
      responses: { 200: json(Ready, 'Ready'), 503: json(Ready, 'Not ready: see each problem') },
    }),
    async (c) => {
      const problems = await Promise.all(readiness.map(runCheck));
      const checks = readiness.map((r, i) => ({
        name: r.name,
        ok: problems[i] === null,
        ...(problems[i] ? { problem: problems[i] } : {}),
        ...(r.detail ? r.detail() : {}),
      }));
      const ready = checks.every((x) => x.ok);
      // Each check's detail (free bytes, say) rides along: the schema lets extra fields pass.
      return c.json({ ready, checks }, ready ? 200 : 503) as never;
    },
  );

  if (metrics)
    app.openapi(
      createRoute({
        method: 'get',
        path: '/metrics',
        tags,
        summary: 'Prometheus metrics (text format); also takes API__METRICS_TOKEN',
        responses: {
          200: {
            description: 'The metrics',
            content: { 'text/plain': { schema: z.string() } },
          },
          ...errors(401),
        },
      }),
      async (c) => {
        const body = await metrics.render();
        return c.body(body, 200, { 'Content-Type': metrics.contentType }) as never;
      },
    );
}
