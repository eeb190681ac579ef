import { RECORD_TYPES, type RecordType } from '../api/types.js';
import { invalid } from './api-error.js';
import { normalizeRecordName } from './names.js';
import { checkValue } from './values.js';

export const DEFAULT_TTL = 3600;
const TTL_MIN = 60;
const TTL_MAX = 604800;

/** A record's fields once validated and normalised, ready to store. */
export interface RecordFields {
  record_type: RecordType;
  name: string;
  value: string;
  ttl: number;
  priority: number | null;
}

// DRF's IntegerField accepts a JSON number or a string of digits; so does the emulator.
function toInt(input: unknown): number | undefined {
  if (typeof input === 'number' && Number.isInteger(input)) return input;
  if (typeof input === 'string' && /^-?\d{1,10}$/.test(input.trim())) return Number(input.trim());
  return undefined;
}

function checkType(input: unknown): RecordType {
  if (input === undefined || input === null || input === '') {
    throw invalid('record_type', `record_type is required: one of ${RECORD_TYPES.join(', ')}`);
  }
  const found = RECORD_TYPES.find((t) => t === input);
  if (!found) {
    throw invalid('record_type', `${JSON.stringify(input)} is not a valid record_type: use one of ${RECORD_TYPES.join(', ')} (upper case)`);
  }
  return found;
}

function checkTtl(input: unknown): number {
  if (input === undefined || input === null) return DEFAULT_TTL;
  const ttl = toInt(input);
  if (ttl === undefined || ttl < TTL_MIN || ttl > TTL_MAX) {
    throw invalid('ttl', `ttl must be an integer number of seconds from ${TTL_MIN} to ${TTL_MAX} (e.g. 3600)`);
  }
  return ttl;
}

function checkPriority(type: RecordType, input: unknown): number | null {
  // The provider ignores priority on types that have none; it is stored as null.
  if (type !== 'MX' && type !== 'SRV') return null;
  if (input === undefined || input === null || input === '') {
    throw invalid('priority', `${type} records require a priority value`);
  }
  const priority = toInt(input);
  if (priority === undefined || priority < 0 || priority > 65535) {
    throw invalid('priority', 'priority must be an integer from 0 to 65535');
  }
  return priority;
}

/** Validates a whole record (a POST or PUT body, or a PATCH merged over the stored record). */
export function validateRecord(input: Record<string, unknown>, zoneDomain: string): RecordFields {
  const record_type = checkType(input['record_type']);
  const name = normalizeRecordName(input['name'], zoneDomain);
  const value = checkValue(record_type, input['value']);
  const ttl = checkTtl(input['ttl']);
  const priority = checkPriority(record_type, input['priority']);
  return { record_type, name, value, ttl, priority };
}
