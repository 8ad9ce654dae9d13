/** `charges`: one fill's charges, component by component, as a run under these settings charges it. */
import { formatRupees, parseRupees, type Paise } from '../model/index.js';
import { ConfigError } from '../runtime/index.js';
import { quoteCharges, type ChargesQuote, type ChargesRequest } from '../system/index.js';
import { choiceOption, expectOnly, intOption, parseArgs, type ParsedArgs } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

const MAX_QTY = 1_000_000_000;
/** ₹1 crore per share, in paise: far above any NSE price, and keeps every charge a safe integer. */
const MAX_PRICE = 1_000_000_000;

export const charges: Command = {
  name: 'charges',
  summary: "prints one fill's charges (brokerage, STT, exchange, SEBI, stamp duty, GST, DP)",
  options: [
    { name: 'side', value: 'BUY|SELL', required: true, help: 'the side of the fill' },
    {
      name: 'product',
      value: 'CNC|MIS',
      required: true,
      help: 'CNC (delivery) or MIS (intraday)',
    },
    { name: 'qty', value: 'N', required: true, help: `shares, 1 to ${MAX_QTY}` },
    {
      name: 'price',
      value: 'RUPEES',
      required: true,
      help: 'price per share in rupees, at most 2 decimals (1000, 2450.50)',
    },
    {
      name: 'first-sell-today',
      value: 'true|false',
      default: 'true',
      help: "the day's first sell of the scrip from the demat, so it pays the DP charge (CNC SELL only)",
    },
  ],
  env: [
    ...LOGGING,
    'CONFIG_DIR',
    'PAPER_TRADING__CHARGES_MODEL',
    'PAPER_TRADING__COMMISSION_PERCENT',
  ],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const request = chargesRequest(args);
    process.stdout.write(chargesReport(request, quoteCharges(settings, request)));
    return 0;
  },
};

/** The fill the options describe; throws ConfigError naming a missing or bad option. */
export function chargesRequest(args: ParsedArgs): ChargesRequest {
  return {
    side: choiceOption(args, 'side', ['BUY', 'SELL'], undefined),
    product: choiceOption(args, 'product', ['CNC', 'MIS'], undefined),
    quantity: intOption(args, 'qty', undefined, 1, MAX_QTY),
    price: priceOption(args),
    firstSellToday: choiceOption(args, 'first-sell-today', ['true', 'false'], 'true') === 'true',
  };
}

function priceOption(args: ParsedArgs): Paise {
  const v = args.options.price?.at(-1);
  const valid = `rupees from 0.01 to ${formatRupees(MAX_PRICE)} with at most 2 decimals, e.g. 1000 or 2450.50`;
  if (v === undefined) throw new ConfigError(`--price is required (${valid})`);
  const p = parseRupees(v);
  if (!p.ok || p.value <= 0 || p.value > MAX_PRICE)
    throw new ConfigError(`--price: received ${JSON.stringify(v)}; expected ${valid}`);
  return p.value;
}

/** The report: what was quoted and under which rates, then each component in rupees and paise. */
export function chargesReport(request: ChargesRequest, quote: ChargesQuote): string {
  const { side, product, quantity, price } = request;
  const c = quote.charges;
  const spec = quote.spec;
  const turnover = quantity * price;
  const dpNote =
    side === 'SELL' && product === 'CNC'
      ? request.firstSellToday
        ? "; the scrip's first sell today (DP charged)"
        : "; not the scrip's first sell today (no DP)"
      : '';
  const rates =
    spec.kind === 'zerodha'
      ? [
          `rates: Zerodha's equity charges, ${spec.rates.source.page} (${spec.rates.source.section}), as of ${spec.rates.source.asOf}`,
          `note: ${spec.rates.source.note}`,
        ]
      : [`rates: flat, ${spec.percent}% of the turnover (PAPER_TRADING__CHARGES_MODEL=flat)`];
  const rows: [string, Paise][] = [
    ['brokerage', c.brokerage],
    ['STT', c.stt],
    ['exchange transaction', c.exchangeTurnover],
    ['SEBI', c.sebi],
    ['stamp duty', c.stampDuty],
    ['GST', c.gst],
    ['DP', c.dp],
    ['total', c.total],
  ];
  const cells = [
    ['component', 'rupees', 'paise'],
    ...rows.map(([name, p]) => [name, formatRupees(p), String(p)]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((r) => r[i]!.length)));
  const lines = cells.map(
    ([name, rupees, paise]) =>
      `${name!.padEnd(widths[0]!)}  ${rupees!.padStart(widths[1]!)}  ${paise!.padStart(widths[2]!)}`,
  );
  return [
    `${side} ${quantity} ${product} at ₹${formatRupees(price)}: turnover ₹${formatRupees(turnover)}${dpNote}`,
    ...rates,
    '',
    ...lines,
    '',
  ].join('\n');
}
