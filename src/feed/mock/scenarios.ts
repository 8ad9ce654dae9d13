/** Scenarios of the mock market (SPEC §2), named once for the feed and the settings. */
export const MOCK_SCENARIOS = [
  'normal',
  'trending_bull',
  'trending_bear',
  'ranging',
  'high_volatility',
  'low_volatility',
  'market_open',
  'market_close',
  'breakout',
  'reversal',
] as const;
export type MockScenario = (typeof MOCK_SCENARIOS)[number];
