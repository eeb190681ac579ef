import { describe, expect, it } from 'vitest';
import { askedOf } from '../../src/history/pending.js';

describe("a pending journal entry's record of what was asked", () => {
  it('keeps the arguments but no credential or signed decision', () => {
    const asked = askedOf({ zone: 'example.com', record: 'abc', confirm_token: 'ct', budget_token: 'bt', approval: 'signed-approval', requestState: 'rs', request_state: 'rs2', dry_run: false });
    expect(asked).toEqual({ zone: 'example.com', record: 'abc', dry_run: false });
  });

  it('cuts a whole zone file short', () => {
    const asked = askedOf({ zone: 'example.com', zone_file: 'x'.repeat(10_000) }) as { cut: string };
    expect(asked.cut.length).toBeLessThan(2100);
  });
});
