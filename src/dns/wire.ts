/**
 * A strict structural check of a DNS message, run before dns-packet decodes it. dns-packet trusts
 * record lengths (a 3-byte A record decodes to `1.2.undefined...`, an NS whose name overruns its
 * RDLENGTH shifts every following record), so every RR is checked against its RDLENGTH here and
 * the whole message must be consumed exactly.
 */

const MAX_POINTER_HOPS = 64;

class WireError extends Error {}

/** Reads a name at `off`; returns the offset just after it in the byte stream. */
function skipName(buf: Buffer, off: number): number {
  let pos = off;
  let end = -1;
  let hops = 0;
  let length = 0;
  let floor = off; // a pointer must point strictly before the labels it interrupts (no loops)
  for (;;) {
    if (pos >= buf.length) throw new WireError(`name at offset ${off} runs past the end`);
    const len = buf[pos] as number;
    if (len === 0) {
      return end < 0 ? pos + 1 : end;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new WireError(`compression pointer at offset ${pos} is cut off`);
      const target = buf.readUInt16BE(pos) & 0x3fff;
      if (target >= floor) throw new WireError(`compression pointer at offset ${pos} does not point backwards (loop)`);
      if (++hops > MAX_POINTER_HOPS) throw new WireError(`too many compression pointers in name at offset ${off}`);
      if (end < 0) end = pos + 2;
      pos = target;
      floor = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new WireError(`unknown label type 0x${len.toString(16)} at offset ${pos}`);
    length += len + 1;
    if (length > 254) throw new WireError(`name at offset ${off} is longer than 255 bytes`); // 255 with the root label
    if (pos + 1 + len > buf.length) throw new WireError(`label at offset ${pos} runs past the end`);
    pos += 1 + len;
  }
}

function expectExact(type: number, used: number, rdlen: number, at: number): void {
  if (used !== rdlen) throw new WireError(`record of type ${type} at offset ${at}: data uses ${used} bytes but RDLENGTH says ${rdlen}`);
}

/** Checks RDATA of the types we read; other types only need to stay inside RDLENGTH. */
function checkRdata(buf: Buffer, type: number, start: number, rdlen: number): void {
  const fixed = (n: number) => expectExact(type, n, rdlen, start);
  const nameAt = (o: number) => skipName(buf, o) - o;
  switch (type) {
    case 1: return fixed(4); // A
    case 28: return fixed(16); // AAAA
    case 2: case 5: case 12: case 39: return fixed(nameAt(start)); // NS CNAME PTR DNAME
    case 15: return fixed(2 + nameAt(start + 2)); // MX
    case 33: return fixed(6 + nameAt(start + 6)); // SRV
    case 6: { // SOA
      const m = nameAt(start);
      return fixed(m + nameAt(start + m) + 20);
    }
    case 16: { // TXT: character-strings fill RDATA exactly
      if (rdlen < 1) throw new WireError(`TXT record at offset ${start} is empty`);
      let p = 0;
      while (p < rdlen) p += 1 + (buf[start + p] as number);
      return fixed(p);
    }
    case 257: { // CAA: flags, tag length, tag, value
      if (rdlen < 2 || (buf[start + 1] as number) < 1 || 2 + (buf[start + 1] as number) > rdlen) throw new WireError(`CAA record at offset ${start} is malformed`);
      return;
    }
    case 41: { // OPT: options fill RDATA exactly
      let p = 0;
      while (p + 4 <= rdlen) p += 4 + buf.readUInt16BE(start + p + 2);
      return fixed(p);
    }
    default: return;
  }
}

/** Returns why `buf` is not a well-formed DNS message, or null when it is. Never throws. */
export function wireProblem(buf: Buffer): string | null {
  try {
    if (buf.length < 12) return `message is ${buf.length} bytes, shorter than a DNS header`;
    const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
    let off = 12;
    for (let i = 0; i < (counts[0] as number); i++) {
      off = skipName(buf, off) + 4;
      if (off > buf.length) throw new WireError('question section runs past the end');
    }
    const rrs = (counts[1] as number) + (counts[2] as number) + (counts[3] as number);
    for (let i = 0; i < rrs; i++) {
      const owner = off;
      off = skipName(buf, off);
      if (off + 10 > buf.length) throw new WireError(`record at offset ${owner} is cut off`);
      const type = buf.readUInt16BE(off);
      const rdlen = buf.readUInt16BE(off + 8);
      const start = off + 10;
      if (start + rdlen > buf.length) throw new WireError(`record at offset ${owner} says ${rdlen} data bytes but the message ends first`);
      if (type === 41 && buf[owner] !== 0) throw new WireError('OPT record not owned by the root');
      checkRdata(buf.subarray(0, start + rdlen), type, start, rdlen);
      off = start + rdlen;
    }
    if (off !== buf.length) return `${buf.length - off} unexpected bytes after the last record`;
    return null;
  } catch (err) {
    if (err instanceof WireError) return err.message;
    return `undecodable message (${err instanceof Error ? err.message : String(err)})`;
  }
}
