/**
 * Issue 25.6 from a shell: `call plan_zone --sandbox ... --preview` prints the plan on stdout and
 * the dig line on stderr, then keeps serving the planned zone until Ctrl-C; the dig line as
 * printed gets the planned answer with AA.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

const run = promisify(execFile);

describe('call plan_zone --preview', () => {
  it('prints the dig line, answers it, and stops on Ctrl-C', async () => {
    const args = { records: [{ name: 'preview-cli', record_type: 'A', value: '192.0.2.61' }] };
    const child = spawn(process.execPath, [BIN, 'call', 'plan_zone', '--sandbox', '--zone', 'example.com', '--json', JSON.stringify(args), '--preview'], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /^\s+(dig @\S+ -p \d+ .+)$/m.exec(stderr);
        if (m) resolve(m[1] as string);
      });
      void exited.then(() => reject(new Error(`exited before printing the dig line:\n${stderr}`)));
    });
    try {
      expect(line).toMatch(/^dig @127\.0\.0\.1 -p \d+ preview-cli\.example\.com\. A \+norec$/);
      const [, ...digArgs] = line.split(' ');
      const { stdout: answer } = await run('dig', [...digArgs, '+tries=2', '+time=3']);
      expect(answer).toMatch(/;; flags: qr aa;/);
      expect(answer).toMatch(/^preview-cli\.example\.com\.\s+3600\s+IN\s+A\s+192\.0\.2\.61$/m);
      expect(stderr).toMatch(/serving the planned zone at 127\.0\.0\.1:\d+ until .+ \(Ctrl-C to stop\)/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    const result = JSON.parse(stdout) as { preview?: { id?: string; dig?: string } };
    expect(result.preview?.id).toMatch(/^pv_/);
    expect(result.preview?.dig).toBe(line);
  });
});
