/**
 * `call plan_zone ... --preview` (issue 25.6): the preview nameserver lives in this process, so
 * after printing the result the call keeps serving the planned zone until the preview expires or
 * Ctrl-C, and says how to dig it. From `--server`, the server's own process serves it.
 */
import type { RunResult } from '../tools/kit/run.js';
import { writeDiagnostic } from './output.js';

interface PreviewFields {
  id: string;
  server: string;
  dig: string;
  expires_at: string;
}

/** The preview a result carries, if any. */
export function previewIn(r: RunResult): PreviewFields | undefined {
  if ('inputRequired' in r || r.isError) return undefined;
  const p = r.structured['preview'] as PreviewFields | undefined;
  return p && typeof p.dig === 'string' ? p : undefined;
}

/** Prints the dig line; with `local`, serves until the preview expires or SIGINT/SIGTERM. */
export async function servePreview(p: PreviewFields, local: boolean, now = Date.now): Promise<void> {
  if (!local) {
    writeDiagnostic(`Preview ${p.id} is served by that server on its own loopback (${p.server}) until ${p.expires_at}:\n  ${p.dig}`);
    return;
  }
  writeDiagnostic(`Preview ${p.id}: serving the planned zone at ${p.server} until ${p.expires_at} (Ctrl-C to stop). Try:\n  ${p.dig}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    const timer = setTimeout(stop, Math.max(0, Date.parse(p.expires_at) - now()));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
