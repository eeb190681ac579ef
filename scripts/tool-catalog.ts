// Build step: prints every tool's catalog entry, metadata and JSON Schemas (see src/tools/kit/catalog.ts).
import { ALL_TOOLS } from '../src/tools/index.js';
import { toolCatalog } from '../src/tools/kit/catalog.js';

process.stdout.write(JSON.stringify(toolCatalog(ALL_TOOLS)));
