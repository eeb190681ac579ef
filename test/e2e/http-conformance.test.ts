/**
 * The official MCP conformance suite against the built server over Streamable HTTP
 * (scripts/conformance.sh: one scenario at a time on Node 22, any failure fails this test).
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('@modelcontextprotocol/conformance (server mode)', () => {
  it('passes server-initialize, ping, tools-list, dns-rebinding-protection and logging-set-level', async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile('bash', ['scripts/conformance.sh'], { timeout: 90_000, env: { PATH: process.env['PATH'] ?? '' } }, (err, _stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr });
      });
    });
    expect(result.stderr).toContain('all 5 scenarios passed');
    expect(result.code, result.stderr).toBe(0);
    for (const s of ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection', 'logging-set-level']) expect(result.stderr).toContain(`${s} passed`);
  }, 120_000);
});
