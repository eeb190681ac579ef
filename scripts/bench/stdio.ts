import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface StartSample {
  /** spawn -> tools/list answered, ms */
  ms: number;
  /** RSS after tools/list, KiB */
  rssKiB: number;
  listBytes: number;
}

/** Spawns `node file`, does initialize -> tools/list over stdio, and measures. */
export function coldStart(file: string, env: Record<string, string>): Promise<StartSample> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [file], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let listed = false;
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no tools/list answer from ${file}`));
    }, 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n').slice(0, -1); // complete lines only
      if (!listed && lines.some((l) => l.includes('"id":1'))) {
        listed = true;
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      }
      const line = lines.find((l) => l.includes('"id":2'));
      if (line) {
        const ms = performance.now() - t0;
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        clearTimeout(timer);
        child.kill();
        resolve({ ms, rssKiB, listBytes: Buffer.byteLength(line) });
      }
    });
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
  });
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
