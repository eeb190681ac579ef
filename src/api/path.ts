import { UserError } from '../errors.js';

/**
 * Builds an API path with every interpolated value percent-encoded as one segment, so an id such
 * as `../../x` or `a?b#c` can never leave the documented path (the Stainless `path` pattern).
 * `.` and `..` (also as `%2e`) are refused outright: URL parsers resolve them as dot segments
 * even when percent-encoded (WHATWG URL), which would walk out of the path.
 *
 *   path`/dns-records/${id}/`  ->  '/dns-records/a%3Fb%23c/'
 */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += encodeSegment(String(value)) + (strings[i + 1] ?? '');
  });
  return out;
}

function encodeSegment(value: string): string {
  if (value.trim() === '' || /^(\.|%2e){1,2}$/i.test(value)) {
    throw new UserError(`The id ${JSON.stringify(value)} is not a valid zone or record id.`, {
      code: 'validation',
      field: 'id',
      hint: 'Use the uuid shown by the list tools (e.g. 3f2b8c1e-9d4a-4b7e-8f0a-1c2d3e4f5a6b).',
    });
  }
  return encodeURIComponent(value);
}
