/**
 * A write call's `pending` entry, appended before its first request to VPS.org (the recorder calls
 * `before`), so that a server that dies, or loses its store, between the API call and the journal
 * completion leaves the write on record as of unknown outcome, never missing. The call's change
 * entries complete it (`pending` field); record-call.ts settles it when there are none.
 */
import type { Config } from '../config.js';
import { log } from '../log.js';
import { journalFor, type JournalStore, type PendingEntry } from './journal.js';
import { newChangeId } from './receipt.js';
import type { CallInfo } from './record-call.js';

/** Bound of what a pending entry keeps of the arguments (a whole zone file would be too much). */
const MAX_ASKED = 2000;

/** Arguments that carry a credential or a signed decision (confirm_token, the app's approval, a request state). */
const SECRET_KEY = /(token|secret|password|approval|request_?state)$/i;

/** The call's arguments, for people reading the journal: no tokens (single-use, but still secrets), bounded. */
export function askedOf(args: unknown): unknown {
  const clean = args && typeof args === 'object' && !Array.isArray(args) ? Object.fromEntries(Object.entries(args).filter(([k]) => !SECRET_KEY.test(k))) : args;
  const json = JSON.stringify(clean) ?? 'null';
  return json.length <= MAX_ASKED ? clean : { cut: `${json.slice(0, MAX_ASKED)}...` };
}

export class PendingWrite {
  /** The pending entry's id, once it was written. */
  id: string | undefined;
  private readonly journal: JournalStore | undefined;

  constructor(
    config: Config,
    private readonly info: Pick<CallInfo, 'tool' | 'client' | 'actor'>,
    private readonly args: unknown,
  ) {
    this.journal = journalFor(config);
  }

  /** Before the first write: a shared journal that cannot take the entry refuses the write (state_unavailable); files are best effort. */
  async before(zone: { uuid: string; domain: string } | undefined): Promise<void> {
    if (!this.journal) return;
    const entry: PendingEntry = {
      type: 'pending',
      change_id: newChangeId(),
      time: new Date().toISOString(),
      tool: this.info.tool,
      ...(this.info.client ? { client: this.info.client } : {}),
      ...(this.info.actor ? { actor: this.info.actor } : {}),
      ...(zone ? { zone } : {}),
      asked: askedOf(this.args),
    };
    try {
      await this.journal.append(entry);
      this.id = entry.change_id;
    } catch (err) {
      if (this.journal.required) throw err;
      log.warn(`journal: could not record the pending write of ${this.info.tool} in ${this.journal.where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
