import { describe, expect, it } from 'vitest';
import { portableSchema } from '../../src/tools/kit/portable-schema.js';

describe('portableSchema', () => {
  it('splits a type array into anyOf branches, keeping annotations outside and constraints inside', () => {
    expect(portableSchema({ type: ['integer', 'null'], minimum: 0, description: 'd', default: null })).toEqual({
      anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }],
      description: 'd',
      default: null,
    });
    expect(portableSchema({ type: ['string', 'null'], enum: ['a', null] })).toEqual({ anyOf: [{ type: 'string', enum: ['a'] }, { type: 'null' }] });
  });

  it('works at any depth and leaves other schemas (and a property called "type") alone', () => {
    const s = { type: 'object', properties: { type: { type: 'string' }, n: { type: ['number', 'null'] } }, required: ['type'] };
    expect(portableSchema(s)).toEqual({ type: 'object', properties: { type: { type: 'string' }, n: { anyOf: [{ type: 'number' }, { type: 'null' }] } }, required: ['type'] });
    expect(portableSchema({ items: [{ type: ['boolean'] }] })).toEqual({ items: [{ type: 'boolean' }] });
  });
});
