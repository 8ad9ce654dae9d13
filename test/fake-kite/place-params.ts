/**
 * The checks Kite makes before it takes an order request (a failed one is a 400 InputException
 * and creates nothing), and the conversion of its form fields (rupees) to paise.
 */
import type { KiteInstrument } from '../../src/brokers/index.js';
import type { OrderType, Product, Side, Validity } from '../../src/model/index.js';
import { inputError } from './kite-error.js';

/** A validated place-order request; prices in paise (0: none), market protection in percent. */
export interface PlaceRequest {
  readonly variety: string;
  readonly instrument: KiteInstrument;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly validity: Validity;
  readonly quantity: number;
  readonly price: number;
  readonly triggerPrice: number;
  readonly marketProtection: number;
  readonly tag: string | null;
}

/** A validated modify request: only the fields it changes. */
export interface ModifyRequest {
  readonly quantity?: number;
  readonly price?: number;
  readonly triggerPrice?: number;
}

type Form = Readonly<Record<string, string>>;

function oneOf<T extends string>(form: Form, name: string, allowed: readonly T[], dflt?: T): T {
  const v = form[name] ?? dflt;
  if (v === undefined || v === '') throw inputError(`Missing \`${name}\`.`);
  if (!(allowed as readonly string[]).includes(v))
    throw inputError(`Invalid \`${name}\` "${v}": must be one of ${allowed.join(', ')}.`);
  return v as T;
}

/** A quantity field: a positive integer. */
function quantityOf(form: Form): number {
  const raw = form['quantity'];
  const q = Number(raw);
  if (raw === undefined || raw === '' || !Number.isSafeInteger(q) || q <= 0)
    throw inputError(`Invalid \`quantity\` "${raw ?? ''}": it must be a whole number above 0.`);
  return q;
}

/** A price field in rupees as paise; 0 when absent or 0. Checks the tick (`tickPaise`). */
export function pricePaise(form: Form, name: string, tickPaise: number): number {
  const raw = form[name];
  if (raw === undefined || raw === '') return 0;
  const rupees = Number(raw);
  if (!Number.isFinite(rupees) || rupees < 0)
    throw inputError(`Invalid \`${name}\` "${raw}": it must be a price in rupees.`);
  const paise = Math.round(rupees * 100);
  if (Math.abs(rupees * 100 - paise) > 1e-6 || paise % tickPaise !== 0)
    throw inputError(
      `Tick size for this script is ${(tickPaise / 100).toFixed(2)}. Kindly enter \`${name}\` in the multiple of tick size for this script (received ${raw}).`,
    );
  return paise;
}

/** Checks a POST /orders/:variety form; throws InputException naming what is wrong. */
export function parsePlace(
  variety: string,
  form: Form,
  instruments: ReadonlyMap<string, KiteInstrument>,
  tickPaise: number,
): PlaceRequest {
  if (variety !== 'regular')
    throw inputError(`Invalid \`variety\` "${variety}": the fake takes regular orders only.`);
  const exchange = form['exchange'] ?? '';
  const symbol = form['tradingsymbol'] ?? '';
  const instrument = instruments.get(`${exchange}:${symbol}`);
  if (instrument === undefined)
    throw inputError(
      `Invalid \`tradingsymbol\`: no instrument "${symbol}" on exchange "${exchange}".`,
    );
  const side = oneOf<Side>(form, 'transaction_type', ['BUY', 'SELL']);
  const orderType = oneOf<OrderType>(form, 'order_type', ['MARKET', 'LIMIT', 'SL', 'SL-M']);
  const product = oneOf<Product>(form, 'product', ['CNC', 'MIS']);
  const validity = oneOf<Validity>(form, 'validity', ['DAY', 'IOC'], 'DAY');
  const quantity = quantityOf(form);
  const price = pricePaise(form, 'price', tickPaise);
  const triggerPrice = pricePaise(form, 'trigger_price', tickPaise);
  if ((orderType === 'LIMIT' || orderType === 'SL') && price === 0)
    throw inputError(`A ${orderType} order needs a \`price\` above 0.`);
  if ((orderType === 'SL' || orderType === 'SL-M') && triggerPrice === 0)
    throw inputError(`An ${orderType} order needs a \`trigger_price\` above 0.`);
  const mp = Number(form['market_protection'] ?? '0');
  const needsProtection = orderType === 'MARKET' || orderType === 'SL-M';
  if (needsProtection && (!Number.isFinite(mp) || mp <= 0 || mp > 100))
    throw inputError(
      `A ${orderType} order needs \`market_protection\`, a percentage above 0 and at most 100 (received "${form['market_protection'] ?? ''}").`,
    );
  const tag = form['tag'] === undefined || form['tag'] === '' ? null : form['tag'];
  if (tag !== null && tag.length > 20)
    throw inputError(`Invalid \`tag\` "${tag}": at most 20 characters.`);
  return {
    variety,
    instrument,
    side,
    orderType,
    product,
    validity,
    quantity,
    price: orderType === 'LIMIT' || orderType === 'SL' ? price : 0,
    triggerPrice: orderType === 'SL' || orderType === 'SL-M' ? triggerPrice : 0,
    marketProtection: needsProtection ? mp : 0,
    tag,
  };
}

/** Checks a PUT /orders/:variety/:order_id form against the order's type. */
export function parseModify(form: Form, orderType: OrderType, tickPaise: number): ModifyRequest {
  const type = form['order_type'];
  if (type !== undefined && type !== '' && type !== orderType)
    throw inputError(`The fake cannot change \`order_type\` (${orderType} to ${type}).`);
  const out: { quantity?: number; price?: number; triggerPrice?: number } = {};
  if (form['quantity'] !== undefined && form['quantity'] !== '') out.quantity = quantityOf(form);
  const price = pricePaise(form, 'price', tickPaise);
  if (price > 0 && (orderType === 'LIMIT' || orderType === 'SL')) out.price = price;
  const trigger = pricePaise(form, 'trigger_price', tickPaise);
  if (trigger > 0 && (orderType === 'SL' || orderType === 'SL-M')) out.triggerPrice = trigger;
  return out;
}
