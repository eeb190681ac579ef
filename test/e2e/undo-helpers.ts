import { DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { createApiClient } from '../../src/api/client.js';
import { toCurrentRecord } from '../../src/domain/model.js';
import type { CallResult } from '../helpers/harness.js';

export const SECRET = 'undo-test-secret-0123456789';

/** A zone's records as values, TTLs and priorities (uuids left out), sorted: what undo must give back. */
export function zoneState(emu: Emulator, domain: string): string[] {
  const z = emu.store.findZone(domain);
  if (!z) return ['(no zone)'];
  return (emu.store.getZone(z.uuid)?.records ?? []).map((r) => toCurrentRecord(r, domain)).map((r) => `${r.name} ${r.record_type} ${r.value} ${r.ttl} ${r.priority ?? '-'}`).sort();
}

/** A call as a user runs it: when the gate asks for confirmation, confirm with its token. */
export async function confirmed(call: (name: string, args: Record<string, unknown>) => Promise<CallResult>, name: string, args: Record<string, unknown>): Promise<CallResult> {
  const first = await call(name, args);
  const token = first.structured?.['confirm_token'];
  if (first.isError || first.structured?.['confirmation'] !== 'required' || typeof token !== 'string') return first;
  return call(name, { ...args, confirm_token: token });
}

export const undoOf = (r: CallResult) => r.structured?.['undo'] as { change_id: string; receipt: string } | undefined;

/** Someone else: the provider's API used directly, not through this server. */
export const stranger = (emu: Emulator) => createApiClient({ baseUrl: emu.url, token: DEFAULT_TEST_TOKEN, timeoutMs: 2000 });

export const errorOf = (r: CallResult) => (r.raw as { _meta?: Record<string, { code?: string; details?: Record<string, unknown> }> })._meta?.['vpsorg-dns-mcp/error'];
