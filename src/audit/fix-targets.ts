/**
 * Fix calls for targets inside the zone (dangling CNAME, MX/NS/SRV targets that are aliases or
 * have no address). A repointed target is where the zone's own CNAME chain ends, never a name
 * outside the zone: that one is a third party's to change, and may itself be an alias.
 */
import { splitSrv } from '../domain/values.js';
import { fqdn } from '../domain/names.js';
import { deleteFix, instruction, type FixCall } from './fix.js';
import { callName, setFix } from './fix-sets.js';
import type { Entry, ZoneIndex } from './zone-index.js';

export function danglingCnameFix(ix: ZoneIndex, e: Entry): FixCall {
  return deleteFix(ix.zone, { name: callName(e.spec.name, ix.zone), record_type: 'CNAME', value: e.spec.value }, 'Or, if the name should answer, create the records its target lacks (or point the CNAME at a name that has them) instead.');
}

/** Where the zone's own CNAME chain from `name` ends: a name in the zone with an address and no CNAME; else null. */
function aliasEnd(ix: ZoneIndex, name: string): string | null {
  let at = name;
  for (let hops = 0; hops < 8; hops++) {
    const c = ix.answering(at).find((x) => x.spec.record_type === 'CNAME');
    if (!c) return ix.answering(at).some((x) => x.spec.record_type === 'A' || x.spec.record_type === 'AAAA') ? at : null;
    const next = ix.relative(c.spec.value);
    if (next === null || ix.delegation(next)) return null;
    at = next;
  }
  return null;
}

const targetOf = (e: Entry) => (e.spec.record_type === 'SRV' ? (splitSrv(e.spec.value)?.target ?? '') : e.spec.value);
const sameTarget = (a: Entry, host: string) => targetOf(a).toLowerCase() === host;

/** MX/SRV at the alias -> at the host the zone's chain ends at; NS -> an instruction (its servers and parent must agree). */
export function targetCnameFix(ix: ZoneIndex, e: Entry, target: string): FixCall {
  const end = e.spec.record_type === 'NS' ? null : aliasEnd(ix, target);
  if (end === null) return instruction(`Point the ${e.spec.record_type} record at the host its alias stands for (the end of the CNAME chain, which must have an address), or replace the CNAME with A/AAAA records; ${e.spec.record_type === 'NS' ? 'for NS, change the delegation at the parent too' : "the zone's own records do not lead to such a host"}.`);
  const host = fqdn(end, ix.zone);
  const srv = splitSrv(e.spec.value);
  const value = e.spec.record_type === 'SRV' && srv ? `${srv.weight} ${srv.port} ${host}` : host;
  // The provider refuses two MX with one host: when the host is listed already, the alias only goes.
  const listed = ix.at(e.spec.name, e.spec.record_type).some((x) => x !== e && sameTarget(x, host) && (e.spec.record_type !== 'SRV' || x.spec.value === value));
  const add = listed ? [] : [{ value, ...(e.spec.priority !== null ? { priority: e.spec.priority } : {}) }];
  return setFix(ix, [{ name: e.spec.name, type: e.spec.record_type, keep: (x) => x !== e, add }]) ?? instruction('Point the record at the host its alias stands for.');
}

/** An MX beside others goes (mail then goes to them); otherwise the address or the right host is a person's to give. */
export function targetNoAddressFix(ix: ZoneIndex, e: Entry): FixCall {
  const others = ix.at(e.spec.name, e.spec.record_type).filter((x) => x !== e);
  if (e.spec.record_type === 'MX' && others.length) {
    return setFix(ix, [{ name: e.spec.name, type: 'MX', keep: (x) => x !== e }], 'Mail then goes only to the other MX hosts; or give this host an A/AAAA record instead (create_record with its address).') ?? instruction('Remove this MX.');
  }
  return instruction(`Create an A or AAAA record at the ${e.spec.record_type} target with the host's address (create_record), or point the record at a host that has one: which address or host is right, the audit cannot tell.`);
}
