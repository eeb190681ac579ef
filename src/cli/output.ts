/**
 * The only module that writes to stdout. In the `call`/`tools` subcommands stdout is the
 * result a script reads; everywhere else it is the MCP channel, which nothing else may touch.
 */

// ESC-introduced sequences (CSI, OSC/DCS/APC/PM strings up to BEL or ST, two-byte escapes) and their
// 8-bit C1 forms: a provider value must not be able to retitle, recolour or rewrite a user's terminal.
// eslint-disable-next-line no-control-regex
const SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|(?:\u001b[\]P^_X]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Removes terminal escape sequences and other control characters (keeps line breaks and tabs). */
export function stripTerminal(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}

/** Writes `text` to stdout and resolves once it is handed to the OS (so an exit cannot cut it). */
export function writeResult(text: string): Promise<void> {
  const clean = stripTerminal(text);
  const out = clean.endsWith('\n') ? clean : `${clean}\n`;
  return new Promise((resolve, reject) => {
    process.stdout.write(out, (err) => (err ? reject(err) : resolve()));
  });
}

/** Diagnostics, errors and progress: always stderr. */
export function writeDiagnostic(text: string): void {
  const clean = stripTerminal(text);
  process.stderr.write(clean.endsWith('\n') ? clean : `${clean}\n`);
}
