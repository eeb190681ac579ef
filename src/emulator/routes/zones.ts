import { listReply } from '../paginate.js';
import type { Route } from '../router.js';

export const zoneRoutes: Route[] = [
  {
    pattern: /^\/api\/v1\/dns-zones\/$/,
    methods: {
      GET: {
        permission: 'dns:list',
        run: (c) => {
          // Exact filter on the stored (lower-case) domain, as the provider documents.
          const domain = c.query.get('domain');
          const zones = c.store.listZones(c.account).filter((z) => !domain || z.domain === domain);
          return listReply(c, zones);
        },
      },
      POST: {
        permission: 'dns:create',
        run: (c) => {
          const zone = c.store.createZone(c.body()['domain'], c.account);
          c.store.changed(zone.uuid);
          return { status: 201, body: c.store.renderDetail(zone) };
        },
      },
    },
  },
  {
    pattern: /^\/api\/v1\/dns-zones\/([^/]+)\/$/,
    methods: {
      GET: {
        permission: 'dns:list',
        run: (c) => ({ status: 200, body: c.store.renderDetail(c.store.zoneFor(c.params[0] ?? '', c.account)) }),
      },
      DELETE: {
        permission: 'dns:delete',
        run: (c) => {
          const zone = c.store.zoneFor(c.params[0] ?? '', c.account);
          c.store.deleteZone(zone);
          c.store.changed(zone.uuid);
          return { status: 204 };
        },
      },
    },
  },
  {
    pattern: /^\/api\/v1\/dns-zones\/([^/]+)\/records\/$/,
    methods: {
      GET: {
        permission: 'dns:list',
        run: (c) => {
          const zone = c.store.zoneFor(c.params[0] ?? '', c.account);
          return listReply(c, c.store.recordsOf(zone.uuid).map((r) => c.store.renderRecord(r)));
        },
      },
      POST: {
        permission: 'dns:create',
        run: (c) => {
          const zone = c.store.zoneFor(c.params[0] ?? '', c.account);
          const record = c.store.createRecord(zone, c.body());
          c.store.changed(zone.uuid);
          return { status: 201, body: c.store.renderRecord(record) };
        },
      },
    },
  },
];
