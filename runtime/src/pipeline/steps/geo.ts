import type { GeoLookup } from '../enrich/geo.ts';
import { truncateIp } from '../enrich/geo.ts';
import { OK, type Step, type StepOutcome } from '../pipeline-event.ts';

/**
 * IP → country, region, city, latitude and longitude. Tenants that ask for it get the IP
 * truncated after the lookup, in the event itself (so the lake never holds the full IP).
 */
export function createGeoStep(deps: { lookup: GeoLookup; truncates: (tenantId: string) => Promise<boolean> }): Step {
  return {
    name: 'geo',
    async run(events) {
      const outcomes: StepOutcome[] = [];
      for (const item of events) {
        const context = item.event.context as { ip?: unknown } | undefined;
        const ip = typeof context?.ip === 'string' ? context.ip : undefined;
        if (ip) {
          const place = await deps.lookup(ip);
          if (place) {
            if (place.country) item.derived.geo_country = place.country;
            if (place.region) item.derived.geo_region = place.region;
            if (place.city) item.derived.geo_city = place.city;
            if (place.latitude !== undefined) item.derived.geo_latitude = place.latitude;
            if (place.longitude !== undefined) item.derived.geo_longitude = place.longitude;
          }
          if (await deps.truncates(item.event.tenant_id)) (context as { ip: string }).ip = truncateIp(ip);
        }
        outcomes.push(OK);
      }
      return outcomes;
    },
  };
}
