/** Inputs longer than this are parsed every time: a few of them would hold more memory than all the rest. */
const LONGEST_REMEMBERED = 2048;

/**
 * `parse` remembered by its input, for enrichment whose inputs repeat (user agents, page
 * and referrer URLs: a site has few of them next to its events). Bounded: past `limit`
 * inputs it forgets them all and starts again, which a long tail of one-off inputs makes
 * cheaper than an LRU's bookkeeping on every hit.
 */
export function memo<T>(parse: (input: string) => T, limit = 10_000): (input: string) => T {
  const known = new Map<string, T>();
  return (input) => {
    if (input.length > LONGEST_REMEMBERED) return parse(input);
    let value = known.get(input);
    if (value === undefined && !known.has(input)) {
      value = parse(input);
      if (known.size >= limit) known.clear();
      known.set(input, value);
    }
    return value as T;
  };
}
