/** followChain (dns/chain.ts): a CNAME chain read from one answer, only as far as the answering server's zone goes. */
import { describe, expect, it } from 'vitest';
import { followChain } from '../../src/dns/chain.js';

const rr = (name: string, type: string, value: string) => ({ name, type, ttl: 60, value });

describe('followChain', () => {
  const answers = [rr('www.a.test', 'CNAME', 'web.a.test.'), rr('web.a.test', 'CNAME', 'host.b.test.'), rr('host.b.test', 'A', '10.6.6.6'), rr('web.a.test', 'A', '192.0.2.9')];

  it('follows a chain inside the zone and ends where it leaves it, taking nothing from outside', () => {
    expect(followChain(answers, 'WWW.a.test.', 'A', 'a.test')).toEqual({ cnames: [answers[0], answers[1]], at: 'host.b.test', records: [], outside: true });
  });

  it('takes the whole chain from a server whose zone holds it all (the root, or a common parent)', () => {
    expect(followChain(answers, 'www.a.test', 'A', 'test')).toMatchObject({ at: 'host.b.test', records: [{ value: '10.6.6.6' }], outside: false });
    expect(followChain(answers, 'www.a.test', 'A', '.')).toMatchObject({ records: [{ value: '10.6.6.6' }], outside: false });
  });

  it('ignores records a server sends for names outside its zone, even at the name asked', () => {
    expect(followChain(answers, 'host.b.test', 'A', 'a.test')).toEqual({ cnames: [], at: 'host.b.test', records: [], outside: true });
    expect(followChain([rr('x.a.test', 'A', '192.0.2.1')], 'x.a.test', 'A', 'a.test')).toMatchObject({ records: [{ value: '192.0.2.1' }], outside: false });
  });
});
