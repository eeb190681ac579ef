import type { PromptDef } from './types.js';
import { pointDomainToServer } from './point-domain.js';
import { setupEmail } from './setup-email.js';
import { verifyDomainOwnership } from './verify-ownership.js';
import { migrateZoneFromFile } from './migrate-zone.js';
import { auditZonePrompt } from './audit-zone.js';

/** Every prompt, in the order prompts/list shows them. */
export const ALL_PROMPTS: PromptDef[] = [pointDomainToServer, setupEmail, verifyDomainOwnership, migrateZoneFromFile, auditZonePrompt];
