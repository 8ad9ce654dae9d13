/** The inspector's response schemas (routes/inspector.ts). */
import { z } from '../openapi.js';

export const ActorView = z
  .object({
    id: z.string().openapi({ example: 'risk-gate:paper' }),
    kind: z.enum(['supervisor', 'strategy', 'risk-gate', 'trader', 'portfolio']),
    parent: z.string().nullable(),
    state: z.unknown().openapi({ description: 'The XState state value; null when not running' }),
    status: z.enum(['RUNNING', 'DISABLED', 'FAULTED', 'HALTED', 'REDUCING', 'STOPPED']),
    restarts: z.number().int(),
    messagesIn: z.number().int(),
    messagesOut: z.number().int(),
    lastSeq: z.number().int().nullable(),
    lastAgeMs: z.number().nullable(),
    error: z.string().optional(),
  })
  .openapi('InspectorActor');

export const ActorDetail = ActorView.extend({
  context: z.unknown().openapi({ description: 'The context as kept: paise, epoch ms' }),
  readable: z.unknown().openapi({ description: 'The same: money in rupees, times in IST' }),
}).openapi('InspectorActorDetail');

export const MessageView = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    type: z.string(),
    topic: z.string(),
    source: z.string(),
    targets: z.array(z.string()),
    broker: z.string(),
    key: z.string(),
    input: z.boolean(),
    correlationSeq: z.number().int(),
    causationSeq: z.number().int(),
    at: z.string(),
    atIst: z.string(),
    data: z.unknown(),
  })
  .openapi('InspectorMessage');

export const ActorList = z.object({
  postMortem: z.boolean(),
  lastSeq: z.number().int(),
  actors: z.array(ActorView),
});

export const StateAt = z
  .object({ seq: z.number().int(), record: MessageView, actors: z.array(ActorDetail) })
  .openapi('InspectorState');

export const ActorAt = z.object({
  seq: z.number().int(),
  record: MessageView,
  actor: ActorDetail,
});

export const Chain = z
  .object({
    seq: z.number().int(),
    back: z.array(MessageView),
    forward: z.array(MessageView),
    truncated: z.boolean(),
  })
  .openapi('InspectorChain');
