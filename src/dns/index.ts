/** The raw-DNS layer: what the tools may use. No SDK imports below this directory. */
export { parseNameservers, resolveNameservers, withApexNameservers, DEFAULT_NAMESERVERS } from './nameservers.js';
export type { NameserverSpec, NameserverAddress, LookupFn } from './nameservers.js';
export { queryDns } from './query.js';
export type { QueryResult, QueryOptions, Answer } from './query.js';
export { checkPropagation, checkZonePropagation } from './propagation.js';
export type { PropagationInput, PropagationProgress, PropagationResult, ServerStatus, ZonePropagationInput, ZonePropagationResult } from './propagation.js';
export { checkDelegation, ROOT_HINTS } from './delegation.js';
export type { DelegationInput, DelegationResult, DelegationServer } from './delegation.js';
export { laggingLines, renderPropagation, renderZonePropagation, renderDelegation } from './render.js';
export { canonicalValue, expectedFromRecords, recordSets } from './values.js';
export type { ApiRecordLike, ExpectedSet } from './values.js';
export { ownerName } from './names.js';
