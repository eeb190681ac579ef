import type { Route } from '../router.js';
import { accountRoutes } from './account.js';
import { recordRoutes } from './records.js';
import { zoneRoutes } from './zones.js';

export const routes: Route[] = [...zoneRoutes, ...recordRoutes, ...accountRoutes];
