/**
 * The pipeline's health and the journal's (SPEC §8): per broker and stage, how many records,
 * the last one's seq and time and its age; the journal's last and durable seq, backlog, last
 * write and newest snapshot.
 */
import { createRoute } from '@hono/zod-openapi';
import type { PipelineReadModel } from '../../readmodel/index.js';
import type { JournalStatus } from '../../system/index.js';
import { errors, json, z, type Router } from '../openapi.js';

const Stage = z
  .object({
    broker: z.string(),
    stage: z.string(),
    count: z.number().int(),
    lastSeq: z.number().int().nullable(),
    lastAt: z.string().nullable(),
    ageSeconds: z.number().int().nullable(),
  })
  .openapi('PipelineStage');

const Journal = z
  .object({
    transport: z.enum(['lmdb', 'kafka']),
    lastSeq: z.number().int(),
    durableSeq: z.number().int(),
    backlog: z.number().int(),
    lastFlushAt: z.string().nullable(),
    snapshotSeq: z.number().int().nullable(),
    snapshotAt: z.string().nullable(),
    problem: z.string().nullable(),
  })
  .openapi('JournalStatus');

export function pipelineRoutes(
  app: Router,
  pipeline: PipelineReadModel,
  journal: () => JournalStatus,
  nowMs: () => number,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pipeline',
      tags: ['Operations'],
      summary: 'Each stage of each broker: count, last activity and its age',
      responses: {
        200: json(z.object({ stages: z.array(Stage) }), 'The stages'),
        ...errors(401),
      },
    }),
    (c) => c.json({ stages: pipeline.stages(nowMs()) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/journal',
      tags: ['Operations'],
      summary: "The journal's status: last seq, backlog, last write, newest snapshot",
      responses: { 200: json(Journal, 'The status'), ...errors(401) },
    }),
    (c) => c.json(journal(), 200),
  );
}
