/** Reads the portfolio views RedisProjection writes (SPEC §7 keys), for an API-only process. */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BROKERS, isBroker, PortfolioSnapshotSchema, type BrokerName } from '../model/index.js';
import { ReadModelCorrupt, ReadModelUnavailable } from './errors.js';
import type { PortfolioSource } from './portfolio-source.js';
import type { PortfolioView } from './portfolio-view.js';
import { closeRedis } from './redis-client.js';
import { parsePortfolioMember, redisKeys } from './redis-keys.js';

/** A stored view is validated where it enters the process, like every message. */
const PortfolioViewSchema = z.object({
  broker: z.enum(BROKERS),
  strategyId: z.string(),
  cash: z.number().int(),
  fees: z.number().int().nonnegative(),
  realizedPnl: z.number().int(),
  unrealizedPnl: z.number().int(),
  totalPnl: z.number().int(),
  dayPnl: z.number().int(),
  positions: PortfolioSnapshotSchema.shape.positions,
  fills: z.number().int().nonnegative(),
  buyingPower: z.number().int(),
  openOrders: z.array(
    z
      .object({
        clientOrderId: z.string(),
        broker: z.enum(BROKERS),
        strategyId: z.string(),
        token: z.number().int(),
        status: z.string(),
        quantity: z.number().int(),
        filled: z.number().int(),
      })
      .loose(),
  ),
  asOfSeq: z.number().int().nonnegative(),
});

function parseView(key: string, raw: string): PortfolioView {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ReadModelCorrupt(key, 'not JSON');
  }
  const r = PortfolioViewSchema.safeParse(json);
  if (!r.success) throw new ReadModelCorrupt(key, z.prettifyError(r.error).replace(/\n/g, '; '));
  // The schema checks integers; Paise and the other brands are that, by construction.
  return r.data as unknown as PortfolioView;
}

export class RedisPortfolioReader implements PortfolioSource {
  constructor(private readonly redis: Redis) {}

  /** Every portfolio, sorted by broker then strategy id as PortfolioReadModel.list() sorts. */
  async list(): Promise<PortfolioView[]> {
    const members = await this.read('list portfolios', () =>
      this.redis.smembers(redisKeys.portfolios),
    );
    const ids = members.map(parsePortfolioMember).filter((m) => isBroker(m.broker));
    if (ids.length === 0) return [];
    const keys = ids.map((m) => redisKeys.portfolio(m.broker as BrokerName, m.strategyId));
    const raws = await this.read('read portfolios', () => this.redis.mget(...keys));
    const views: PortfolioView[] = [];
    raws.forEach((raw, i) => {
      // A member without its key cannot come from the projection's MULTI; skip rather than fail.
      if (raw !== null) views.push(parseView(keys[i]!, raw));
    });
    return views.sort((a, b) => (a.broker + a.strategyId).localeCompare(b.broker + b.strategyId));
  }

  /** One portfolio, or undefined when there is none for (broker, strategyId). */
  async get(broker: string, strategyId: string): Promise<PortfolioView | undefined> {
    if (!isBroker(broker)) return undefined;
    const key = redisKeys.portfolio(broker, strategyId);
    const raw = await this.read('read a portfolio', () => this.redis.get(key));
    return raw === null ? undefined : parseView(key, raw);
  }

  /**
   * Readiness: null when Redis answers and holds a built read model, else what is wrong.
   * Never rejects.
   */
  async ping(): Promise<string | null> {
    try {
      const [pong, built] = await Promise.all([
        this.redis.ping(),
        this.redis.exists(redisKeys.seq),
      ]);
      if (pong !== 'PONG') return `Redis answered PING with ${JSON.stringify(pong)}`;
      return built === 1
        ? null
        : `Redis holds no read model (${redisKeys.seq} is missing): start the trading daemon with REDIS_URL set, which builds it from the journal`;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return `Redis does not answer (connection ${this.redis.status}): ${why}`;
    }
  }

  /** Closes the Redis connection. */
  /** Calls `fn` each time the connection is (re)established. */
  onReady(fn: () => void): void {
    this.redis.on('ready', fn);
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }

  private async read<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new ReadModelUnavailable(what, err);
    }
  }
}
