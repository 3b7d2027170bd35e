import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AnalyticsService } from '../../analytics/analytics-service.ts';
import type { LiveFeed } from '../../analytics/live-feed.ts';
import { decodeCursor } from '../../analytics/products/product-result.ts';
import type { Principal } from '../../auth/roles.ts';
import { LivoraError } from '../../errors.ts';
import { toCsv } from '../../shared/csv.ts';
import { toSnakeCase } from '../../shared/snake-case.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { checkMatch, checkProperty } from './analytics-checks.ts';
import {
  CohortsReply,
  CohortsRequest,
  FunnelReply,
  FunnelRequest,
  KpisQuery,
  KpisReply,
  LtvQuery,
  LtvReply,
  ProductsQuery,
  ProductsReply,
} from './analytics-schemas.ts';

const MAX_RANGE_DAYS = 400;
const CSV = 'text/csv';

/**
 * /v1/analytics: funnels, retention cohorts, LTV, the product table and KPIs from the
 * warehouse (cached), and a live feed of accepted events. Analysts and above. Every table
 * answers as CSV too (`Accept: text/csv`).
 */
export function analyticsRoutes(deps: {
  authenticate: Authenticator;
  analytics: AnalyticsService;
  live: LiveFeed;
  /** The people of a CRM static segment (a funnel's segment filter). */
  segmentPersons: (principal: Principal, segmentId: string) => Promise<string[]>;
}): FastifyPluginAsyncTypebox {
  const read = deps.authenticate({ permission: 'analytics:read' });
  const common = { tags: ['analytics'], security: [{ bearer: [] }] };
  return async (app) => {
    app.post(
      '/analytics/funnel',
      {
        schema: {
          ...common,
          summary: 'A conversion funnel',
          description:
            'People who did step 1 in the range and how far they got within the window: counts, conversion, drop-off and ' +
            'the median time between steps, optionally broken down by a property of the entry event. Each person counts ' +
            'once, with their best attempt (most steps, then the earliest start). A cohort keeps the people first seen in ' +
            'its range; a segment (a CRM static segment, `segment_id`) the people of its contacts.',
          body: FunnelRequest,
          response: { 200: FunnelReply },
        },
        preHandler: read,
      },
      async (request, reply) => {
        const body = request.body;
        for (const step of body.steps) checkMatch(step);
        if (body.breakdown?.of === 'person' && body.breakdown.property.startsWith('$'))
          throw new LivoraError(
            'LIVORA_ANALYTICS_INVALID_QUERY',
            'a person breakdown names a trait, not a derived property',
          );
        if (body.breakdown) checkProperty(body.breakdown.property);
        const cohort = body.cohort ? range(body.cohort.first_seen_from, body.cohort.first_seen_to) : null;
        const persons = body.segment_id ? await deps.segmentPersons(principalOf(request), body.segment_id) : null;
        const result = await deps.analytics.funnel({
          tenantId: principalOf(request).tenantId,
          steps: body.steps,
          ...range(body.from, body.to),
          windowSeconds: body.window_seconds ?? 7 * 86_400,
          order: body.order ?? 'ordered',
          ...(body.breakdown
            ? { breakdown: { property: body.breakdown.property, of: body.breakdown.of ?? 'event' } }
            : {}),
          ...(cohort ? { cohort: { firstSeenFrom: cohort.from, firstSeenTo: cohort.to } } : {}),
          ...(persons ? { persons } : {}),
        });
        return answer(request, reply, result.body, () =>
          toCsv(
            ['breakdown', 'step', 'event', 'persons', 'conversion', 'drop_off', 'median_seconds_from_previous'],
            result.value.series.flatMap((s) =>
              s.steps.map((t) => [
                s.breakdown,
                t.step,
                t.event,
                t.persons,
                t.conversion,
                t.dropOff,
                t.medianSecondsFromPrevious,
              ]),
            ),
          ),
        );
      },
    );

    app.post(
      '/analytics/cohorts',
      {
        schema: {
          ...common,
          summary: 'A retention matrix',
          description:
            'People grouped by the UTC day, Monday week or month of their first `start` event; period k counts those who ' +
            'did `return` k periods later (period 0 is the cohort).',
          body: CohortsRequest,
          response: { 200: CohortsReply },
        },
        preHandler: read,
      },
      async (request, reply) => {
        const body = request.body;
        checkMatch(body.start);
        checkMatch(body.return);
        const result = await deps.analytics.retention({
          tenantId: principalOf(request).tenantId,
          start: body.start,
          return: body.return,
          unit: body.unit ?? 'week',
          ...range(body.from, body.to),
          periods: body.periods ?? 12,
        });
        return answer(request, reply, result.body, () =>
          toCsv(
            ['start', 'persons', ...Array.from({ length: body.periods ?? 12 }, (_, k) => `period_${k}`)],
            result.value.cohorts.map((c) => [c.start, c.persons, ...c.retained]),
          ),
        );
      },
    );

    app.get(
      '/analytics/ltv',
      {
        schema: {
          ...common,
          summary: 'Realised lifetime value',
          description:
            'People first seen in the range, by cohort (period of their first event) or acquisition channel (the channel ' +
            'of that event’s session), with every order they placed since: revenue per currency and per person.',
          querystring: LtvQuery,
          response: { 200: LtvReply },
        },
        preHandler: read,
      },
      async (request, reply) => {
        const q = request.query;
        const result = await deps.analytics.ltv({
          tenantId: principalOf(request).tenantId,
          by: q.by ?? 'cohort',
          unit: q.unit ?? 'month',
          ...range(q.from, q.to),
        });
        return answer(request, reply, result.body, () =>
          toCsv(
            ['group', 'persons', 'currency', 'paying_persons', 'orders', 'revenue', 'ltv'],
            result.value.groups.flatMap((g) =>
              g.revenue.length === 0
                ? [[g.group, g.persons, null, 0, 0, null, null]]
                : g.revenue.map((r) => [g.group, g.persons, r.currency, r.payingPersons, r.orders, r.revenue, r.ltv]),
            ),
          ),
        );
      },
    );

    app.get(
      '/analytics/product-performance',
      {
        schema: {
          ...common,
          summary: 'The product table',
          description:
            'Per product over whole UTC days: views, adds to cart, purchases, units, revenue in one currency and ' +
            'conversion (purchases per view), with a per-day series for sparklines. Sorted, searchable, a page at a time.',
          querystring: ProductsQuery,
          response: { 200: ProductsReply },
        },
        preHandler: read,
      },
      async (request, reply) => {
        const q = request.query;
        range(`${q.from}T00:00:00Z`, `${q.to}T00:00:00Z`);
        const { value: page, body } = await deps.analytics.products({
          tenantId: principalOf(request).tenantId,
          from: q.from,
          to: q.to,
          sort: q.sort ?? 'revenue',
          direction: q.direction ?? 'desc',
          limit: q.limit ?? 50,
          ...(q.search ? { search: q.search } : {}),
          ...(q.currency ? { currency: q.currency } : {}),
          ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
        });
        return answer(request, reply, body, () =>
          toCsv(
            ['product_id', 'views', 'adds', 'purchases', 'units', 'revenue', 'currency', 'conversion'],
            page.rows.map((r) => [
              r.productId,
              r.views,
              r.adds,
              r.purchases,
              r.units,
              r.revenue,
              page.currency,
              r.conversion,
            ]),
          ),
        );
      },
    );

    app.get(
      '/analytics/kpis',
      {
        schema: {
          ...common,
          summary: 'Key figures, against the period before',
          description:
            'Active people, DAU (mean of daily actives), WAU and MAU (actives in the 7 and 30 days before the end), orders, ' +
            'conversion (buyers per active person) and revenue per currency, for the period and the one of the same ' +
            'length just before.',
          querystring: KpisQuery,
          response: { 200: KpisReply },
        },
        preHandler: read,
      },
      async (request, reply) => {
        const { value: kpis, body } = await deps.analytics.kpis({
          tenantId: principalOf(request).tenantId,
          ...range(request.query.from, request.query.to),
        });
        const figures = ['activePersons', 'dau', 'wau', 'mau', 'orders', 'conversionRate'] as const;
        return answer(request, reply, body, () =>
          toCsv(
            ['metric', 'current', 'previous', 'change'],
            [
              ...figures.map((f) => [toSnakeCase(f), kpis.current[f], kpis.previous[f], kpis.change[f]]),
              ...Object.keys({ ...kpis.current.revenue, ...kpis.previous.revenue }).map((currency) => [
                `revenue_${currency}`,
                kpis.current.revenue[currency] ?? '0.0000',
                kpis.previous.revenue[currency] ?? '0.0000',
                null,
              ]),
            ],
          ),
        );
      },
    );

    app.get(
      '/analytics/live',
      {
        schema: {
          ...common,
          summary: 'Live events (server-sent events)',
          description:
            'A `text/event-stream` of the tenant’s events as this API process accepts them: one `events` message per ' +
            'accepted batch, and a comment every 15 s to keep the connection open.',
        },
        preHandler: read,
      },
      async (request, reply) => {
        const tenantId = principalOf(request).tenantId;
        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        out.write(': connected\n\n');
        const unsubscribe = deps.live.subscribe(tenantId, (events) => {
          // A client that does not read is not buffered for without end: it misses events instead.
          if (out.writableLength > 1_000_000) return;
          out.write(`event: events\ndata: ${JSON.stringify(events)}\n\n`);
        });
        const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), 15_000);
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    );
  };
}

/**
 * The answer's JSON body as made once by the service (snake_case keys, as the route's
 * response schema says), or CSV when the client asks for it.
 */
function answer<T>(request: FastifyRequest, reply: FastifyReply, body: string, csv: () => string): T {
  if ((request.headers.accept ?? '').includes(CSV)) return reply.type(`${CSV}; charset=utf-8`).send(csv()) as T;
  return reply.type('application/json; charset=utf-8').send(body) as T;
}

function range(from: string, to: string): { from: Date; to: Date } {
  const start = new Date(from);
  const end = new Date(to);
  if (!(start < end)) throw new LivoraError('LIVORA_ANALYTICS_INVALID_QUERY', '`from` must come before `to`');
  if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw new LivoraError('LIVORA_ANALYTICS_INVALID_QUERY', `a range spans at most ${MAX_RANGE_DAYS} days`);
  return { from: start, to: end };
}
