/**
 * Where this server is reached from outside (issue 21.11, issue 23): the approval pages' address,
 * the token audience and the protected resource's identifier come from one operator setting,
 * VPSORG_PUBLIC_URL, never from request headers. A client (or a model steering one) can send any
 * X-Forwarded-* it likes; only when the operator says a proxy sets them (VPSORG_TRUST_FORWARDED)
 * is X-Forwarded-Proto read, and the host is always the Host header the transport already checked.
 */
import type { Config } from '../config.js';

export type PublicAddress = Pick<Config, 'publicUrl' | 'trustForwarded'>;

const first = (v: string | null | undefined) => v?.split(',')[0]?.trim().toLowerCase();

/** The origin approval pages are offered under, for a request that came in on `host`. */
export function pageOrigin(a: PublicAddress, host: string | null | undefined, forwardedProto: string | null | undefined): string | undefined {
  if (a.publicUrl) return a.publicUrl.origin;
  if (!host) return undefined;
  return `${a.trustForwarded && first(forwardedProto) === 'https' ? 'https' : 'http'}://${host}`;
}

/** The origins a decision may be posted from: the page's own, as pageOrigin can have offered it, and the direct one. */
export function pageOrigins(a: PublicAddress, host: string): string[] {
  return [`http://${host}`, ...(a.trustForwarded ? [`https://${host}`] : []), ...(a.publicUrl ? [a.publicUrl.origin] : [])];
}

/** The Host names the public URL adds to the transport's allowed names. */
export function publicHostnames(a: PublicAddress): string[] {
  return a.publicUrl ? [a.publicUrl.hostname.toLowerCase()] : [];
}
