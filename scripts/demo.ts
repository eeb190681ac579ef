// `npm run demo`: the whole job on this machine, no account. Starts the sandbox (API emulator +
// two nameservers on loopback, ns2 lagging 2 s) and runs a real change through the same CLI
// code a deploy script would use: list, show, dry run, create, wait for propagation.
import { fileURLToPath } from 'node:url';
import { runCall } from '../src/cli/call.js';
import type { ProgressSink } from '../src/cli/context.js';
import { startSandbox } from '../src/sandbox/index.js';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s: string) => process.stdout.write(`${s}\n`);

const sandbox = await startSandbox({ publishDelayMs: [0, 2000] });
const env = { ...process.env, ...sandbox.env };
const progress: ProgressSink = {
  update: (p) => say(`  ... ${p.message ?? ''}`),
  done: () => undefined,
};

async function step(title: string, argv: string[], ok: number[] = [0]): Promise<void> {
  say(`\n${bold(`== ${title}`)}\n$ vpsorg-dns-mcp call ${argv.map((a) => (/[\s"{]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const code = await runCall(argv, env, { progress });
  if (!ok.includes(code)) throw new Error(`"${argv[0]}" exited with ${code}`);
  if (code !== 0) say(`(exit code ${code})`);
}

let failed = false;
try {
  say(bold('vpsorg-dns-mcp demo: a sandboxed VPS.org account on this machine'));
  say(`API emulator ${sandbox.emu.url}, nameservers ${sandbox.nameservers.map((n) => `${n.host} ${n.address}:${n.port} (publishes after ${n.publishDelayMs} ms)`).join(', ')}`);
  await step('The zones of the account', ['list_zones', '--text']);
  await step('One zone, as a zone-file-like table', ['get_zone', '--zone', 'example.com', '--text']);
  const record = ['--zone', 'example.com', '--name', 'demo', '--record-type', 'A', '--value', '192.0.2.80', '--ttl', '300'];
  await step('A dry run: the exact diff, nothing sent', ['create_record', ...record, '--dry-run', '--text']);
  await step('The change itself', ['create_record', ...record, '--text']);
  await step('Right away: ns1 has it, ns2 not yet (exit code 3 = not propagated)', ['check_propagation', '--zone', 'example.com', '--name', 'demo', '--record-type', 'A', '--text'], [0, 3]);
  await step('Waiting until every nameserver serves it', ['check_propagation', '--zone', 'example.com', '--name', 'demo', '--record-type', 'A', '--wait-seconds', '20', '--text']);
  const bin = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  say(`\n${bold('== Connect an MCP client to the sandbox')}`);
  say(`Claude Code:     claude mcp add vpsorg-dns-sandbox -- node ${bin} --sandbox`);
  say(`Claude Desktop / Cursor / VS Code: command "node", args ["${bin}", "--sandbox"]`);
  say('With a real account: set VPSORG_API_TOKEN and leave out --sandbox (see README.md).');
} catch (err) {
  failed = true;
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
} finally {
  await sandbox.close();
}
process.exit(failed ? 1 : 0);
