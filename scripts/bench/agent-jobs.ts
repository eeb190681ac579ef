/**
 * Issue 22's nine everyday jobs, as the e2e test runs them (the MCP Inspector CLI against one HTTP
 * sandbox): how many tool calls each job takes and how many bytes of text the agent reads back.
 * Both are what a model pays for a job; the wall time is mostly one Inspector process per call.
 */
import { JOBS } from '../../test/e2e/agent-jobs.js';
import { startHttpSandbox } from '../../test/e2e/agent-inspector.js';
import type { Row } from './main.js';

export async function benchAgentJobs(results: Record<string, unknown>): Promise<Row[]> {
  const sb = await startHttpSandbox({ VPSORG_CONFIRM_MODE: 'token', VPSORG_MAX_INLINE_WAIT_S: '1' });
  const rows: Row[] = [];
  const perJob: Array<{ job: string; calls: number; text_bytes: number; ms: number }> = [];
  try {
    for (const job of JOBS) {
      const from = sb.log.length;
      const t0 = performance.now();
      await job.run(sb.call);
      const ms = performance.now() - t0;
      const calls = sb.log.slice(from);
      const bytes = calls.reduce((a, c) => a + c.bytes, 0);
      perJob.push({ job: job.name, calls: calls.length, text_bytes: bytes, ms });
      rows.push({ what: `agent job: ${job.name}`, value: `${calls.length} calls, ${(bytes / 1024).toFixed(1)} KB text`, baseline: '-', ratio: '-', target: 'report', met: null });
    }
  } finally {
    await sb.close();
  }
  results['agent_jobs'] = perJob;
  return rows;
}
