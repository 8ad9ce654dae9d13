/** The daemon as a user runs it: trades within a minute, stops cleanly, survives SIGKILL with a readable journal. */
import { afterEach, describe, expect, it } from 'vitest';
import { applyFill, EMPTY_HOLDING, type Holding } from '../../src/actors/portfolio/index.js';
import type { PortfolioResponse } from '../../src/api/index.js';
import type { OrderFilled } from '../../src/model/index.js';
import { startDaemon, until, type Daemon, started } from '../helpers/daemon.js';
import { readLmdbJournal } from '../helpers/system.js';

type PortfolioJson = PortfolioResponse;

let d: Daemon | undefined;
afterEach(() => {
  d?.remove();
  d = undefined;
});

describe('daemon on the embedded default', () => {
  it('trades on the mock feed within 60 s; portfolios follow from the journaled fills; SIGTERM flushes and exits 0', async () => {
    d = await startDaemon({ FEED__SEED: '42' });
    const daemon = d;
    await started(daemon, 15_000);
    expect((await daemon.get('/ready')).status).toBe(200);
    const portfolios = await until(
      async () => {
        const { body } = await daemon.get('/api/v1/portfolios');
        const list = (body as { portfolios: PortfolioJson[] }).portfolios;
        const open = list.filter(
          (p) => p.positions.some((x) => x.quantity !== 0) && p.totalPnl.paise !== 0,
        );
        return open.length > 0 ? list : undefined;
      },
      60_000,
      'a paper portfolio with an open position and non-zero PnL',
    );
    expect(portfolios.every((p) => p.broker === 'paper')).toBe(true);
    const one = (await daemon.get(`/api/v1/portfolios/paper/${portfolios[0]!.strategyId}`))
      .body as PortfolioJson;
    expect(one.strategyId).toBe(portfolios[0]!.strategyId);
    expect((await daemon.get('/api/v1/portfolios/paper/nope')).status).toBe(404);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    const journal = await readLmdbJournal(daemon.dataDir);
    expect(journal.every((r, i) => r.seq === i + 1)).toBe(true);

    // Recompute each listed portfolio from the journaled fills up to the seq it reflects.
    for (const p of portfolios.filter((x) => x.fills > 0)) {
      const fills = journal
        .filter(
          (r) =>
            r.type === 'OrderFilled' &&
            r.seq <= p.asOfSeq &&
            (r.data as OrderFilled).strategyId === p.strategyId,
        )
        .map((r) => r.data as OrderFilled);
      expect(fills.length).toBe(p.fills);
      const holdings = new Map<number, Holding>();
      let cash = 1_000_000_00;
      let fees = 0;
      let gross = 0;
      for (const f of fills) {
        const before = holdings.get(f.token) ?? EMPTY_HOLDING;
        const after = applyFill(before, f);
        gross += after.realized - before.realized;
        holdings.set(f.token, after);
        cash += (f.side === 'BUY' ? -1 : 1) * f.quantity * f.price - f.fees;
        fees += f.fees;
      }
      expect(p.cash.paise).toBe(cash);
      expect(p.fees.paise).toBe(fees);
      expect(p.realizedPnl.paise).toBe(gross - fees);
      for (const pos of p.positions)
        expect(pos.quantity).toBe(holdings.get(pos.instrumentToken)?.quantity ?? 0);
    }
  }, 90_000);

  it('after SIGKILL mid-stream the LMDB journal is readable with contiguous seq from 1', async () => {
    for (const [i, waitFor] of [2_000, 6_000].entries()) {
      d = await startDaemon({
        FEED__SEED: String(7 + i),
        FEED__TICKS_PER_SECOND: '20000',
        FEED__BATCH_MS: '5',
      });
      const daemon = d;
      await started(daemon, 15_000);
      await new Promise((r) => setTimeout(r, waitFor));
      daemon.child.kill('SIGKILL');
      expect((await daemon.exited).signal).toBe('SIGKILL');
      const journal = await readLmdbJournal(daemon.dataDir);
      expect(journal.length).toBeGreaterThan(1000);
      expect(journal.every((r, k) => r.seq === k + 1)).toBe(true);
      expect(journal.some((r) => r.type === 'MarketTick')).toBe(true);
      d.remove();
      d = undefined;
    }
  }, 90_000);

  it('refuses a bad setting with a message naming the variable, what was received and what is allowed', async () => {
    d = await startDaemon({ PAPER_TRADING__SLIPPAGE_PERCENT: 'lots' });
    const { code } = await d.exited;
    expect(code).toBe(2);
    expect(d.output()).toMatch(/PAPER_TRADING__SLIPPAGE_PERCENT: received "lots"/);
  });
});
