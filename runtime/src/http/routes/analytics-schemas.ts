import { Type } from 'typebox';
import { MAX_FUNNEL_STEPS, MIN_FUNNEL_STEPS } from '../../analytics/funnel/funnel-spec.ts';
import { PRODUCT_SORTS } from '../../analytics/products/product-spec.ts';
import { MAX_RETENTION_PERIODS } from '../../analytics/retention/retention-spec.ts';

const Property = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^\\$?[A-Za-z0-9_][A-Za-z0-9_.:-]*$',
  description:
    'A key of the event’s `properties`, or a derived property: `$channel`, `$utm_source`, `$geo_country`, `$browser`…',
});

export const PropertyFilter = Type.Union([
  Type.Object(
    {
      property: Property,
      operator: Type.Union([Type.Literal('eq'), Type.Literal('neq'), Type.Literal('contains'), Type.Literal('regex')]),
      value: Type.String({ maxLength: 500 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      property: Property,
      operator: Type.Union([Type.Literal('in'), Type.Literal('not_in')]),
      value: Type.Array(Type.String({ maxLength: 500 }), { minItems: 1, maxItems: 100 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { property: Property, operator: Type.Union([Type.Literal('is_set'), Type.Literal('is_not_set')]) },
    { additionalProperties: false },
  ),
]);

export const EventMatch = Type.Object(
  {
    event: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'A track event’s name; `$pageview`, `$screen`, or `$any` (every event).',
    }),
    filters: Type.Optional(Type.Array(PropertyFilter, { maxItems: 10 })),
  },
  { additionalProperties: false },
);

const Instant = (description: string) => Type.String({ format: 'date-time', description });
const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const FunnelRequest = Type.Object(
  {
    steps: Type.Array(EventMatch, { minItems: MIN_FUNNEL_STEPS, maxItems: MAX_FUNNEL_STEPS }),
    from: Instant('People enter the funnel (do step 1) from this time…'),
    to: Instant('…until this one (exclusive).'),
    window_seconds: Type.Optional(
      Type.Integer({
        minimum: 60,
        maximum: 90 * 86_400,
        default: 7 * 86_400,
        description: 'Time allowed from step 1 to the last step (inclusive).',
      }),
    ),
    order: Type.Optional(
      Type.Union([Type.Literal('ordered'), Type.Literal('strict'), Type.Literal('any')], {
        default: 'ordered',
        description: '`ordered`: steps in order; `strict`: each the very next event; `any`: any order.',
      }),
    ),
    breakdown: Type.Optional(
      Type.Object(
        {
          property: Property,
          of: Type.Optional(
            Type.Union([Type.Literal('event'), Type.Literal('person')], {
              default: 'event',
              description: '`event`: a property of the entry event; `person`: a trait of the person.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    segment_id: Type.Optional(
      Type.String({ format: 'uuid', description: 'Only the people of this CRM static segment’s contacts.' }),
    ),
    cohort: Type.Optional(
      Type.Object(
        {
          first_seen_from: Instant('Only people first seen from this time…'),
          first_seen_to: Instant('…until this one (exclusive).'),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        steps: [
          { event: 'Product Viewed' },
          { event: 'Product Added' },
          { event: 'Checkout Started' },
          { event: 'Order Completed', filters: [{ property: 'currency', operator: 'eq', value: 'EUR' }] },
        ],
        from: '2026-11-01T00:00:00Z',
        to: '2026-11-08T00:00:00Z',
        window_seconds: 604800,
        order: 'ordered',
        breakdown: { property: '$utm_source' },
      },
    ],
  },
);

export const FunnelReply = Type.Object(
  {
    source: Type.Union([Type.Literal('saved'), Type.Literal('events')], {
      description:
        '`saved`: read from the day rows the warehouse keeps for a saved funnel with these steps, window, order and ' +
        'entry-event breakdown (the range must be whole UTC days); `events`: computed from the events.',
    }),
    series: Type.Array(
      Type.Object({
        breakdown: Type.Union([Type.String(), Type.Null()]),
        steps: Type.Array(
          Type.Object({
            step: Type.Integer(),
            event: Type.String(),
            persons: Type.Integer(),
            conversion: Type.Number({ description: 'Share of the people who entered (0…1).' }),
            drop_off: Type.Number({ description: 'Share of the step before’s people who did not get here (0…1).' }),
            median_seconds_from_previous: Type.Union([Type.Number(), Type.Null()]),
          }),
        ),
      }),
    ),
  },
  {
    examples: [
      {
        source: 'events',
        series: [
          {
            breakdown: 'google',
            steps: [
              {
                step: 1,
                event: 'Product Viewed',
                persons: 1000,
                conversion: 1,
                drop_off: 0,
                median_seconds_from_previous: null,
              },
              {
                step: 2,
                event: 'Product Added',
                persons: 300,
                conversion: 0.3,
                drop_off: 0.7,
                median_seconds_from_previous: 95,
              },
            ],
          },
        ],
      },
    ],
  },
);

export const CohortsRequest = Type.Object(
  {
    start: EventMatch,
    return: EventMatch,
    unit: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { default: 'week' }),
    ),
    from: Instant('Cohorts of people whose first `start` falls from this time…'),
    to: Instant('…until this one (exclusive).'),
    periods: Type.Optional(Type.Integer({ minimum: 2, maximum: MAX_RETENTION_PERIODS, default: 12 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        start: { event: 'Signed Up' },
        return: { event: '$any' },
        unit: 'week',
        from: '2026-09-01T00:00:00Z',
        to: '2026-11-24T00:00:00Z',
        periods: 12,
      },
    ],
  },
);

export const CohortsReply = Type.Object(
  {
    cohorts: Type.Array(
      Type.Object({
        start: Type.String({ description: 'The cohort’s first day (UTC).' }),
        persons: Type.Integer(),
        retained: Type.Array(Type.Integer(), { description: 'People per period, period 0 (the cohort) first.' }),
        rates: Type.Array(Type.Number()),
      }),
    ),
  },
  {
    examples: [{ cohorts: [{ start: '2026-09-07', persons: 120, retained: [120, 54, 31], rates: [1, 0.45, 0.2583] }] }],
  },
);

export const LtvQuery = Type.Object(
  {
    from: Instant('People first seen from this time…'),
    to: Instant('…until this one (exclusive).'),
    by: Type.Optional(Type.Union([Type.Literal('cohort'), Type.Literal('channel')], { default: 'cohort' })),
    unit: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { default: 'month' }),
    ),
  },
  { additionalProperties: false },
);

export const LtvReply = Type.Object(
  {
    groups: Type.Array(
      Type.Object({
        group: Type.String({ description: 'The cohort’s first day, or the acquisition channel.' }),
        persons: Type.Integer(),
        revenue: Type.Array(
          Type.Object({
            currency: Type.String(),
            paying_persons: Type.Integer(),
            orders: Type.Integer(),
            revenue: Type.String({ description: 'Exact decimal.' }),
            ltv: Type.String({ description: 'Revenue per person of the group, 4 places.' }),
          }),
        ),
      }),
    ),
  },
  {
    examples: [
      {
        groups: [
          {
            group: '2026-10-01',
            persons: 400,
            revenue: [{ currency: 'EUR', paying_persons: 37, orders: 52, revenue: '3120.5000', ltv: '7.8013' }],
          },
        ],
      },
    ],
  },
);

export const ProductsQuery = Type.Object(
  {
    from: Day('First day (UTC), inclusive.'),
    to: Day('Last day (UTC), exclusive.'),
    sort: Type.Optional(
      Type.Union(
        PRODUCT_SORTS.map((s) => Type.Literal(s)),
        { default: 'revenue' },
      ),
    ),
    direction: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
    search: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Product ids holding this (any case).' }),
    ),
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', description: 'Defaults to the range’s main currency.' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500, description: 'From the previous page’s `next_cursor`.' })),
  },
  { additionalProperties: false },
);

export const ProductsReply = Type.Object(
  {
    currency: Type.String(),
    rows: Type.Array(
      Type.Object({
        product_id: Type.String(),
        views: Type.Integer(),
        adds: Type.Integer(),
        purchases: Type.Integer(),
        units: Type.Integer(),
        revenue: Type.String({ description: 'Exact decimal, in `currency`.' }),
        conversion: Type.Number({ description: 'Purchases per view.' }),
        series: Type.Array(
          Type.Object({ day: Type.String(), views: Type.Integer(), purchases: Type.Integer(), revenue: Type.String() }),
        ),
      }),
    ),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  },
  {
    examples: [
      {
        currency: 'EUR',
        rows: [
          {
            product_id: 'sku-1',
            views: 830,
            adds: 120,
            purchases: 41,
            units: 55,
            revenue: '1097.2500',
            conversion: 0.0494,
            series: [{ day: '2026-11-01', views: 120, purchases: 6, revenue: '159.6000' }],
          },
        ],
        next_cursor: null,
      },
    ],
  },
);

export const KpisQuery = Type.Object(
  { from: Instant('Period start…'), to: Instant('…and end (exclusive); compared to the period just before.') },
  { additionalProperties: false },
);

const KpiFigures = Type.Object({
  active_persons: Type.Integer(),
  dau: Type.Number(),
  wau: Type.Integer(),
  mau: Type.Integer(),
  orders: Type.Integer(),
  conversion_rate: Type.Number(),
  revenue: Type.Record(Type.String(), Type.String(), { description: 'Exact decimal per currency.' }),
});

export const KpisReply = Type.Object({
  current: KpiFigures,
  previous: KpiFigures,
  change: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
});
