/**
 * Where the browser tests save their screenshots: the README's pictures in docs/screenshots when
 * asked (`npm run screenshots`), else a scratch folder, so a test run does not rewrite tracked
 * files (the pages carry ports and times, so every run's PNGs differ).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHOTS = process.env['VPSORG_UPDATE_SCREENSHOTS'] ? 'docs/screenshots' : mkdtempSync(join(tmpdir(), 'vpsorg-shots-'));
mkdirSync(SHOTS, { recursive: true });
