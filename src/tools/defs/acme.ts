import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import { runAcme, laggingText, type AcmeOutcome } from '../kit/acme-core.js';
import { dataBlock } from '../kit/format.js';
import { zoneOut } from '../kit/schemas.js';

/** The longest a call waits inline: clients give up on a silent call after about a minute. */
export const ACME_MAX_WAIT_SECONDS = 45;

function text(o: AcmeOutcome): string {
  const notes = o.notes.map((n) => `Note: ${n}`);
  if (o.action === 'cleanup') return [o.changed ? `Removed the value from ${o.name} TXT in ${o.zone.domain}; other values there are untouched.` : `Nothing removed from ${o.name}.`, ...notes].join('\n');
  const lines = o.servers.map((s) => `${s.host} ${s.address}:${s.port} ${s.status}: ${s.detail}`);
  const head = o.served
    ? `${o.name} TXT is served by every authoritative nameserver address (${o.servers.length}) after ${(o.elapsed_ms / 1000).toFixed(1)} s: the CA can validate now.`
    : `Not yet: ${laggingText(o)}. The value is in place; call present again with the same arguments to keep waiting (it adds nothing twice).`;
  return [head, dataBlock(lines), ...notes].join('\n');
}

export const acmeChallenge = defineTool({
  name: 'acme_challenge',
  title: 'ACME DNS-01 challenge',
  description:
    'ACME DNS-01 (Let\'s Encrypt...). present: adds `value` to the TXT at _acme-challenge.<domain> (other values stay) and waits until every authoritative nameserver serves it; answer the CA only once served: true. cleanup: removes exactly that value.',
  toolset: 'acme',
  permission: 'dns:create',
  input: z.strictObject({
    action: z.enum(['present', 'cleanup']).describe('present before the CA checks; cleanup after.'),
    domain: z.string().min(1).max(253).describe('The name on the certificate (example.com, *.example.com), not the _acme-challenge name.'),
    value: z.string().min(1).max(256).describe('The validation string the ACME client gives.'),
    wait_seconds: z.number().int().min(0).max(ACME_MAX_WAIT_SECONDS).optional().describe('present: wait at most this long (default 30); if not served yet, call present again.'),
  }),
  output: z.object({
    action: z.enum(['present', 'cleanup']),
    zone: zoneOut.pick({ uuid: true, domain: true }),
    name: z.string().describe('The TXT owner name.'),
    value: z.string(),
    changed: z.boolean().describe('Whether this call added or removed the value (false: it was already there / already gone).'),
    served: z.boolean().nullable().describe('present: true once every authoritative nameserver address serves the value. cleanup: null.'),
    servers: z.array(z.object({ host: z.string(), address: z.string(), port: z.number(), status: z.enum(['in_sync', 'pending', 'error']), detail: z.string() })),
    unresolved: z.array(z.object({ host: z.string(), error: z.string() })),
    elapsed_ms: z.number(),
    notes: z.array(z.string()),
  }),
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const outcome = await runAcme(ctx, { action: args.action, domain: args.domain, value: args.value, waitSeconds: args.wait_seconds ?? 30, pollIntervalMs: 500 });
    return { structured: outcome, text: text(outcome) };
  },
});
