import type { EventMatch } from '../../analytics/event-match.ts';
import { isDerivedProperty } from '../../analytics/event-properties.ts';
import { LivoraError } from '../../errors.ts';

/** What the schema cannot say about a step: its regular expressions compile, its `$` properties exist. */
export function checkMatch(match: EventMatch): void {
  for (const filter of match.filters ?? []) {
    checkProperty(filter.property);
    if (filter.operator === 'regex') {
      try {
        new RegExp(filter.value);
      } catch {
        throw new LivoraError('LIVORA_ANALYTICS_INVALID_QUERY', `not a regular expression: ${filter.value}`);
      }
    }
  }
}

/** A `$` property must be one the warehouse derives. */
export function checkProperty(name: string): void {
  if (name.startsWith('$') && !isDerivedProperty(name))
    throw new LivoraError('LIVORA_ANALYTICS_INVALID_QUERY', `unknown derived property ${name}`);
}
