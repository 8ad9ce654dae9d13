/** Runs the broker contract against the Zerodha adapter, through a fake Kite server. */
import { brokerContract, type BrokerHarness } from './broker.case.js';
import { zerodhaRig } from '../helpers/zerodha-rig.js';

async function zerodhaHarness(): Promise<BrokerHarness> {
  const rig = await zerodhaRig();
  const since = async (run: () => Promise<unknown>) => {
    const from = rig.events.length;
    await run();
    await rig.settle();
    return rig.events.slice(from);
  };
  return {
    broker: 'zerodha',
    send: (command) => since(() => rig.broker.send(command)),
    tick: (tick) => since(() => rig.fake.tick(tick)),
    timer: (timer) => since(() => rig.fake.timer(timer)),
    close: () => rig.close(),
  };
}

brokerContract('ZerodhaBroker on a fake Kite server', zerodhaHarness);
