/**
 * What a `call` prints and the exit code it ends with: the result on stdout, diagnostics on
 * stderr, and a code a script can branch on without reading either.
 */
import type { RunResult } from '../tools/kit/run.js';
import { writeDiagnostic, writeResult } from './output.js';

/**
 * The exit codes, documented in HELP and docs/cli.md. `drift` (plan --expect-no-changes found
 * changes) and `planChanged` (apply --checksum no longer matches) are outcomes, not failures: a CI
 * job tells them apart from errors (docs/dns-as-code.md).
 */
export const EXIT = { ok: 0, toolError: 1, usage: 2, notPropagated: 3, couldNotCheck: 4, needsConfirmation: 5, notPermitted: 6, notApproved: 7, drift: 8, planChanged: 9 } as const;

/** Settings errors found at the first API call: configuration, not a tool failure. */
const CONFIG_CODES = new Set(['no_token', 'bad_token']);

interface ServerState {
  status?: string;
}

/** propagated: false because some server serves something else (3), or because none could be asked (4). */
function notPropagatedCode(s: Record<string, unknown>): number {
  const sets = [s['result'], ...((s['sets'] as unknown[] | undefined) ?? [])] as Array<{ servers?: ServerState[] } | undefined>;
  const servers = sets.flatMap((set) => set?.servers ?? []);
  if (servers.some((x) => x.status === 'pending')) return EXIT.notPropagated;
  const unresolved = (s['unresolved'] as unknown[] | undefined) ?? [];
  return servers.some((x) => x.status === 'error') || unresolved.length > 0 ? EXIT.couldNotCheck : EXIT.notPropagated;
}

export async function report(r: RunResult, text: boolean): Promise<number> {
  if ('inputRequired' in r) {
    writeDiagnostic(`This call needs a person to confirm through an MCP client (${r.inputRequired.message}). From the shell, add --approve-in-browser, or use the tool's confirm_token flow (VPSORG_CONFIRM_MODE=auto or token).`);
    return EXIT.needsConfirmation;
  }
  if (r.isError) {
    writeDiagnostic(r.text);
    return CONFIG_CODES.has(r.error.code) ? EXIT.usage : EXIT.toolError;
  }
  await writeResult(text ? r.text : JSON.stringify(r.structured, null, 2));
  if (r.structured['confirmation'] === 'required') {
    writeDiagnostic(`Nothing was changed: this needs confirmation (exit code ${EXIT.needsConfirmation}). Show the preview to whoever decides; to go ahead, run the same command again with --confirm-token TOKEN.`);
    return EXIT.needsConfirmation;
  }
  if (r.structured['confirmation'] === 'not_permitted') {
    const missing = (r.structured['missing_permissions'] as string[] | undefined) ?? [];
    writeDiagnostic(`Nothing was changed: the API token lacks ${missing.join(', ') || 'a permission'} for this change (exit code ${EXIT.notPermitted}). Use a token that has it.`);
    return EXIT.notPermitted;
  }
  const how = r.structured['confirmation'];
  if (how === 'declined' || how === 'cancelled' || how === 'expired') {
    writeDiagnostic(`Nothing was changed: the change was ${how === 'expired' ? 'not approved in time (the approval expired)' : 'declined'} (exit code ${EXIT.notApproved}).`);
    return EXIT.notApproved;
  }
  if (r.structured['propagated'] === false) {
    const code = notPropagatedCode(r.structured);
    writeDiagnostic(
      code === EXIT.notPropagated
        ? `Not propagated: at least one nameserver does not serve the expected data yet (exit code ${code}).`
        : `Could not check: no nameserver that was asked gave a usable answer (exit code ${code}); see each server's detail.`,
    );
    return code;
  }
  return EXIT.ok;
}

