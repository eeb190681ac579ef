// Build step: prints the JSON Schemas of every tool (see src/tools/json-schemas.ts).
import { ALL_TOOLS } from '../src/tools/index.js';
import { toolJsonSchemas } from '../src/tools/json-schemas.js';

process.stdout.write(JSON.stringify(toolJsonSchemas(ALL_TOOLS)));
