/**
 * The only module that writes to stdout. In the `call`/`tools` subcommands stdout is the
 * result a script reads; everywhere else it is the MCP channel, which nothing else may touch.
 */

/** Writes `text` to stdout and resolves once it is handed to the OS (so an exit cannot cut it). */
export function writeResult(text: string): Promise<void> {
  const out = text.endsWith('\n') ? text : `${text}\n`;
  return new Promise((resolve, reject) => {
    process.stdout.write(out, (err) => (err ? reject(err) : resolve()));
  });
}

/** Diagnostics, errors and progress: always stderr. */
export function writeDiagnostic(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
