import type { Route } from '../router.js';

export const accountRoutes: Route[] = [
  {
    pattern: /^\/api\/v1\/account\/me\/$/,
    methods: {
      GET: {
        permission: null, // any valid token, whatever its permissions
        run: (c) => ({
          status: 200,
          body: { account: c.profile, token: { name: c.token.name ?? 'emulator token', permissions: [...c.token.permissions] } },
        }),
      },
    },
  },
];
