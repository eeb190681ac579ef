// The MCP App views (src/apps/view): one browser bundle, inlined into one self-contained HTML page
// per view. The page's own CSP allows only that script and that style (by hash): no other script,
// no inline handler, no connection, no external load, whatever the host's policy is.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Where the page names its view; the server puts the view's name there (src/apps/html.ts). */
export const VIEW_SLOT = '%VIEW%';
const sha256 = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** The page of every view, with VIEW_SLOT where the view's name goes. */
export async function buildViewPage() {
  const out = await build({
    entryPoints: ['src/apps/view/main.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  // Inside <script>, only "</script" and "<!--" could end or change the element; both are inert escaped.
  const script = out.outputFiles[0].text.replaceAll('</script', '<\\/script').replaceAll('<!--', '<\\!--');
  const style = readFileSync('src/apps/view/style.css', 'utf8');
  const csp = `default-src 'none'; script-src ${sha256(script)}; style-src ${sha256(style)}; img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>vpsorg-dns-mcp</title><style>${style}</style></head>` +
    `<body data-view="${VIEW_SLOT}"><main id="root"><p class="muted">Waiting for the result...</p></main><script>${script}</script></body></html>`
  );
}
