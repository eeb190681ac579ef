/**
 * A flattened SPF record: every address the record authorises today, as ip4:/ip6: terms, so it
 * needs no lookups. Offered only with its trade-off: the provider's addresses are copied, and
 * when the provider changes them, mail from the new ones fails until the record is updated.
 */
import type { SpfTree } from './spf-tree.js';
import type { SpfRecordNode } from './spf-fetch.js';

export const FLATTEN_TRADEOFF =
  "The flattened record copies today's addresses of every include, a and mx: when a provider changes its servers (they do, without notice), mail from the new ones fails SPF until you update the record. Prefer removing includes you no longer use, or a sending subdomain with its own SPF record.";

export type Flattened = { record: string; addresses: number } | { impossible: string };

/** Mechanisms whose match depends on the sender (not on addresses known now). */
const DYNAMIC = new Set(['exists', 'ptr']);

export function flattenSpf(root: SpfRecordNode, _tree?: SpfTree): Flattened {
  const out = new Set<string>();
  const seen = new Set<string>();
  let problem: string | null = null;
  const walk = (node: SpfRecordNode) => {
    if (seen.has(node.domain) || problem) return;
    seen.add(node.domain);
    for (const t of node.terms) {
      if (t.kind === 'all') break;
      if (t.error) problem = `${node.domain} has an invalid term (${t.text})`;
      else if (t.macro || DYNAMIC.has(t.kind)) problem = `${node.domain}: ${t.text} depends on the sender and cannot be flattened`;
      // A "-"/"~"/"?" term excludes addresses: dropped from a flat "+" list, they would be authorised (widening).
      else if (t.qualifier !== '+') problem = `${node.domain}: "${t.text}" excludes addresses, which a flat list cannot keep`;
      // The redirect target's own "all" decides for every sender not listed: a flat record would lose it.
      else if (t.kind === 'redirect') problem = `${node.domain}: "${t.text}" hands the result to another record, whose "all" a flat list would lose`;
      else if (t.kind === 'ip4') out.add(`ip4:${t.target}${t.cidr4 !== null ? `/${t.cidr4}` : ''}`);
      else if (t.kind === 'ip6') out.add(`ip6:${t.target}${t.cidr6 !== null ? `/${t.cidr6}` : ''}`);
      else if (t.kind === 'a' || t.kind === 'mx') {
        // a/24 and mx/24 authorise the network around each address: the prefix is kept.
        const addrs = [...(t.kind === 'a' ? t.queries : t.queries.slice(1)).flatMap((q) => q.values), ...(t.otherFamily ?? [])];
        for (const ip of addrs) out.add(ip.includes(':') ? `ip6:${ip}${t.cidr6 !== null ? `/${t.cidr6}` : ''}` : `ip4:${ip}${t.cidr4 !== null ? `/${t.cidr4}` : ''}`);
      } else if (t.kind === 'include' && t.child) walk(t.child);
      if (problem) return;
    }
  };
  walk(root);
  if (problem) return { impossible: problem };
  const all = root.terms.find((t) => t.kind === 'all');
  const tail = all ? `${all.qualifier === '+' ? '' : all.qualifier}all` : '?all';
  return { record: ['v=spf1', ...out, tail].join(' '), addresses: out.size };
}
