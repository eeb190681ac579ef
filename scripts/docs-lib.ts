/**
 * Generated documentation: the MCPB manifest and the README's tools and settings tables, all
 * from the tool definitions and src/cli/settings.ts. `npm run gen:docs` writes them;
 * test/e2e/package-docs.test.ts fails when a checked-in copy is stale.
 */
import { readFileSync } from 'node:fs';
import { ALL_TOOLS } from '../src/tools/index.js';
import type { ToolDef } from '../src/tools/kit/types.js';
import { effectLabel, firstSentence, toolParams } from '../src/cli/describe.js';
import { SETTINGS } from '../src/cli/settings.js';

interface PackageJson {
  name: string;
  version: string;
  description: string;
  license: string;
  mcpName: string;
  engines: { node: string };
  keywords?: string[];
}

export function readPackage(root = '.'): PackageJson {
  return JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as PackageJson;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

export function renderToolsTable(tools: readonly ToolDef[] = ALL_TOOLS): string {
  const rows = tools.map((t) => {
    const params = toolParams(t).map((p) => (p.required ? `\`${p.name}\`*` : `\`${p.name}\``)).join(', ') || '(none)';
    return `| \`${t.name}\` | ${cell(firstSentence(t.description))} | ${params} | ${effectLabel(t)} | ${t.toolset} |`;
  });
  return ['| Tool | What it does | Parameters (* required) | Effect | Toolset |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function renderSettingsTable(): string {
  const rows = SETTINGS.map((s) => `| \`${s.name}\` | ${s.flag ? `\`${s.flag}\`` : ''} | ${cell(s.default)} | ${cell(s.description)} |`);
  return ['| Setting | Flag | Default | What it does |', '|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function replaceBlock(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} block`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

export function renderReadme(readme: string): string {
  return replaceBlock(replaceBlock(readme, 'tools', renderToolsTable()), 'settings', renderSettingsTable());
}

export function buildManifest(pkg: PackageJson = readPackage()): Record<string, unknown> {
  const userConfig: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  for (const s of SETTINGS) {
    if (!s.mcpb) continue;
    const { key, title, type, required, sensitive, default: dflt } = s.mcpb;
    userConfig[key] = {
      type,
      title,
      description: firstSentence(s.description),
      ...(required !== undefined ? { required } : { required: false }),
      ...(sensitive ? { sensitive } : {}),
      ...(dflt !== undefined ? { default: dflt } : {}),
    };
    // An unset optional value arrives as the literal ${user_config.key}; src/config.ts treats it as unset.
    env[s.name] = `\${user_config.${key}}`;
  }
  return {
    manifest_version: '0.3',
    name: pkg.name,
    display_name: 'VPS.org DNS',
    version: pkg.version,
    description: pkg.description,
    long_description:
      'Manage DNS zones and records hosted at VPS.org from Claude: every documented API endpoint as a typed tool, a dry-run diff before every change, deletes behind a confirmation gate, zone-file import and export, and propagation checks that ask the authoritative nameservers directly.',
    author: { name: 'vpsorg-dns-mcp contributors' },
    license: pkg.license,
    keywords: ['dns', 'vps.org', 'zones', 'records', 'propagation'],
    server: {
      type: 'node',
      entry_point: 'dist/index.js',
      mcp_config: { command: 'node', args: ['${__dirname}/dist/index.js'], env },
    },
    tools: ALL_TOOLS.map((t) => ({ name: t.name, description: firstSentence(t.description) })),
    tools_generated: false,
    compatibility: { platforms: ['darwin', 'win32', 'linux'], runtimes: { node: pkg.engines.node } },
    user_config: userConfig,
  };
}

/** The MCP registry's format of a setting's value, read from its documented default. */
function formatOf(dflt: string): 'boolean' | 'number' | 'string' {
  if (dflt === 'true' || dflt === 'false') return 'boolean';
  return /^\d+$/.test(dflt) ? 'number' : 'string';
}

/** server.json for the MCP registry: the npm package, and every setting of src/cli/settings.ts as an environment variable. */
export function buildServerJson(pkg: PackageJson = readPackage()): Record<string, unknown> {
  const environmentVariables = SETTINGS.map((s) => ({
    name: s.name,
    description: firstSentence(s.description),
    isRequired: s.mcpb?.required === true,
    ...(s.secret ? { isSecret: true } : {}),
    format: formatOf(s.default),
    // A literal default only; one that is described in words, e.g. "(all)", is left to the description.
    ...(/^[^\s()$]+$/.test(s.default) ? { default: s.default } : {}),
  }));
  return {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: pkg.mcpName,
    title: 'VPS.org DNS',
    description: 'VPS.org DNS zones and records: typed tools, dry-run diffs, gated deletes, propagation checks',
    version: pkg.version,
    packages: [{ registryType: 'npm', registryBaseUrl: 'https://registry.npmjs.org', identifier: pkg.name, version: pkg.version, runtimeHint: 'npx', transport: { type: 'stdio' }, environmentVariables }],
  };
}

export function renderServerJson(): string {
  return `${JSON.stringify(buildServerJson(), null, 2)}\n`;
}

export function renderManifest(pkg?: PackageJson): string {
  return `${JSON.stringify(buildManifest(pkg), null, 2)}\n`;
}
