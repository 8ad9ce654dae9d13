/**
 * Strategies: their status and live configuration, and the operator's changes (enable, disable,
 * parameters), each a journaled input, written to Postgres first when DATABASE_URL is set.
 */
import { createRoute } from '@hono/zod-openapi';
import { z as zod } from 'zod';
import type { StrategyControl, StrategyView } from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { readJsonBody } from '../json-body.js';
import { errors, json, jsonBody, z, type Router } from '../openapi.js';
import { publicText } from '../public-text.js';
import { sourceOf } from './brokers.js';

export const StrategyBody = z
  .object({
    id: z.string(),
    type: z.string(),
    status: z.enum(['RUNNING', 'FAULTED', 'DISABLED']),
    error: z.string().optional(),
    signals: z.number().int(),
    enabled: z.boolean(),
    params: z.record(z.string(), z.unknown()),
    instruments: z.array(z.number().int()).readonly(),
    brokers: z.array(z.string()).readonly(),
  })
  .openapi('Strategy');

const Id = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'momentum_1' }),
});

const Changed = json(
  z.object({ seq: z.number().int(), strategy: StrategyBody }),
  'The change was journaled at seq',
);

const ParamsBody = zod.strictObject({
  params: zod.record(zod.string(), zod.unknown()),
});

// A faulted strategy's error is an exception's name and message: no local paths in answers.
const shown = (s: StrategyView) =>
  s.error === undefined ? s : { ...s, error: publicText(s.error) };

const tags = ['Strategies'];

export function strategyRoutes(app: Router, svc: StrategyControl): void {
  const find = (id: string) => {
    const s = svc.get(id);
    if (!s)
      throw new ApiError(
        404,
        'STRATEGY_NOT_FOUND',
        `no strategy ${JSON.stringify(id)}; GET /api/v1/strategies lists them`,
      );
    return s;
  };
  const change = async (
    c: Parameters<typeof sourceOf>[0],
    id: string,
    patch: { enabled?: boolean; params?: Record<string, unknown> },
  ) => {
    find(id);
    const r = await svc.change(id, patch, sourceOf(c));
    if (r.ok) return { seq: r.seq, strategy: shown(r.strategy) };
    if (r.why === 'not_found') throw new ApiError(404, 'STRATEGY_NOT_FOUND', r.error);
    if (r.why === 'store') throw new ApiError(503, 'CONFIG_STORE_UNAVAILABLE', publicText(r.error));
    throw new ApiError(422, 'CHANGE_REFUSED', r.error);
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/strategies',
      tags,
      summary: 'Every configured strategy: status, signals, live configuration',
      responses: {
        200: json(z.object({ strategies: z.array(StrategyBody) }), 'The strategies'),
        ...errors(401),
      },
    }),
    (c) => c.json({ strategies: svc.list().map(shown) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/strategies/{id}',
      tags,
      summary: 'One strategy',
      request: { params: Id },
      responses: { 200: json(StrategyBody, 'The strategy'), ...errors(400, 401, 404) },
    }),
    (c) => c.json(shown(find(c.req.valid('param').id)), 200),
  );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/strategies/{id}/${verb}`,
        tags,
        summary: `${verb === 'enable' ? 'Enables (and revives a faulted)' : 'Disables'} a strategy (journaled)`,
        request: { params: Id },
        responses: { 200: Changed, ...errors(400, 401, 403, 404, 413, 415, 422, 503) },
      }),
      async (c) => c.json(await change(c, c.req.valid('param').id, { enabled }), 200),
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/strategies/{id}/params',
      tags,
      summary: "Changes a strategy's parameters (merged into the current ones; journaled)",
      request: {
        params: Id,
        body: jsonBody(ParamsBody, 'The parameters to change, by name', true),
      },
      responses: { 200: Changed, ...errors(400, 401, 403, 404, 413, 415, 422, 503) },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      find(id);
      const body = await readJsonBody(c, ParamsBody, {
        allowEmpty: false,
        example: '{"params": {"lookback": 20}}',
      });
      return c.json(await change(c, id, { params: body.params }), 200);
    },
  );
}
