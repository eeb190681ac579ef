/** The result budget's tool arguments and output shape; the budget itself is domain/fit.ts. */
import * as z from 'zod';
import * as SAY from '../kit/texts.js';

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
  limit: z.number().int().min(1).max(5000).optional().describe(SAY.LIMIT),
  cursor: z.string().max(20).optional().describe(SAY.CURSOR),
};

