import { isIP } from 'node:net';

/**
 * Which `X-Forwarded-*` entries Rally believes. Each proxy appends the address it saw to
 * `X-Forwarded-For`, so only the last entries, written by the proxies in front of Rally, are
 * anyone's word but the client's. Trusting every entry (`true`) let a client name its own address
 * and so choose its rate-limit bucket; it is refused.
 */
export type TrustProxy =
  | { kind: 'none' }
  /** This many proxies stand in front of Rally. Sound only if Rally cannot be reached around them. */
  | { kind: 'hops'; hops: number }
  /** The proxies' addresses or CIDR ranges (or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`). */
  | { kind: 'addresses'; addresses: string[] };

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses `TRUST_PROXY`; a string result is the reason it is refused. */
export function parseTrustProxy(value: string | undefined): TrustProxy | string {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false') return { kind: 'none' };
  if (['true', 'yes', 'on'].includes(text.toLowerCase())) {
    return 'true is refused: it believes any X-Forwarded-For, so a client picks its own address (and rate-limit bucket); set the number of proxies in front of Rally (e.g. 1) or their addresses (e.g. 10.0.0.5,127.0.0.1)';
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && Number.isSafeInteger(hops) ? { kind: 'hops', hops } : 'a hop count must be a whole number of at least 1 (leave it unset to trust no proxy)';
  }
  const addresses = text.split(',').map((entry) => entry.trim());
  const bad = addresses.filter((entry) => !isProxyAddress(entry));
  if (bad.length > 0) return `must be a hop count or a comma-separated list of proxy addresses or CIDR ranges; not an address: ${bad.map((b) => JSON.stringify(b)).join(', ')}`;
  return { kind: 'addresses', addresses };
}

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The setting as fastify's `trustProxy` option. A hop count is passed as a function, because
 * fastify (5.12.8 on) ignores a bare number rather than trust hops it cannot check; the function
 * trusts exactly the last `hops` entries, which is what the operator told us stands in front.
 */
export function fastifyTrustProxy(setting: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  switch (setting.kind) {
    case 'none':
      return false;
    case 'hops':
      return (_address, hop) => hop < setting.hops;
    case 'addresses':
      return setting.addresses;
  }
}
