/** The result budget's tool arguments and output shape; the budget itself is domain/fit.ts. */
import * as z from 'zod';

export * from '../../domain/fit.js';

export const pageOut = z
  .object({
    total: z.number(),
    offset: z.number(),
    returned: z.number(),
    omitted: z.number(),
    next_cursor: z.string().optional(),
  })
  .describe('Which part of the list this is: omitted > 0 means more exists; call again with cursor: next_cursor (same arguments) for the next part.');

export const pageArgs = {
  limit: z.number().int().min(1).max(5000).optional().describe('At most this many items (default: as many as fit the result budget, about 16 KB of text).'),
  cursor: z.string().max(20).optional().describe('Where to continue: the next_cursor of the previous result, with the same other arguments.'),
};

