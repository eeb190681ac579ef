/**
 * The ToolContext of a shell call: the same tools as over MCP, but no client to ask a human
 * (no channel offered, so gated tools use their two-call token flow unless --approve-in-browser), and progress on stderr only
 * when a person is watching it.
 */
import { localActor } from '../safety/scopes.js';
import type { Config } from '../config.js';
import type { VpsApi } from '../api/types.js';
import { ZoneResolver } from '../tools/kit/resolve.js';
import type { ProgressUpdate, ToolContext } from '../tools/kit/types.js';
import { stripTerminal } from './output.js';
import { NO_OFFERS } from '../safety/channel.js';

export interface ProgressSink {
  update(p: ProgressUpdate): void;
  /** Ends the progress line, if one was drawn. */
  done(): void;
}

/** A single self-overwriting status line on a terminal; silent when stderr is a pipe or file. */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  let drawn = false;
  return {
    update(p) {
      if (!stream.isTTY) return;
      const count = p.total !== undefined ? `${p.progress}/${p.total}` : `${p.progress}`;
      stream.write(`\r\x1b[K${stripTerminal(p.message ?? 'working')} (${count})`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

export function cliContext(config: Config, api: VpsApi, signal: AbortSignal, progress: ProgressSink): ToolContext {
  return {
    config,
    api,
    zones: new ZoneResolver(api, config.allowedZones),
    signal,
    async progress(p) {
      progress.update(p);
    },
    inputResponses: undefined,
    requestState: undefined,
    offers: NO_OFFERS,
    client: { name: 'vpsorg-dns-mcp cli', transport: 'cli' },
    caller: { actor: localActor('cli'), scopes: null },
  };
}
