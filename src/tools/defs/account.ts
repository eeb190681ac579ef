import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import { dataBlock } from '../kit/format.js';

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'The VPS.org account behind the API token and the token\'s permissions. Use it when a call fails with 401/403.',
  toolset: 'account',
  input: z.object({}),
  output: z.object({
    account: z.object({
      email: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
      company_name: z.string().nullable().optional(),
      created_at: z.string().optional(),
    }),
    token: z.object({ name: z.string().optional(), permissions: z.array(z.string()) }),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(_args, ctx) {
    const me = await ctx.api.whoami();
    const a = me.account;
    const account = {
      ...(a.email !== undefined ? { email: a.email } : {}),
      ...(a.first_name !== undefined ? { first_name: a.first_name } : {}),
      ...(a.last_name !== undefined ? { last_name: a.last_name } : {}),
      ...(a.company_name !== undefined ? { company_name: a.company_name } : {}),
      ...(a.created_at !== undefined ? { created_at: a.created_at } : {}),
    };
    const token = { ...(me.token.name !== undefined ? { name: me.token.name } : {}), permissions: me.token.permissions };
    const who = [a.first_name, a.last_name].filter(Boolean).join(' ');
    const text = [
      'Account and token:',
      dataBlock([`account: ${who}${a.email ? ` <${a.email}>` : ''}${a.company_name ? `, ${a.company_name}` : ''}`, `token: ${me.token.name ?? '(unnamed)'}`]),
      `permissions: ${token.permissions.join(', ') || '(none)'}`,
    ].join('\n');
    return { structured: { account, token }, text };
  },
});
