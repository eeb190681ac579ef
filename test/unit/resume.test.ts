import { describe, expect, it } from 'vitest';
import { RESUME_GRACE_MS, openResume, signResume } from '../../src/safety/resume.js';
import { confirmKey, signToken, verifyToken } from '../../src/safety/confirm.js';
import { waitWindow } from '../../src/tools/kit/propagation-wait.js';
import { loadConfig } from '../../src/config.js';

const SECRET = 'a-shared-secret-of-replicas';
const data = { op: 'check_propagation', deadline: Date.now() + 60_000, wait: { zone: 'example.com', name: 'www', record_type: 'A', expected: ['192.0.2.1'] } };

describe('resume handles', () => {
  it('round-trip on any process with the same VPSORG_CONFIRM_SECRET', () => {
    expect(openResume(SECRET, signResume(SECRET, data), 'check_propagation', Date.now())).toEqual(data);
  });

  it('refuse a tampered, foreign-keyed, expired or other-operation handle', () => {
    const h = signResume(SECRET, data);
    const [body, sig] = h.split('.') as [string, string];
    const json = JSON.parse(Buffer.from(body, 'base64url').toString()) as { wait: { expected: string[] } };
    json.wait.expected = ['203.0.113.66'];
    const forged = `${Buffer.from(JSON.stringify(json)).toString('base64url')}.${sig}`;
    expect(() => openResume(SECRET, forged, 'check_propagation', Date.now())).toThrow(/integrity/);
    expect(() => openResume('another-secret-of-16+', h, 'check_propagation', Date.now())).toThrow(/integrity/);
    expect(() => openResume(SECRET, h, 'check_propagation', data.deadline + RESUME_GRACE_MS + 1)).toThrow(/expired/);
    expect(() => openResume(SECRET, h, 'acme_challenge', Date.now())).toThrow(/resumes check_propagation/);
    expect(() => openResume(SECRET, 'not a handle', 'check_propagation', Date.now())).toThrow(/malformed/);
  });

  it('are never confirm tokens, nor the reverse', () => {
    const key = confirmKey(SECRET);
    const token = signToken(key, 'confirm', 'delete_zone', 'args', 'state', Date.now()).token;
    expect(() => openResume(SECRET, token, 'check_propagation', Date.now())).toThrow(/integrity/);
    expect(() => verifyToken(key, signResume(SECRET, data), { purpose: 'confirm', op: 'check_propagation', args: 'x' }, Date.now())).toThrow();
  });
});

describe('the inline wait cap', () => {
  const config = loadConfig({ VPSORG_MAX_INLINE_WAIT_S: '45' });
  it('caps an MCP call at VPSORG_MAX_INLINE_WAIT_S; the CLI (no cap) waits it all', () => {
    expect(config.maxInlineWaitS).toBe(45);
    expect(waitWindow({ config, inlineWaitS: 45 }, 'check_propagation', { wait_seconds: 600 }).inlineSeconds).toBe(45);
    expect(waitWindow({ config }, 'check_propagation', { wait_seconds: 600 }).inlineSeconds).toBe(600);
    expect(waitWindow({ config, inlineWaitS: 45 }, 'check_propagation', { wait_seconds: 10 }).inlineSeconds).toBe(10);
  });

  it('refuses a bad setting, naming it', () => {
    expect(() => loadConfig({ VPSORG_MAX_INLINE_WAIT_S: '0' })).toThrow(/VPSORG_MAX_INLINE_WAIT_S/);
    expect(() => loadConfig({ VPSORG_MAX_INLINE_WAIT_S: '4.5' })).toThrow(/VPSORG_MAX_INLINE_WAIT_S/);
  });
});
