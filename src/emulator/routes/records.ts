import type { Call, Endpoint, Route } from '../router.js';
import { listReply } from '../paginate.js';

function update(partial: boolean): Endpoint {
  return {
    permission: 'dns:update',
    run: (c: Call) => {
      const record = c.store.recordFor(c.params[0] ?? '', c.account);
      c.store.updateRecord(record, c.body(), partial);
      c.store.changed(record.zone);
      return { status: 200, body: c.store.renderRecord(record) };
    },
  };
}

export const recordRoutes: Route[] = [
  {
    pattern: /^\/api\/v1\/dns-records\/$/,
    methods: {
      GET: {
        permission: 'dns:list',
        run: (c) => {
          // Like django-filter, an empty filter value is no filter.
          const zone = c.query.get('zone') || undefined;
          const type = c.query.get('record_type') || undefined;
          const mine = new Set(c.store.listZones(c.account).map((z) => z.uuid));
          const found = [...c.store.records.values()].filter(
            (r) => mine.has(r.zone) && (zone === undefined || r.zone === zone) && (type === undefined || r.record_type === type),
          );
          return listReply(c, found.map((r) => c.store.renderRecord(r)));
        },
      },
    },
  },
  {
    pattern: /^\/api\/v1\/dns-records\/([^/]+)\/$/,
    methods: {
      GET: {
        permission: 'dns:list',
        run: (c) => ({ status: 200, body: c.store.renderRecord(c.store.recordFor(c.params[0] ?? '', c.account)) }),
      },
      PUT: update(false),
      PATCH: update(true),
      DELETE: {
        permission: 'dns:delete',
        run: (c) => {
          const record = c.store.recordFor(c.params[0] ?? '', c.account);
          c.store.deleteRecord(record);
          c.store.changed(record.zone);
          return { status: 204 };
        },
      },
    },
  },
];
