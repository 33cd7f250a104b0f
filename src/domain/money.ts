/**
 * Money is an integer count of micro-dollars (1 USD = 1,000,000): some vendor checks cost
 * fractions of a cent ($0.002 = 2,000). Floats never hold money; only reports convert to USD.
 */

export const MICROS_PER_USD = 1_000_000;

const USD_PATTERN = /^\s*\$?\s*(\d+)(?:\.(\d{0,6}))?\s*$/;

/** Parses "200", "200.00", "$0.002" exactly into micro-dollars. Throws on anything else. */
export function usdToMicros(usd: string | number): number {
  const text = typeof usd === 'number' ? usdNumberToText(usd) : usd;
  const match = USD_PATTERN.exec(text);
  if (!match) throw new RangeError(`not a dollar amount: "${text}" (expected e.g. 200.00)`);
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  const micros = whole * MICROS_PER_USD + fraction;
  if (!Number.isSafeInteger(micros)) throw new RangeError(`dollar amount too large: "${text}"`);
  return micros;
}

function usdNumberToText(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`not a dollar amount: ${usd}`);
  return usd.toFixed(6);
}

/** Micro-dollars to a USD number rounded to 6 decimals, for reports only. */
export function microsToUsd(micros: number): number {
  return Math.round(micros) / MICROS_PER_USD;
}

/** "$12.345678" style, trimmed to cents unless sub-cent digits matter. */
export function formatUsd(micros: number): string {
  const usd = micros / MICROS_PER_USD;
  const cents = Math.round(micros / 10_000) * 10_000 === micros;
  return `$${cents ? usd.toFixed(2) : usd.toFixed(6).replace(/0+$/, '')}`;
}
