#!/usr/bin/python3
"""Debian's pyspf (python3-spf) as a reference for the live SPF audit's tests.

Reads {"server": "127.0.0.1:PORT", "cases": [{"domain", "ip"}]} on stdin and prints, per case,
pyspf's result, its lookup count and its void-lookup count as JSON. pyspf's DNS lookups are
pointed at the sandbox's authoritative nameserver (it serves every fixture zone), asked with
recursion off; a name it does not serve (REFUSED) does not exist in the fixture internet.
"""
import json
import sys

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import spf


def lookup_at(host, port):
    def lookup(name, qtype, strict=True, timeout=5):
        q = dns.message.make_query(name, qtype)
        q.flags &= ~dns.flags.RD
        r = dns.query.udp(q, host, timeout=timeout, port=port)
        if r.flags & dns.flags.TC:
            r = dns.query.tcp(q, host, timeout=timeout, port=port)
        if r.rcode() not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN, dns.rcode.REFUSED):
            raise spf.TempError('DNS ' + dns.rcode.to_text(r.rcode()))
        out = []
        for rrset in r.answer:
            owner = rrset.name.to_text(True)
            t = dns.rdatatype.to_text(rrset.rdtype)
            for rd in rrset:
                if t in ('A', 'AAAA'):
                    out.append(((owner, t), rd.address))
                elif t == 'MX':
                    out.append(((owner, t), (rd.preference, rd.exchange.to_text(True))))
                elif t in ('CNAME', 'PTR'):
                    out.append(((owner, t), rd.target.to_text(True)))
                elif t == 'TXT':
                    out.append(((owner, t), list(rd.strings)))
        return out
    return lookup


def main():
    req = json.load(sys.stdin)
    host, port = req['server'].rsplit(':', 1)
    spf.DNSLookup = lookup_at(host, int(port))
    results = []
    for case in req['cases']:
        q = spf.query(i=case['ip'], s='postmaster@' + case['domain'], h=case['domain'], querytime=20)
        res, _code, exp = q.check()
        results.append({'domain': case['domain'], 'result': res, 'lookups': q.lookups, 'voids': q.void_lookups, 'explanation': exp})
    json.dump(results, sys.stdout)


main()
