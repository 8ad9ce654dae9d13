/** An order as the API shows it (the order read model's view): prices in paise. */
import { z } from '../openapi.js';

export const ORDER_STATUSES = [
  'IN_FLIGHT',
  'OPEN',
  'PARTIALLY_FILLED',
  'COMPLETE',
  'REJECTED',
  'CANCELLED',
] as const;

const paise = z.number().int();

export const OrderBody = z
  .object({
    clientOrderId: z.string(),
    broker: z.string(),
    strategyId: z.string(),
    token: z.number().int(),
    side: z.enum(['BUY', 'SELL']).nullable(),
    orderType: z.string().nullable(),
    validity: z.string().nullable(),
    product: z.string().nullable(),
    quantity: z.number().int(),
    filled: z.number().int(),
    limitPrice: paise.nullable(),
    triggerPrice: paise.nullable(),
    protectionPrice: paise.nullable(),
    brokerOrderId: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    reason: z.string().nullable(),
    fills: z
      .array(
        z.object({ seq: z.number().int(), quantity: z.number().int(), price: paise, fees: paise }),
      )
      .readonly(),
    seq: z.number().int(),
    updatedSeq: z.number().int(),
  })
  .openapi('Order');
