/** Orders and their fills: the run's orders (the order read model), filterable, and one by id. */
import { createRoute } from '@hono/zod-openapi';
import { BROKERS } from '../../model/index.js';
import type { OrderFilter } from '../../readmodel/index.js';
import type { TradingService } from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { errors, json, query, z, type Router } from '../openapi.js';
import { brokerParam } from './brokers.js';
import { ORDER_STATUSES, OrderBody } from './order-schema.js';

const tags = ['Orders'];

export function orderRoutes(app: Router, svc: TradingService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/orders',
      tags,
      summary: 'The orders of the run with their fills, newest first',
      request: {
        query: query({
          broker: z.enum(BROKERS, { error: `expected one of ${BROKERS.join(', ')}` }).optional(),
          strategyId: z.string().min(1).max(64).optional(),
          status: z
            .enum(ORDER_STATUSES, { error: `expected one of ${ORDER_STATUSES.join(', ')}` })
            .optional(),
        }),
      },
      responses: {
        200: json(z.object({ orders: z.array(OrderBody).readonly() }), 'The orders'),
        ...errors(400, 401, 409),
      },
    }),
    (c) => {
      const q = c.req.valid('query');
      if (q.broker !== undefined) brokerParam(svc, q.broker);
      const filter: OrderFilter = {
        ...(q.broker !== undefined ? { broker: q.broker } : {}),
        ...(q.strategyId !== undefined ? { strategyId: q.strategyId } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
      };
      return c.json({ orders: svc.orders(filter) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/orders/{clientOrderId}',
      tags,
      summary: 'One order, by its client order id, with its fills',
      request: {
        params: z.object({
          clientOrderId: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: 'clientOrderId', in: 'path' } }),
        }),
      },
      responses: { 200: json(OrderBody, 'The order'), ...errors(400, 401, 404) },
    }),
    (c) => {
      const id = c.req.valid('param').clientOrderId;
      const o = svc.orders({}).find((x) => x.clientOrderId === id);
      if (!o)
        throw new ApiError(
          404,
          'ORDER_NOT_FOUND',
          `no order ${JSON.stringify(id)} in this run; GET /api/v1/orders lists them`,
        );
      return c.json(o, 200);
    },
  );
}
