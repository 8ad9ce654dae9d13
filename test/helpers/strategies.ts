/** Strategy configurations several tests share. */
import type { StrategyConfig } from '../../src/model/index.js';

/** An ema_cross on two instruments and a momentum on two others, both on the paper broker. */
export const EMA_AND_MOMENTUM: StrategyConfig[] = [
  {
    id: 'ema_a',
    type: 'ema_cross',
    params: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 },
    instruments: [738561, 2953217],
    brokers: ['paper'],
    enabled: true,
  },
  {
    id: 'mom_b',
    type: 'momentum',
    params: { lookback_periods: 20, threshold: 0.0005, position_size: 10, max_position: 30 },
    instruments: [1270529, 492033],
    brokers: ['paper'],
    enabled: true,
  },
];
