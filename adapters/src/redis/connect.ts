import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection. With `ca` (PEM), TLS trusts that authority and checks the chain
 * but not the host name: a managed Redis reached by private IP (Memorystore) signs with
 * a CA of its own, for an instance name rather than the address.
 */
export function connectRedis(url: string, options: RedisOptions & { ca?: string }): Redis {
  const { ca, ...rest } = options;
  return new Redis(url, { ...rest, ...(ca ? { tls: { ca, checkServerIdentity: () => undefined } } : {}) });
}
