import { PERMISSIONS } from '../api/types.js';
import { DEFAULT_ACCOUNT } from './store.js';
import type { EmulatorToken } from './types.js';

export const DEFAULT_TEST_TOKEN = 'vps_test_0123456789abcdef';

export interface AccountProfile {
  email: string;
  first_name: string;
  last_name: string;
  company_name: string | null;
  created_at: string;
}

export function defaultTokens(): EmulatorToken[] {
  return [{ token: DEFAULT_TEST_TOKEN, permissions: [...PERMISSIONS], account: DEFAULT_ACCOUNT, name: 'emulator test token' }];
}

/** A stable, plausible profile per account id (the provider's /account/me/ shape). */
export function profileFor(account: string): AccountProfile {
  if (account === DEFAULT_ACCOUNT) {
    return { email: 'demo@example.com', first_name: 'Demo', last_name: 'User', company_name: 'Example Hosting Ltd', created_at: '2024-01-15T10:30:00Z' };
  }
  return { email: `${account}@example.net`, first_name: 'Test', last_name: account, company_name: null, created_at: '2024-06-20T14:15:00Z' };
}

/** Bearer tokens by value. The provider's own error table: a token not starting with vps_ is invalid. */
export function tokenTable(tokens: EmulatorToken[]): Map<string, EmulatorToken> {
  const table = new Map<string, EmulatorToken>();
  for (const t of tokens) {
    if (!t.token.startsWith('vps_')) throw new Error(`Emulator token ${JSON.stringify(t.token)} must start with vps_ (the provider rejects any other)`);
    table.set(t.token, { ...t, account: t.account ?? DEFAULT_ACCOUNT, name: t.name ?? 'emulator token' });
  }
  return table;
}

export function authenticate(header: string | undefined, table: Map<string, EmulatorToken>): EmulatorToken | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const token = m?.[1];
  if (!token || !token.startsWith('vps_')) return undefined;
  return table.get(token);
}
