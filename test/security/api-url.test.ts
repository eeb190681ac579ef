// Issue 13 point 10: the API token does not cross the network in plain text by accident.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('a plain http:// API URL', () => {
  it.each(['http://admin.vps.org', 'http://10.0.0.5:8000', 'http://api.internal/'])('to %s is refused at start', (url) => {
    expect(() => loadConfig({ VPSORG_API_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ VPSORG_API_URL: url })).toThrow(/VPSORG_ALLOW_HTTP_API/);
  });

  it('is accepted when the operator allows it explicitly', () => {
    expect(loadConfig({ VPSORG_API_URL: 'http://api.internal', VPSORG_ALLOW_HTTP_API: 'true' }).apiUrl).toBe('http://api.internal');
  });

  it.each(['http://127.0.0.1:8000', 'http://localhost:9000', 'http://[::1]:8000', 'https://admin.vps.org'])('to loopback, or https, is accepted: %s', (url) => {
    expect(() => loadConfig({ VPSORG_API_URL: url })).not.toThrow();
  });
});
