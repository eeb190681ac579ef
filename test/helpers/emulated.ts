/**
 * The set-up most end-to-end tests share: one emulator and one MCP server (a real client over
 * stdio) for the file, and every test starting from the same zones, with the request log empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

type Store = Emulator['store'];

/** Use `t.emu` and `t.h` inside tests (they exist once the file's beforeAll ran). */
export function emulatedServer(zones: (store: Store) => void, opts: Omit<HarnessOptions, 'emu'> = {}): { emu: Emulator; h: Harness } {
  const t = {} as { emu: Emulator; h: Harness };
  beforeAll(async () => {
    t.emu = await startEmulator({ seed: 'empty' });
    t.h = await startHarness({ ...opts, emu: t.emu });
  });
  afterAll(async () => {
    await t.h?.close();
    await t.emu?.close();
  });
  beforeEach(() => {
    t.emu.store.reset();
    zones(t.emu.store);
    t.emu.requests.length = 0;
  });
  return t;
}

/** A sandbox (emulator + nameservers that publish at once), a server over it, and a scratch folder, for the file. */
export function sandboxedServer(prefix: string): { sb: Sandbox; h: Harness; tmp: string } {
  const t = { tmp: mkdtempSync(join(tmpdir(), prefix)) } as { sb: Sandbox; h: Harness; tmp: string };
  beforeAll(async () => {
    t.sb = await startSandbox({ publishDelayMs: [0, 0] });
    t.h = await startHarness({ emu: t.sb.emu, env: t.sb.env });
  });
  afterAll(async () => {
    await t.h?.close();
    await t.sb?.close();
    rmSync(t.tmp, { recursive: true, force: true });
  });
  return t;
}
