/** Runs the broker contract against the paper broker, on a clock that follows its inputs. */
import { zerodhaCharges } from '../helpers/charges.js';
import { describe, expect, it } from 'vitest';
import { PaperBroker } from '../../src/brokers/index.js';
import { SimulatedClock } from '../../src/runtime/index.js';
import { BROKER_CASES, brokerContract, type BrokerHarness } from './broker.case.js';

function paperHarness(): BrokerHarness {
  const clock = new SimulatedClock(0);
  const broker = new PaperBroker({ charges: zerodhaCharges() }, clock);
  let seq = 0;
  return {
    broker: 'paper',
    send: (command) => Promise.resolve([...broker.handle(command)]),
    tick(tick) {
      clock.set(tick.ts);
      seq += 1;
      return Promise.resolve([...broker.onTick(tick, seq)]);
    },
    timer(timer) {
      clock.set(timer.at);
      return Promise.resolve([...broker.onTimer(timer)]);
    },
  };
}

brokerContract('PaperBroker', () => Promise.resolve(paperHarness()));

describe('the broker contract itself', () => {
  it('numbers its cases BC-01, BC-02, ... without gaps', () => {
    expect(BROKER_CASES.map((c) => c.id)).toEqual(
      BROKER_CASES.map((_, i) => `BC-${String(i + 1).padStart(2, '0')}`),
    );
  });
});
