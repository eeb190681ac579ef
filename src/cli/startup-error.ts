/**
 * A failure before the server serves (a busy port, a folder that does not exist, no permission)
 * as one line that says what to do, never a stack trace. These are configuration errors: exit 2.
 */
import { dirname } from 'node:path';

interface SystemError extends Error {
  code?: string;
  path?: string;
  address?: string;
  port?: number;
}

/** The line to print for a system error at start-up, or undefined when `err` is not one. */
export function startupErrorLine(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as SystemError;
  const where = e.address !== undefined ? `${e.address}${e.port !== undefined ? `:${e.port}` : ''}` : undefined;
  switch (e.code) {
    case 'EADDRINUSE':
      return `cannot start: ${where ?? 'the address'} is already in use (another server, or an earlier sandbox still running). Pick other ports (--dns-ports, --port) or stop the other process.`;
    case 'EADDRNOTAVAIL':
      return `cannot start: ${where ?? 'the address'} is not an address of this machine (--host).`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `cannot start: the folder ${e.path ? dirname(e.path) : '(unknown)'} does not exist. Create it first, or give a path in an existing folder (--state, --backup-dir).`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `cannot start: no permission to use ${e.path ?? where ?? 'a file or port'} (${e.code}). Pick a path (--state, --backup-dir) or port this user may use.`;
    default:
      return undefined;
  }
}
