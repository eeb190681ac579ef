export { createApiClient, type ApiClientOptions } from './client.js';
export * from './errors.js';
export { path } from './path.js';
export { redactToken } from './redact.js';
export { normaliseName, normaliseValue, sameRecord } from './reconcile.js';
