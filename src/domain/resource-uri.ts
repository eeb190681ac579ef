/** The zone resources' URIs, which the gate's texts and the resources both name. */
export type ZoneResourceName = 'zonefile' | 'records';

export function zoneResourceUri(kind: ZoneResourceName, domain: string): string {
  return `vpsorg://zones/${domain}/${kind}`;
}
