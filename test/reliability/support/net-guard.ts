/**
 * Loopback only: while installed, a UDP datagram or TCP connection to any other address is refused
 * and counted (the DNS tools take nameserver addresses from their arguments, so a fuzzer could
 * otherwise send traffic anywhere). Host name lookups are blocked separately (vi.mock of
 * node:dns/promises in the test file), since the system resolver is not a socket we can see.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { tally } from './recorder.js';

export const blocked: string[] = [];

export function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return /^127\./.test(h) || h === '::1' || /^::ffff:127\./.test(h);
}

function refuse(what: string): Error {
  tally.off_loopback_attempts++;
  if (blocked.length < 20) blocked.push(what);
  return new Error(`blocked by the reliability net guard: ${what} is not loopback`);
}

export function installNetGuard(): () => void {
  const send = dgram.Socket.prototype.send;
  const connect = net.Socket.prototype.connect;
  dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
    const address = args.slice(1).find((a): a is string => typeof a === 'string');
    if (!isLoopback(address)) throw refuse(`UDP to ${address}`);
    return (send as (...a: unknown[]) => void).apply(this, args);
  } as typeof send;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    // net.connect() passes its normalised arguments as one array: [options, callback].
    const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; path?: string } | number | string | undefined;
    const host = typeof first === 'object' && first !== null ? (first.path !== undefined ? 'localhost' : first.host) : typeof args[1] === 'string' ? args[1] : undefined;
    // A string first argument is an IPC path (a local socket), not a network address.
    if (typeof first !== 'string' && !isLoopback(host)) {
      this.destroy(refuse(`TCP to ${host}`));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  return () => {
    dgram.Socket.prototype.send = send;
    net.Socket.prototype.connect = connect;
  };
}
