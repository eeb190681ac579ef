/**
 * The MCP-Protocol-Version header, checked before the SDK sees the request: the SDK's own answer
 * to an unknown version lists only the 2025-era versions (its legacy transport's list), so a
 * client would never learn that 2026-07-28 is served too.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';

/** The stateless revision the SDK serves beside the 2025-era ones (its modern list is not exported). */
export const MODERN_PROTOCOL_VERSIONS = ['2026-07-28'] as const;
export const SERVED_PROTOCOL_VERSIONS: readonly string[] = [...MODERN_PROTOCOL_VERSIONS, ...SUPPORTED_PROTOCOL_VERSIONS];

/** The message for an unsupported header value, or undefined when the request may proceed. */
export function unsupportedVersion(header: string | undefined): string | undefined {
  if (header === undefined || SERVED_PROTOCOL_VERSIONS.includes(header)) return undefined;
  const shown = header.length > 40 ? `${header.slice(0, 40)}…` : header;
  return `Bad Request: Unsupported protocol version: ${JSON.stringify(shown)} (MCP-Protocol-Version header). Supported versions: ${SERVED_PROTOCOL_VERSIONS.join(', ')}. Send one of these, or upgrade the client.`;
}
