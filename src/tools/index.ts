import type { ToolDef } from './kit/types.js';
import { whoami } from './defs/account.js';
import { createZone, getZone, listZones } from './defs/zones.js';
import { getRecord, listRecords, searchRecords } from './defs/records-read.js';
import { createRecord, patchRecord, updateRecord, updateTtl } from './defs/records-write.js';
import { deleteRecord, deleteZone } from './defs/deletes.js';
import { applyZone, planZone } from './defs/zone-plan.js';
import { exportZoneFile, importZoneFile } from './defs/zonefile.js';
import { checkPropagationTool } from './defs/propagation.js';
import { checkDelegationTool } from './defs/delegation.js';
import { auditZoneTool } from './defs/audit.js';
import { listChangesTool } from './defs/history.js';
import { undoChange } from './defs/undo.js';
import { acmeChallenge } from './defs/acme.js';
import { approvePlan } from './defs/approve.js';

/** Every tool, in the order tools/list shows them. */
export const ALL_TOOLS: ToolDef[] = [
  whoami,
  listZones,
  getZone,
  createZone,
  listRecords,
  searchRecords,
  getRecord,
  createRecord,
  updateRecord,
  patchRecord,
  updateTtl,
  deleteRecord,
  deleteZone,
  planZone,
  applyZone,
  exportZoneFile,
  importZoneFile,
  checkPropagationTool,
  checkDelegationTool,
  auditZoneTool,
  listChangesTool,
  undoChange,
  acmeChallenge,
  approvePlan,
];
