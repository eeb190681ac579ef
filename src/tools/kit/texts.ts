/**
 * The sentences several tools share. A tool's description and its input schema are what the model
 * reads on every turn (`npm run bench list` counts them; test/e2e/tools-budget.test.ts holds the
 * budget), so a rule is said once, here, briefly, and the error a tool returns says the rest.
 */

/** How a name is read; the full rules are in the error that refuses one (domain/names.ts). */
export const NAME = 'Relative to the zone ("@", "www"); a full name inside it also works.';

export const VALUE = 'MX/CNAME/NS: a hostname; TXT: unquoted; SRV: "weight port target"; CAA: flags tag "value".';

export const ZONE = 'Domain or zone uuid.';

export const RECORD_UUID = 'Record uuid (or its first 8+ characters), instead of zone + name + record_type.';

export const TTL = 'Seconds (default 3600).';

export const PRIORITY = 'MX and SRV only.';

export const DRY_RUN = 'true: the diff only; send nothing.';

/** The gate (src/safety/effect.ts decides what needs it), said where the token is taken. */
export const CONFIRM_TOKEN = 'Leave out; a risky change returns a preview and this token: once the user agreed, call again with it and the same arguments.';

/** Only offered where replicas serve one client (HTTP); one process counts the budget itself. */
export const BUDGET_TOKEN = "budget.budget_token of this zone's last write, so every replica counts its change budget.";

export const LIMIT = 'Max items (default: what fits).';

export const CURSOR = 'next_cursor of the last result.';

export const MODE = 'upsert (default): each given (name, record_type) set ends up exactly as listed; other sets stay. sync: the zone ends up exactly as given.';

/** Written where a record set is chosen by name and type and one value may pick a single record. */
export const PICK_VALUE = 'Current value, to pick one of several records.';
