/** An ISO 8601 time with its offset, as the API stores them, that is a real date (not 2026-02-30). */
export function isIsoTimestamp(value: unknown): boolean {
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) return false;
  // Read digit by digit: a match's substrings, for every event, were a twentieth of what the pipeline allocated.
  const digits = (from: number, count: number) => {
    let n = 0;
    for (let i = from; i < from + count; i++) n = n * 10 + value.charCodeAt(i) - 48;
    return n;
  };
  const year = digits(0, 4);
  const month = digits(5, 2);
  const day = digits(8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days && !Number.isNaN(Date.parse(value));
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
