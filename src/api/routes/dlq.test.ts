import { describe, expect, it } from 'vitest';
import {
  apiError as error,
  deadLetter as dl,
  OPERATOR,
  testApi,
} from '../../../test/helpers/api.js';

const REPLAY = '/api/v1/dlq/market.ticks/replay';
const JSON_TYPE = { 'content-type': 'application/json' };

function post(body: string, headers: Record<string, string> = JSON_TYPE): RequestInit {
  return { method: 'POST', body, headers: { ...OPERATOR, ...headers } };
}

describe('DLQ routes', () => {
  it('lists a topic by its name or its DLQ name, limited', async () => {
    const { app: a } = testApi([dl(5), dl(9)]);
    const all = await (await a.request('/api/v1/dlq/market.ticks')).json();
    expect(all).toMatchObject({ topic: 'market.ticks.dlq', pending: 2 });
    const one = await (await a.request('/api/v1/dlq/market.ticks.dlq?limit=1')).json();
    expect(one).toMatchObject({ pending: 2, deadLetters: [{ seq: 5 }] });
  });

  it('a dry run re-delivers nothing; a replay re-delivers the oldest up to the limit', async () => {
    const { app: a, calls } = testApi([dl(5), dl(9)]);
    const dry = await a.request(REPLAY, post(JSON.stringify({ dryRun: true, limit: 1 })));
    expect(await dry.json()).toMatchObject({
      dryRun: true,
      pending: 2,
      wouldRedeliver: [{ seq: 5 }],
    });
    expect(calls).toEqual([]);
    const run = await a.request(REPLAY, post(JSON.stringify({ limit: 1 })));
    expect(await run.json()).toMatchObject({
      redelivered: [{ deadLetterSeq: 5, outcome: 'delivered', seq: 105 }],
      remaining: 1,
    });
    expect(calls).toEqual([{ topic: 'market.ticks.dlq', limit: 1 }]);
    // {} is every pending dead letter.
    await a.request(REPLAY, post('{}'));
    expect(calls[1]).toEqual({ topic: 'market.ticks.dlq', limit: Number.MAX_SAFE_INTEGER });
  });

  it('names the DLQ topics for an unknown one and refuses bad limits', async () => {
    const { app: a } = testApi([]);
    const unknown = await a.request('/api/v1/dlq/paper.orders.typo');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(
      /no DLQ topic \\"paper.orders.typo.dlq\\"; the DLQ topics are market.ticks.dlq, paper.signals.raw.dlq/,
    );
    expect((await a.request('/api/v1/dlq/market.ticks?limit=0')).status).toBe(400);
  });

  it('replays only on a JSON object: anything else is a 4xx and re-delivers nothing', async () => {
    const { app: a, calls } = testApi([dl(5), dl(9)]);
    const cases: [RequestInit, number, string, RegExp][] = [
      [post('null'), 400, 'BODY_NOT_AN_OBJECT', /must be a JSON object .*received null/],
      [post('[]'), 400, 'BODY_NOT_AN_OBJECT', /received an array/],
      [post('"x"'), 400, 'BODY_NOT_AN_OBJECT', /received a string/],
      [post('7'), 400, 'BODY_NOT_AN_OBJECT', /received a number/],
      [post('{nope'), 400, 'INVALID_JSON', /the body is not JSON/],
      [post(''), 400, 'BODY_REQUIRED', /the body is empty; send a JSON object/],
      [
        { method: 'POST', headers: OPERATOR },
        400,
        'BODY_REQUIRED',
        /or \{\} for every pending dead letter/,
      ],
      [post('{}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE', /text\/plain/],
      [
        post('{}', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /Content-Type: application\/json/,
      ],
      [
        { method: 'POST', body: new TextEncoder().encode('{}'), headers: OPERATOR },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /a body with no Content-Type/,
      ],
      [
        post('{}', { 'content-type': 'application/json; charset=latin1' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /charset=latin1/,
      ],
    ];
    for (const [init, status, code, message] of cases) {
      const res = await a.request(REPLAY, init);
      const e = await error(res);
      expect([res.status, e.code], String(init.body)).toEqual([status, code]);
      expect(e.message).toMatch(message);
    }
    expect(calls).toEqual([]);
  });

  it('validates the fields, naming the bad one, and refuses unknown fields', async () => {
    const { app: a, calls } = testApi([dl(5)]);
    const cases: [unknown, RegExp][] = [
      [{ dryRun: 'yes' }, /^dryRun: expected true or false, received "yes"$/],
      [{ dryRun: true, limit: 0 }, /^limit: expected a positive integer, received 0$/],
      [{ limit: '5' }, /^limit: expected a positive integer, received "5"$/],
      [{ limit: 1.5 }, /^limit: expected a positive integer, received 1.5$/],
      [{ dryrun: true }, /^unknown field "dryrun"; the fields are dryRun, limit$/],
    ];
    for (const [body, message] of cases) {
      const res = await a.request(REPLAY, post(JSON.stringify(body)));
      expect(res.status).toBe(400);
      const e = await error(res);
      expect(e.code).toBe('INVALID_BODY');
      expect(e.message).toMatch(message);
    }
    expect(calls).toEqual([]);
  });

  it("shows a dead letter's error as name and message, never its stack or paths", async () => {
    const { app: a } = testApi([
      dl(5),
      {
        ...dl(9),
        error: { name: 'Error', message: "ENOENT: open '/home/trader/alpha-panda/x.json'" },
      },
    ]);
    const listed = await a.request('/api/v1/dlq/market.ticks');
    const dry = await a.request(REPLAY, post('{"dryRun": true}'));
    for (const res of [listed, dry]) {
      const text = await res.text();
      expect(text).not.toMatch(/stack|\/home|momentum\.js/);
      expect(text).toContain('"error":{"name":"RangeError","message":"Invalid array length"}');
      expect(text).toContain('"message":"ENOENT: open \'<path>\'"');
    }
  });
});
