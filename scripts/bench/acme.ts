/**
 * DNS-01: seconds from `present` to every nameserver serving the value, against the sandbox's
 * nameservers with its 2 s publish delay on the second, beside the fixed sleep ACME DNS plugins
 * commonly use instead of asking the nameservers.
 */
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { cliContext } from '../../src/cli/context.js';
import { keyAuthDigest } from '../../src/domain/acme.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { runAcme } from '../../src/tools/kit/acme-core.js';
import type { Row } from './main.js';
import { median } from './stdio.js';

const PUBLISH_DELAY_MS = 2000;
/** certbot's DNS plugins default to 10-120 s (60 s for several), acme.sh sleeps 120 s without a DNS check. */
const FIXED_SLEEP_S = 60;

export async function benchAcme(results: Record<string, unknown>): Promise<Row[]> {
  const sb = await startSandbox({ publishDelayMs: [0, PUBLISH_DELAY_MS] });
  try {
    const config = loadConfig(sb.env);
    const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: config.timeoutMs });
    const ctx = cliContext(config, api, new AbortController().signal, { update: () => undefined, done: () => undefined });
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const value = keyAuthDigest(`bench-${i}-${Date.now()}`);
      const t0 = performance.now();
      const o = await runAcme(ctx, { action: 'present', domain: i % 2 ? '*.example.com' : 'example.com', value, waitSeconds: 30, pollIntervalMs: 500 });
      runs.push((performance.now() - t0) / 1000);
      if (!o.served) throw new Error('bench: the value was not served within 30 s');
      await runAcme(ctx, { action: 'cleanup', domain: 'example.com', value, waitSeconds: 0 });
    }
    const s = median(runs);
    const target = PUBLISH_DELAY_MS / 1000 + 1;
    results['acme_present'] = { runs_s: runs, median_s: s, publish_delay_ms: PUBLISH_DELAY_MS };
    return [{ what: `DNS-01 present -> served by every nameserver (ns2 publishes ${PUBLISH_DELAY_MS / 1000} s late, median of 5)`, value: `${s.toFixed(2)} s`, baseline: `${FIXED_SLEEP_S} s (a plugin's fixed sleep)`, ratio: `${(s / FIXED_SLEEP_S).toFixed(3)}x`, target: `<= ${target.toFixed(1)} s`, met: s <= target }];
  } finally {
    await sb.close();
  }
}
