import type { EventMatch } from '../../../src/analytics/event-match.ts';
import { DERIVED_PROPERTIES, isDerivedProperty } from '../../../src/analytics/event-properties.ts';
import type { PropertyFilter } from '../../../src/analytics/property-filter.ts';
import type { CuratedEvent } from '../support/curated-events.ts';

/** Whether `e` is one of the events `match` describes. */
export function matchesEvent(e: CuratedEvent, match: EventMatch): boolean {
  const kind =
    match.event === '$any'
      ? true
      : match.event === '$pageview'
        ? e.type === 'page'
        : match.event === '$screen'
          ? e.type === 'screen'
          : e.type === 'track' && e.event === match.event;
  return kind && (match.filters ?? []).every((f) => matchesFilter(e, f));
}

function matchesFilter(e: CuratedEvent, filter: PropertyFilter): boolean {
  const value = propertyText(e, filter.property);
  switch (filter.operator) {
    case 'eq':
      return value !== null && value === filter.value;
    case 'neq':
      return value !== null && value !== filter.value;
    case 'contains':
      return value === null ? false : value.toLowerCase().includes(filter.value.toLowerCase());
    case 'regex':
      return value !== null && new RegExp(filter.value).test(value);
    case 'in':
      return value !== null && filter.value.includes(value);
    case 'not_in':
      return value !== null && !filter.value.includes(value);
    case 'is_set':
      return value !== null;
    case 'is_not_set':
      return value === null;
  }
}

/** A property as text, as the warehouses give it: strings as they are, other scalars as JSON. */
export function propertyText(e: CuratedEvent, name: string): string | null {
  const value = isDerivedProperty(name)
    ? (e as unknown as Record<string, unknown>)[DERIVED_PROPERTIES[name]]
    : (e.properties as Record<string, unknown>)[name];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
