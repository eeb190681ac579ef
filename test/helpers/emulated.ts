/**
 * The set-up most end-to-end tests share: one emulator and one MCP server (a real client over
 * stdio) for the file, and every test starting from the same zones, with the request log empty.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
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
