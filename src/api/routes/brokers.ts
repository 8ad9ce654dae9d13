/**
 * Trading control: each broker's trading state (and its strategies'), halt, reduce-only and
 * resume per broker or per strategy, and the kill switch. Every command is a journaled input; the
 * answer carries its seq.
 */
import { createRoute } from '@hono/zod-openapi';
import { z as zod } from 'zod';
import { BROKERS, type BrokerName, type TradingCommand } from '../../model/index.js';
import type { TradingService } from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { readJsonBody } from '../json-body.js';
import { errors, json, jsonBody, z, type Router } from '../openapi.js';

const CommandBody = zod.strictObject({
  reason: zod.string().trim().min(1).max(500).optional(),
  strategyId: zod.string().min(1).max(64).optional(),
});
const KillBody = zod.strictObject({ reason: zod.string().trim().min(1).max(500) });

const VERBS = {
  halt: ['HaltTrading', 'Halts trading: no new orders'],
  reduce: ['ReduceOnly', 'Limits trading to orders that reduce positions'],
  resume: ['ResumeTrading', "Lifts the operator's halt or reduce-only"],
} as const;

const State = z.enum(['ACTIVE', 'REDUCING', 'HALTED', 'FAULTED']);
const Restriction = z.record(z.string(), z.enum(['ACTIVE', 'REDUCING', 'HALTED']));
export const BrokerStatusBody = z
  .object({
    broker: z.string(),
    state: State,
    reason: z.string(),
    by: Restriction,
    link: z.record(z.string(), z.unknown()).optional(),
    strategies: z.record(
      z.string(),
      z.object({
        state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']),
        reason: z.string(),
        by: Restriction,
      }),
    ),
  })
  .openapi('BrokerStatus');

const BrokerParam = z.object({
  broker: z.string().openapi({ param: { name: 'broker', in: 'path' }, example: 'paper' }),
});

/** `raw` as an active broker of this process; 404 for no such broker, 409 for an inactive one. */
export function brokerParam(svc: TradingService, raw: string): BrokerName {
  const known = svc.brokers().map((b) => b.broker);
  if (!known.includes(raw as BrokerName)) {
    const all = (BROKERS as readonly string[]).includes(raw);
    throw new ApiError(
      all ? 409 : 404,
      'UNKNOWN_BROKER',
      all
        ? `broker ${raw} is not active in this process; active: ${known.join(', ')}`
        : `no broker ${JSON.stringify(raw)}; the brokers are ${known.join(', ')}`,
    );
  }
  return raw as BrokerName;
}

const tags = ['Brokers'];

export function brokerRoutes(app: Router, svc: TradingService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/brokers',
      tags,
      summary: "Each broker's trading state, why, and its restricted strategies",
      responses: {
        200: json(z.object({ brokers: z.array(BrokerStatusBody).readonly() }), 'The brokers'),
        ...errors(401),
      },
    }),
    (c) => c.json({ brokers: svc.brokers() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/brokers/{broker}',
      tags,
      summary: "One broker's trading state",
      request: { params: BrokerParam },
      responses: { 200: json(BrokerStatusBody, 'The broker'), ...errors(401, 404, 409) },
    }),
    (c) => {
      const b = brokerParam(svc, c.req.valid('param').broker);
      return c.json(
        svc.brokers().find((x) => x.broker === b)!,
        200,
      );
    },
  );

  for (const [verb, [type, summary]] of Object.entries(VERBS)) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/brokers/{broker}/${verb}`,
        tags,
        summary: `${summary}, on a broker or one of its strategies (journaled)`,
        request: {
          params: BrokerParam,
          body: jsonBody(
            CommandBody,
            'Why, and optionally one strategy; {} or no body is fine',
            false,
          ),
        },
        responses: {
          200: json(
            z.object({
              seq: z.number().int(),
              command: z.object({
                type: z.string(),
                broker: z.string(),
                reason: z.string(),
                strategyId: z.string().optional(),
              }),
              brokers: z.array(BrokerStatusBody).readonly(),
            }),
            'The command was journaled at seq',
          ),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      }),
      async (c) => {
        const broker = brokerParam(svc, c.req.valid('param').broker);
        const body = await readJsonBody(c, CommandBody, {
          allowEmpty: true,
          example: '{"reason": "why", "strategyId": "optional: only this strategy"}',
        });
        if (body.strategyId !== undefined && !svc.strategyIds().includes(body.strategyId))
          throw new ApiError(
            404,
            'STRATEGY_NOT_FOUND',
            `no strategy ${JSON.stringify(body.strategyId)}; GET /api/v1/strategies lists them`,
          );
        const reason = body.reason ?? `${verb} by the operator (API)`;
        const cmd = {
          type,
          broker,
          reason,
          ...(body.strategyId !== undefined ? { strategyId: body.strategyId } : {}),
        } as TradingCommand;
        const seq = svc.command(cmd, sourceOf(c));
        return c.json({ seq, command: cmd, brokers: svc.brokers() }, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/kill',
      tags,
      summary: 'The kill switch: every broker halts and every open order is canceled (journaled)',
      request: { body: jsonBody(KillBody, 'Why', true) },
      responses: {
        200: json(
          z.object({ seq: z.number().int(), brokers: z.array(BrokerStatusBody).readonly() }),
          'The kill switch was journaled at seq',
        ),
        ...errors(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const body = await readJsonBody(c, KillBody, {
        allowEmpty: false,
        example: '{"reason": "why every broker halts and every open order is canceled"}',
      });
      const seq = svc.kill(body.reason, sourceOf(c));
      return c.json({ seq, brokers: svc.brokers() }, 200);
    },
  );
}

/** Who a command came from, for the journal: `operator:<username>`, or `operator` without one. */
export function sourceOf(c: { get: (k: never) => unknown }): string {
  const user = c.get('user' as never) as { username?: string } | undefined;
  return user?.username ? `operator:${user.username}` : 'operator';
}
