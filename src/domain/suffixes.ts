/**
 * Public suffixes (issue 22.7): where a registrable domain begins. The data is the Public Suffix
 * List's ICANN section as the maintained `tldts` package ships it (no network at run time); it is
 * loaded on first use, so starting the server does not pay for it.
 */

/** The number of labels of the listed public suffix `dotted` ends in (`co.uk` is 2); 0 when none is listed. */
export type SuffixLabels = (dotted: string) => number;

let loading: Promise<SuffixLabels> | undefined;

export function loadSuffixes(): Promise<SuffixLabels> {
  loading ??= import('tldts').then((mod) => {
    // Bundled by esbuild, the package's CommonJS build arrives as `default` only.
    const { parse } = 'parse' in mod ? mod : (mod as unknown as { default: typeof mod }).default;
    return (dotted: string) => {
      // Owner names are not hostnames (`_dmarc`, `*`): read the labels, do not validate them.
      const p = parse(dotted, { allowPrivateDomains: false, validateHostname: false, extractHostname: false, detectIp: false, mixedInputs: false });
      // Unlisted endings (`staging`, `internal`) match only the list's implicit `*` rule: not a suffix.
      return p.isIcann && p.publicSuffix ? p.publicSuffix.split('.').length : 0;
    };
  });
  return loading;
}
