/** The pure domain layer: record model, validation, diff/plan, zone files. No I/O, no SDK. */
export * from './model.js';
export { escapeForDisplay } from './display.js';
export { validateRecord, validateRecords, validateZoneRecords, describeRecord, EXAMPLE_VALUES } from './validate.js';
export { diffRecords, applyChanges, renderDiff } from './diff.js';
export type { Change, ChangeField, CurrentRecord } from './diff.js';
export { displayRecord, displayValue } from './render-diff.js';
export { validatePlanResult } from './plan-check.js';
export { renderZoneFile, parseZoneFile, PROVIDER_NAMESERVERS, PROVIDER_NS_MARK } from './zonefile.js';
export type { ZoneFileOptions, ParsedZone } from './zonefile.js';
