/** Flag parsing for the CLI, in-process: global flags, and tool flags typed by the tool's schema. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { coerceValue, parseToolFlags } from '../../src/cli/coerce.js';
import { firstSentence, inputSchema } from '../../src/cli/describe.js';
import { stderrProgress } from '../../src/cli/context.js';
import { ConfigError } from '../../src/errors.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

const props = (name: string) => inputSchema(ALL_TOOLS.find((t) => t.name === name)!).properties ?? {};
const none = () => 0;

describe('global flags', () => {
  it('reads the sandbox and HTTP flags', () => {
    const a = parseArgs(['--sandbox', '--http', '--host', '::1', '--port=0', '--no-http-auth', '--publish-delay-ms', '500', '--dns-ports', '5301,5302', '--state', 's.json']);
    expect(a).toMatchObject({ sandbox: true, http: true, host: '::1', port: 0, httpAuth: false, publishDelayMs: [0, 500], dnsPorts: [5301, 5302], stateFile: 's.json' });
    expect(parseArgs(['--sandbox', '--publish-delay-ms', '100,200']).publishDelayMs).toEqual([100, 200]);
    expect(parseArgs(['--read-only', '--allowed-zones', 'example.com']).env).toEqual({ VPSORG_READ_ONLY: 'true', VPSORG_ALLOWED_ZONES: 'example.com' });
  });

  it('refuses bad values and unknown flags with a ConfigError (exit code 2)', () => {
    expect(() => parseArgs(['--port', '70000'])).toThrow(ConfigError);
    expect(() => parseArgs(['--publish-delay-ms', 'soon'])).toThrow(/--publish-delay-ms/);
    expect(() => parseArgs(['--dns-ports', '1,2,3'])).toThrow(ConfigError);
    expect(() => parseArgs(['--host'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--what'])).toThrow(/Unknown argument/);
  });

  it('leaves the arguments of call and tools to them', () => {
    expect(parseArgs(['call', 'get_zone', '--zone', 'x', '--nameservers', 'a'])).toMatchObject({ command: 'call', rest: ['get_zone', '--zone', 'x', '--nameservers', 'a'], env: {} });
  });
});

describe('tool flags', () => {
  it('types values by the schema: integers, booleans, repeated arrays, kebab-case names', () => {
    expect(parseToolFlags(['--zone', 'example.com', '--ttl', '300', '--dry-run', '--record-type=A'], props('create_record'), none)).toEqual({ zone: 'example.com', ttl: 300, dry_run: true, record_type: 'A' });
    expect(parseToolFlags(['--dry-run', 'false', '--zone', 'z'], props('create_record'), none)).toEqual({ dry_run: false, zone: 'z' });
    expect(parseToolFlags(['--expected', 'a', '--expected', 'b,c'], props('check_propagation'), none)).toEqual({ expected: ['a', 'b,c'] });
    expect(parseToolFlags(['--expected', '[]'], props('check_propagation'), none)).toEqual({ expected: [] });
    expect(parseToolFlags(['--wait-seconds', '30'], props('check_propagation'), none)).toEqual({ wait_seconds: 30 });
  });

  it('passes a value that does not fit on, for the tool to reject with its own message', () => {
    expect(parseToolFlags(['--ttl', 'soon'], props('create_record'), none)).toEqual({ ttl: 'soon' });
    expect(coerceValue('--priority', { anyOf: [{ type: 'integer' }, { type: 'null' }] }, 'null')).toBeNull();
  });

  it('gives other flags to the caller, and refuses what nobody knows', () => {
    const seen: string[] = [];
    const other = (argv: string[], i: number) => (argv[i] === '--text' ? (seen.push('text'), 1) : 0);
    expect(parseToolFlags(['--text', '--zone', 'z'], props('get_zone'), other)).toEqual({ zone: 'z' });
    expect(seen).toEqual(['text']);
    expect(() => parseToolFlags(['--nope', '1'], props('get_zone'), none)).toThrow(/Unknown parameter --nope. This tool takes: --zone/);
    expect(() => parseToolFlags(['zone'], props('get_zone'), none)).toThrow(/--name value/);
  });
});

describe('descriptions', () => {
  it('cuts the first sentence, not at "e.g."', () => {
    expect(firstSentence('Shows one zone (e.g. example.com). Then more.')).toBe('Shows one zone (e.g. example.com).');
    expect(firstSentence('No full stop')).toBe('No full stop');
  });
});

describe('progress', () => {
  const fake = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (t: string) => written.push(t) } as unknown as NodeJS.WriteStream };
  };

  it('draws one self-overwriting line on a terminal and ends it', () => {
    const { written, stream } = fake(true);
    const p = stderrProgress(stream);
    p.update({ progress: 1, total: 2, message: 'round 1: 1/2 nameservers in sync' });
    p.update({ progress: 2, total: 2, message: 'round 2: 2/2 nameservers in sync' });
    p.done();
    expect(written).toEqual(['\r\x1b[Kround 1: 1/2 nameservers in sync (1/2)', '\r\x1b[Kround 2: 2/2 nameservers in sync (2/2)', '\n']);
  });

  it('stays silent when stderr is a pipe or a file', () => {
    const { written, stream } = fake(false);
    const p = stderrProgress(stream);
    p.update({ progress: 1, total: 2, message: 'x' });
    p.done();
    expect(written).toEqual([]);
  });
});
