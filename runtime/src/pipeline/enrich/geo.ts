import { isIP } from 'node:net';

export interface GeoLocation {
  country?: string;
  region?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
}

/** Looks an IP address up; null when the database does not know it. */
export type GeoLookup = (ip: string) => Promise<GeoLocation | null>;

/**
 * The IP with its host part zeroed (IPv4 /24, IPv6 /48), as analytics tools do when a
 * tenant asks for it: the city stays roughly right, the person is no longer addressable.
 */
export function truncateIp(ip: string): string {
  const version = isIP(ip);
  if (version === 4) return ip.split('.').slice(0, 3).concat('0').join('.');
  if (version === 6) {
    const [head = ''] = ip.split('::');
    const groups = ip.includes('::') ? head.split(':').filter(Boolean) : ip.split(':');
    return `${groups.slice(0, 3).join(':')}::`;
  }
  return ip;
}
