/**
 * VPSORG_AUTH=oauth at start: the verifier, the resource server, and an early look at the issuer
 * so a wrong VPSORG_OAUTH_ISSUER shows in the log at once (requests still retry it later).
 * Imported on demand only: it brings jose.
 */
import type { Config } from '../config.js';
import { log } from '../log.js';
import { toolScope } from '../safety/scopes.js';
import type { ToolMeta } from '../tool-shapes.js';
import { resourceServer, type ResourceServer } from './resource.js';
import { tokenVerifier } from './verifier.js';
import { approverSignIn, type ApproverSignIn } from './approver-signin.js';

export function oauthResource(config: Config, tools: ReadonlyArray<Pick<ToolMeta, 'hints' | 'permission'>>): ResourceServer {
  if (config.auth.mode !== 'oauth' || !config.publicUrl) throw new Error('oauthResource: VPSORG_AUTH=oauth and VPSORG_PUBLIC_URL are required');
  const verifier = tokenVerifier(config.auth);
  verifier.directory.metadata().then(
    (m) => log.info(`oauth: tokens of ${m.issuer} accepted for ${config.auth.mode === 'oauth' ? config.auth.audience : ''}`),
    () => undefined,
  );
  // A 401 asks for what the tools this configuration serves can use (the person or the issuer may grant less).
  const order = ['dns.read', 'dns.write', 'dns.delete'];
  const scopes = order.filter((s) => tools.some((t) => order.indexOf(toolScope(t)) >= order.indexOf(s)));
  return resourceServer({ publicUrl: config.publicUrl, issuer: config.auth.issuer, verifier, challengeScopes: scopes });
}

/** VPSORG_REQUIRE_DISTINCT_APPROVER under OAuth: how the approval page signs approvers in; undefined when nothing needs a second person. */
export function approverSignInFor(config: Config): ApproverSignIn | undefined {
  if (config.auth.mode !== 'oauth' || !config.publicUrl || !config.requireDistinctApprover.length) return undefined;
  return approverSignIn(config.auth, config.publicUrl, tokenVerifier(config.auth));
}
