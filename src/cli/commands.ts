// Everything beyond the plain stdio server, behind one lazy import: one split point keeps the
// bundle's start path in few files (each file a start loads costs time; `npm run bench`).
export { runEmulatorCli } from '../emulator/cli.js';
export { runCall } from './call.js';
export { runToolsCommand } from './tools.js';
export { serveExtended } from './serve.js';
export { runJournalCommand } from './journal.js';
export { runAcmeCli } from './acme.js';
export { runPlanCommand } from './code.js';
export { runApplyCommand } from './code-apply.js';
export { runExportCommand } from './code-export.js';
