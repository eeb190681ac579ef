import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';
import { allowedChannels, checkHumanFor, chooseChannel, needsHuman, type ClientOffers } from '../../src/safety/channel.js';

const cfg = (mode?: string, humanFor?: string) => loadConfig({ ...(mode ? { VPSORG_CONFIRM_MODE: mode } : {}), ...(humanFor ? { VPSORG_HUMAN_FOR: humanFor } : {}) });
const offers = (...o: Array<keyof ClientOffers>): ClientOffers => ({ app: o.includes('app'), url: o.includes('url'), form: o.includes('form') });
const pick = (c: ReturnType<typeof chooseChannel>) => ('channel' in c ? c.channel : c.refusal.code);

describe('confirmation modes', () => {
  it('auto is the default, and both (older configs) is read as auto', () => {
    expect(cfg().confirmMode).toBe('auto');
    expect(cfg('both').confirmMode).toBe('auto');
    expect(cfg('HUMAN').confirmMode).toBe('human');
    expect(() => cfg('sometimes')).toThrow(/auto, human, token, elicit or form-first/);
  });

  it('auto takes the strongest channel the client offers: app, url, form, then the token', () => {
    const c = cfg();
    expect(pick(chooseChannel(c, 'delete_zone', ['delete'], offers('app', 'url', 'form')))).toBe('app');
    expect(pick(chooseChannel(c, 'delete_zone', ['delete'], offers('url', 'form')))).toBe('url');
    expect(pick(chooseChannel(c, 'delete_zone', ['delete'], offers('form')))).toBe('form');
    expect(pick(chooseChannel(c, 'delete_zone', ['delete'], offers()))).toBe('token');
  });

  it('human never offers the token: a client with no human channel gets a refusal that says how to approve', () => {
    const c = cfg('human');
    expect(pick(chooseChannel(c, 'delete_record', ['delete'], offers('form')))).toBe('form');
    const r = chooseChannel(c, 'delete_record', ['delete'], offers());
    expect('refusal' in r && r.refusal.code).toBe('human_approval_unavailable');
    if (!('refusal' in r)) throw new Error('expected a refusal');
    expect(r.refusal.message).toContain('VPSORG_CONFIRM_MODE=human');
    expect(r.refusal.message).toContain('Nothing was changed');
    expect(r.refusal.hint).toMatch(/client that supports elicitation/);
    expect(r.refusal.hint).toContain('vpsorg-dns-mcp call delete_record ... --approve-in-browser');
  });

  it('form-first (issue 22.12): the form ahead of the page, for clients that declare URL elicitation but never open the page', () => {
    const c = cfg('form-first');
    expect(c.confirmMode).toBe('form-first');
    expect(pick(chooseChannel(c, 'delete_record', ['delete'], offers('url', 'form')))).toBe('form');
    expect(pick(chooseChannel(c, 'delete_record', ['delete'], offers('app', 'url', 'form')))).toBe('app');
    expect(pick(chooseChannel(c, 'delete_record', ['delete'], offers('url')))).toBe('url');
    expect(pick(chooseChannel(c, 'delete_record', ['delete'], offers()))).toBe('token');
    // A change only a person may confirm keeps the order and never falls back to the token.
    expect(allowedChannels(cfg('form-first', 'delete'), 'delete_record', ['delete'])).toEqual(['app', 'form', 'url']);
  });

  it('token mode uses the token even when the client could ask; elicit mode only the form', () => {
    expect(pick(chooseChannel(cfg('token'), 'delete_zone', ['delete'], offers('app', 'url', 'form')))).toBe('token');
    expect(pick(chooseChannel(cfg('elicit'), 'delete_zone', ['delete'], offers('url', 'form')))).toBe('form');
    expect(pick(chooseChannel(cfg('elicit'), 'delete_zone', ['delete'], offers('url')))).toBe('elicitation_unavailable');
  });

  it('VPSORG_HUMAN_FOR names operations and effects: those need a person, whatever the mode; others keep the token', () => {
    const c = cfg('auto', 'delete_zone, ns');
    expect(c.humanFor).toEqual(['delete_zone', 'ns']);
    expect(needsHuman(c, 'delete_zone', ['delete'])).toBe(true);
    expect(needsHuman(c, 'apply_zone', ['ns'])).toBe(true);
    expect(needsHuman(c, 'apply_zone', ['delete', 'blast_radius'])).toBe(false);
    expect(allowedChannels(c, 'delete_record', ['delete'])).toContain('token');
    expect(allowedChannels(c, 'undo_change', ['ns'])).not.toContain('token');
    expect(pick(chooseChannel(cfg('token', 'ns'), 'create_record', ['ns'], offers()))).toBe('human_approval_unavailable');
    const r = chooseChannel(c, 'apply_zone', ['ns'], offers());
    if (!('refusal' in r)) throw new Error('expected a refusal');
    expect(r.refusal.message).toContain('VPSORG_HUMAN_FOR=delete_zone,ns requires a person to approve this change (ns)');
  });

  it('a VPSORG_HUMAN_FOR entry naming no operation or effect is refused at start', () => {
    expect(() => checkHumanFor(['delete_zones'], ['delete_zone', 'apply_zone'])).toThrow(ConfigError);
    expect(() => checkHumanFor(['delete_zones'], ['delete_zone'])).toThrow(/unknown "delete_zones"/);
    expect(() => checkHumanFor(['delete_zone', 'ns', 'blast_radius'], ['delete_zone'])).not.toThrow();
    expect(() => cfg('auto', 'delete zone')).toThrow(/VPSORG_HUMAN_FOR/);
  });
});
