/** Money is exact: amounts travel as decimal text and are summed as integers of 1/10,000. */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/** A decimal text (`12`, `-3.5`, `0.12345` is refused: more than 4 places) as 1/10,000ths. */
export function parseMoney(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,4})0*)?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal amount with at most ${SCALE} places: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(whole as string) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return sign === '-' ? -units : units;
}

/** 1/10,000ths as decimal text with 4 places (`12.5000`). */
export function formatMoney(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const text = `${abs / FACTOR}.${(abs % FACTOR).toString().padStart(SCALE, '0')}`;
  return negative ? `-${text}` : text;
}

/** `units` shared out over `count`, rounded half away from zero to 1/10,000. */
export function shareOf(units: bigint, count: number): bigint {
  if (count <= 0) return 0n;
  const n = BigInt(count);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const rounded = (abs * 2n + n) / (2n * n);
  return negative ? -rounded : rounded;
}
