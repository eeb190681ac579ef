/**
 * approve_plan: the Approve button of the MCP App plan view (src/apps/view/plan.ts). App-only
 * (`_meta.ui.visibility: ["app"]`): a conforming host never offers it to the model; that is the
 * host's doing, not this server's, so what makes it safe is the approval itself: signed by the
 * gate's key for exactly one previewed call (purpose `app`, which no confirm_token or form state
 * has, and which no confirm_token check accepts), it runs the call through the same gate, which
 * plans again against the live zone and executes only if the state still matches.
 *
 * Since the host's hiding is not ours to enforce, the tool itself refuses, before anything runs:
 * a client that did not declare MCP Apps (it is not listed to them either, server.ts), a tool this
 * server does not expose (toolsets, read-only, permission filter: approving must not widen them),
 * and an approval that is not a valid `app` approval of exactly this call. The gate then refuses a
 * change that would not be held (write-gate.ts): an approval is never a way to run an unheld write.
 */
import * as z from 'zod';
import { defineTool, type ToolDef } from '../kit/types.js';
import { UserError, ValidationError } from '../../errors.js';
import { zoneOut } from '../kit/schemas.js';
import { APPROVABLE } from '../../apps/views.js';
import { argsDigest, confirmKey, verifyToken } from '../../safety/confirm.js';

function jsonArguments(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError([{ field: 'arguments', rule: 'json_object', message: 'must be the JSON text of an object: the previewed call\'s arguments' }]);
  return value as Record<string, unknown>;
}

/** A JSON object (a tool's result): any JSON values, declared as such for schema checkers. */
const jsonObject = z.record(z.string(), z.json());

export const approvePlan = defineTool({
  name: 'approve_plan',
  title: 'Approve a previewed change (plan view only)',
  description:
    "Only for this server's MCP App plan view, which calls it when the person clicks Approve; hosts hide it from the model (_meta.ui.visibility app). Runs the previewed call with the approval signed into its preview: the plan is computed again against the live zone and applied only if the zone is still as previewed. A confirm_token or an elicitation's state is refused, and the approval confirms nothing else.",
  toolset: 'records',
  appOnly: APPROVABLE,
  input: z.object({
    tool: z.enum(APPROVABLE).describe('The tool whose preview the person approved.'),
    // A JSON text rather than an open object: every input object of every tool is closed (additionalProperties: false).
    arguments: z.string().min(2).max(2_000_000).describe('Its arguments as a JSON object, exactly as in the previewed call (without confirm_token or dry_run).'),
    approval: z.string().min(1).max(4096).describe('The approval the server put in the preview result (_meta "vpsorg-dns-mcp/approval" .approval).'),
  }),
  output: z.object({
    tool: z.enum(APPROVABLE),
    zone: zoneOut.pick({ uuid: true, domain: true }).optional(),
    confirmation: z.string().optional().describe('confirmed_by_user when the change ran.'),
    result: jsonObject.describe("The approved tool's own result (its output schema)."),
  }),
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ tool, arguments: text, approval }, ctx) {
    if (!ctx.offers.app) {
      throw new UserError('approve_plan is the Approve button of the MCP App plan view, and this client did not declare that it renders MCP Apps. Nothing was changed.', { code: 'app_only', field: 'tool', hint: 'Call the tool itself; a held change is confirmed the way its preview says.' });
    }
    if (!ctx.exposed?.has(tool)) {
      throw new UserError(`${tool} is not offered by this server (VPSORG_TOOLSETS, VPSORG_READ_ONLY or the token's permissions leave it out), so no approval can run it. Nothing was changed.`, { code: 'policy', field: 'tool', hint: 'Ask the operator to enable the tool, or make the change elsewhere.' });
    }
    const args = jsonArguments(text);
    for (const field of ['confirm_token', 'dry_run'] as const) {
      if (args[field] !== undefined) throw new ValidationError([{ field: `arguments.${field}`, rule: 'app_approval', message: `leave out ${field}: the approval is the confirmation, and approving runs the change` }]);
    }
    const { ALL_TOOLS } = (await import('../index.js')) as { ALL_TOOLS: ToolDef[] };
    const def = ALL_TOOLS.find((t) => t.name === tool) as ToolDef;
    const parsed = def.input.safeParse(args);
    if (!parsed.success) throw new ValidationError([{ field: 'arguments', rule: 'invalid', message: `are not the arguments of a ${tool} preview: ${parsed.error.issues[0]?.message ?? 'invalid'}` }]);
    // The approval must hold before the tool runs at all: a tool may read or write before it reaches the gate.
    verifyToken(confirmKey(ctx.config.confirmSecret), approval, { purpose: 'app', op: tool, args: argsDigest(parsed.data as Record<string, unknown>) }, Date.now());
    // The journal and receipts name the change by the tool the person approved, as if it had been called directly.
    if (ctx.history) ctx.history.tool = `${tool} (approved in the plan view)`;
    const out = await def.handler(parsed.data, { ...ctx, appApproval: approval });
    if ('inputRequired' in out) throw new UserError('The approval did not confirm this call. Nothing was changed.', { code: 'confirmation_refused', field: 'approval', hint: 'Ask for a fresh preview.' });
    const s = out.structured as { zone?: { uuid: string; domain: string }; confirmation?: string };
    return { structured: { tool, ...(s.zone ? { zone: { uuid: s.zone.uuid, domain: s.zone.domain } } : {}), ...(s.confirmation ? { confirmation: s.confirmation } : {}), result: out.structured as z.infer<typeof jsonObject> }, text: out.text };
  },
});
