/**
 * octoDNS's blast-radius thresholds: more than 30% updated/deleted of a zone with 10+ records.
 * The policy that applies them (with deletes, NS changes and the per-zone budget) is
 * src/safety/effect.ts.
 */
export const RISK_FRACTION = 0.3;
export const RISK_MIN_RECORDS = 10;
