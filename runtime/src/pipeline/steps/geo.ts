import type { GeoLocation, GeoLookup } from '../enrich/geo.ts';
import { truncateIp } from '../enrich/geo.ts';
import { OK, type PipelineEvent, type Step, type StepOutcome } from '../pipeline-event.ts';

/**
 * IP → country, region, city, latitude and longitude. Tenants that ask for it get the IP
 * truncated after the lookup, in the event itself (so the lake never holds the full IP).
 * A batch looks each distinct IP up once, and asks once per tenant: a visit's events
 * share their IP, and an await per event cost more than the lookups.
 */
export function createGeoStep(deps: { lookup: GeoLookup; truncates: (tenantId: string) => Promise<boolean> }): Step {
  return {
    name: 'geo',
    async run(events) {
      const places = new Map<string, Promise<GeoLocation | null>>();
      const truncating = new Map<string, Promise<boolean>>();
      for (const item of events) {
        const ip = ipOf(item);
        if (ip === undefined) continue;
        if (!places.has(ip)) places.set(ip, deps.lookup(ip));
        const tenant = item.event.tenant_id;
        if (!truncating.has(tenant)) truncating.set(tenant, deps.truncates(tenant));
      }
      // Together: a second failure must not go unhandled while the first is thrown.
      const [found, truncated] = await Promise.all([settle(places), settle(truncating)]);
      const outcomes: StepOutcome[] = [];
      for (const item of events) {
        outcomes.push(OK);
        const ip = ipOf(item);
        if (ip === undefined) continue;
        const place = found.get(ip);
        if (place) {
          if (place.country) item.derived.geo_country = place.country;
          if (place.region) item.derived.geo_region = place.region;
          if (place.city) item.derived.geo_city = place.city;
          if (place.latitude !== undefined) item.derived.geo_latitude = place.latitude;
          if (place.longitude !== undefined) item.derived.geo_longitude = place.longitude;
        }
        if (truncated.get(item.event.tenant_id)) (item.event.context as { ip: string }).ip = truncateIp(ip);
      }
      return outcomes;
    },
  };
}

function ipOf(item: PipelineEvent): string | undefined {
  const ip = (item.event.context as { ip?: unknown } | undefined)?.ip;
  return typeof ip === 'string' && ip !== '' ? ip : undefined;
}

async function settle<K, V>(pending: Map<K, Promise<V>>): Promise<Map<K, V>> {
  const values = await Promise.all(pending.values());
  return new Map([...pending.keys()].map((key, i) => [key, values[i] as V]));
}
