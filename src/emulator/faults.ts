import type { FaultRule } from './types.js';

const KINDS = new Set<FaultRule['kind']>([
  'status', 'html', 'rate_limit', 'drop_before', 'drop_after', 'latency', 'hang', 'hang_after', 'hang_body', 'hold', 'malformed_json', 'empty', 'redirect',
]);

/** Fault rules in the order added; the first rule that matches a request (and has uses left) applies. */
export class Faults {
  private rules: Array<{ rule: FaultRule; left: number }> = [];
  /** Requests taken by a `hold` rule, waiting for release(). */
  private held: Array<() => void> = [];

  add(rule: FaultRule): void {
    if (!KINDS.has(rule.kind)) throw new Error(`Unknown fault kind ${JSON.stringify(rule.kind)}; one of ${[...KINDS].join(', ')}`);
    const left = rule.times ?? 1;
    if (!(left > 0)) throw new Error('FaultRule.times must be a positive number (or Infinity)');
    this.rules.push({ rule, left });
  }

  clear(): void {
    this.rules = [];
  }

  /** Resolves when release() is called: a `hold` request waits on it before it is processed. */
  hold(): Promise<void> {
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** Lets every held request be processed now; returns how many there were. */
  release(): number {
    const waiting = this.held;
    this.held = [];
    for (const go of waiting) go();
    return waiting.length;
  }

  /** Takes one use of the first rule matching this request, if any. */
  take(method: string, path: string): FaultRule | undefined {
    const entry = this.rules.find(({ rule }) => matches(rule, method, path));
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.rules = this.rules.filter((e) => e !== entry);
    return entry.rule;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === 'string') return path.includes(rule.path);
  rule.path.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
  return rule.path.test(path);
}
