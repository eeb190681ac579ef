// The resource-reading code, behind one lazy import (one split point, fewer files at start).
export { completeZoneDomain, readZoneResource } from './zones.js';
export { listZoneResources } from './list.js';
