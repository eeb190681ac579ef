import { describe, expect, it } from 'vitest';
import { pathTemplate } from '../../src/api/transport.js';

describe('pathTemplate (the route label of API spans and metrics)', () => {
  it('keeps the documented words and replaces ids and domains', () => {
    expect(pathTemplate('/api/v1/dns-zones/3f1c9a2e-0000-4000-8000-000000000001/records/?page=2')).toBe('/api/v1/dns-zones/{id}/records/');
    expect(pathTemplate('/api/v1/account/me/')).toBe('/api/v1/account/me/');
  });

  it('gives a hostile provider no way to grow the label set: unknown words and long paths collapse', () => {
    const labels = new Set(['/api/v1/dns-zones/abcdef/records/', '/api/v1/dns-zones/ghijkl/records/', '/api/v1/dns-records/zzz/', '/api/v1/dns-records/yyy/'].map(pathTemplate));
    expect([...labels].sort()).toEqual(['/api/v1/dns-records/{id}/', '/api/v1/dns-zones/{id}/records/']);
    expect(pathTemplate('/a/b/c/d/e/f/g/h/i/j/k/l')).toBe('/{id}/{id}/{id}/{id}/{id}/{id}/{id}');
  });
});
