/**
 * The DNS side of SPF: fetches every record an evaluation could need (each include and redirect
 * target's TXT, each a/mx/exists/ptr lookup) once, through the live resolver, into a graph of
 * records. A domain met again (an include loop, or the same include twice) is the same node, so
 * the pure evaluation (spf-eval.ts) can replay what a receiver does, loops included, without
 * asking again. Terms after `all`, and a `redirect` next to `all`, are never evaluated (RFC 7208
 * 5.1, 6.1), so nothing is fetched for them.
 */
import type { LiveResolver } from '../types.js';
import { isSpfText, parseSpf, type ParsedSpf, type SpfTermSyntax } from './spf-parse.js';
import { expandDomain, reverseName, senderAddress, usesValidatedName, type SpfSender } from './spf-macro.js';
import { ask, MAX_NAMES, validatedNames, type SpfQuery } from './spf-lookup.js';

export { MAX_NAMES, type SpfQuery };

export interface SpfTermNode extends SpfTermSyntax {
  /** The term's own lookups, in the order a receiver makes them (mx: the MX set, then each host). */
  queries: SpfQuery[];
  /** The include or redirect target's record. */
  child: SpfRecordNode | null;
  /** A macro target expanded for the given sender (spf-macro.ts); absent while it stays a macro. */
  expanded?: string;
  /**
   * a and mx only: the hosts' addresses of the other family than the evaluation asks, so a
   * flattened record keeps both (a receiver asks the family of the connecting sender only).
   */
  otherFamily?: string[];
}

export interface SpfRecordNode {
  domain: string;
  /** The TXT lookup of `domain`. */
  txt: SpfQuery;
  /** Every `v=spf1` text found at `domain` (more than one is a permerror). */
  spf: string[];
  parsed: ParsedSpf | null;
  terms: SpfTermNode[];
}

export interface FetchOptions extends SpfSender {
  /** Address family of the sender being evaluated (a and mx look up A or AAAA); default: the address's, else 4. */
  family?: 4 | 6;
}

/**
 * Distinct SPF records one evaluation fetches at most. A receiver stops at its 11th lookup, so a
 * tree of more records than this is far past the limit already: fetching the rest (includes go
 * out in parallel) would only spend the audit's budget, and a hostile tree's breadth is unbounded.
 */
export const MAX_SPF_RECORDS = 40;

export class SpfFetcher {
  private readonly nodes = new Map<string, SpfRecordNode>();
  private readonly pending: Promise<void>[] = [];
  private readonly opts: FetchOptions;
  private origin = '';
  private validated: Promise<string[]> | null = null;

  constructor(
    private readonly resolver: LiveResolver,
    opts: FetchOptions = {},
  ) {
    const ip = opts.ip ? senderAddress(opts.ip) : undefined;
    this.opts = { ...opts, ip, family: opts.family ?? (ip?.includes(':') ? 6 : 4) };
  }

  /** The record graph rooted at `domain`, with every reachable lookup made. */
  async fetch(domain: string): Promise<SpfRecordNode> {
    this.origin = domain.toLowerCase().replace(/\.$/, '');
    const root = this.node(domain);
    // Nodes are filled in as they are met; wait until no new ones appear.
    for (let done = 0; done < this.pending.length; done++) await this.pending[done];
    return root;
  }

  private node(domain: string): SpfRecordNode {
    const key = domain.toLowerCase().replace(/\.$/, '');
    const known = this.nodes.get(key);
    if (known) return known;
    const node: SpfRecordNode = { domain: key, txt: { name: key, type: 'TXT', status: 'budget', values: [], detail: '' }, spf: [], parsed: null, terms: [] };
    if (this.nodes.size >= MAX_SPF_RECORDS) {
      node.txt.detail = `not fetched: the tree already holds ${MAX_SPF_RECORDS} SPF records, far past the 10 lookups a receiver makes`;
      return node;
    }
    this.nodes.set(key, node);
    this.pending.push(this.fill(node));
    return node;
  }

  private async fill(node: SpfRecordNode): Promise<void> {
    node.txt = await ask(this.resolver, node.domain, 'TXT');
    node.spf = node.txt.values.filter(isSpfText);
    const text = node.spf[0];
    if (node.spf.length !== 1 || text === undefined) return;
    node.parsed = parseSpf(text, node.domain);
    if (node.parsed.errorAt !== null) {
      node.terms = node.parsed.terms.map((t) => ({ ...t, queries: [], child: null }));
      return;
    }
    const hasAll = node.parsed.terms.some((t) => t.kind === 'all');
    let afterAll = false;
    for (const t of node.parsed.terms) {
      const n: SpfTermNode = { ...t, queries: [], child: null };
      node.terms.push(n);
      const skip = afterAll || (t.kind === 'redirect' && hasAll);
      if (t.kind === 'all') afterAll = true;
      if (skip) continue;
      if (t.macro) {
        const expanded = await this.expand(t.target, node.domain);
        if (expanded === null) continue;
        n.expanded = expanded;
      }
      await this.lookups(n);
    }
  }

  /** A macro target for this sender, or null when it uses a letter whose value is not known. */
  private async expand(spec: string, domain: string): Promise<string | null> {
    const validated = usesValidatedName(spec) ? await this.validatedName(domain) : undefined;
    return expandDomain(spec, { ...this.opts, domain, origin: this.origin, validated });
  }

  /** `p` (RFC 7208 7.3): the sender's validated names, looked up once, the domain or one below it preferred. */
  private async validatedName(domain: string): Promise<string | undefined> {
    const ip = this.opts.ip;
    if (!ip) return undefined;
    this.validated ??= validatedNames(this.resolver, ip, this.opts.family === 6 ? 'AAAA' : 'A');
    const names = await this.validated;
    const d = domain.toLowerCase();
    return names.find((h) => h.toLowerCase() === d) ?? names.find((h) => h.toLowerCase().endsWith(`.${d}`)) ?? names[0] ?? 'unknown';
  }

  private async lookups(t: SpfTermNode): Promise<void> {
    const target = t.expanded ?? t.target;
    const family = this.opts.family ?? 4;
    const addr = family === 6 ? 'AAAA' : 'A';
    const other = family === 6 ? 'A' : 'AAAA';
    switch (t.kind) {
      case 'include':
      case 'redirect':
        t.child = this.node(target);
        return;
      case 'a':
        t.queries.push(await ask(this.resolver, target, addr));
        t.otherFamily = (await ask(this.resolver, target, other)).values;
        return;
      case 'exists':
        t.queries.push(await ask(this.resolver, target, 'A'));
        return;
      case 'mx': {
        const mx = await ask(this.resolver, target, 'MX');
        t.queries.push(mx);
        if (mx.values.length > MAX_NAMES) return;
        const hosts = mx.values.map((v) => v.split(' ').at(-1) ?? '').filter((h) => h !== '.' && h !== '');
        for (const h of hosts) t.queries.push(await ask(this.resolver, h, addr));
        t.otherFamily = [];
        for (const h of hosts) t.otherFamily.push(...(await ask(this.resolver, h, other)).values);
        return;
      }
      case 'ptr': {
        if (!this.opts.ip) return;
        const ptr = await ask(this.resolver, reverseName(this.opts.ip), 'PTR');
        t.queries.push(ptr);
        for (const h of ptr.values.slice(0, MAX_NAMES)) t.queries.push(await ask(this.resolver, h, addr));
        return;
      }
      default:
        return;
    }
  }
}
