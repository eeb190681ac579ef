import type { ToolDef } from './types.js';
import { whoami } from './account.js';
import { createZone, getZone, listZones } from './zones.js';
import { getRecord, listRecords, searchRecords } from './records-read.js';
import { createRecord, patchRecord, updateRecord, updateTtl } from './records-write.js';
import { deleteRecord, deleteZone } from './deletes.js';
import { applyZone, planZone } from './zone-plan.js';
import { exportZoneFile, importZoneFile } from './zonefile.js';
import { checkPropagationTool } from './propagation.js';
import { checkDelegationTool } from './delegation.js';
import { auditZoneTool } from './audit.js';
import { listChangesTool } from './history.js';
import { undoChange } from './undo.js';
import { acmeChallenge } from './acme.js';
import { approvePlan } from './approve.js';

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
