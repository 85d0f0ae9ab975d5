'use strict';
// Once per Jest run: make sure the real servers of the `main` infra instance are up (the
// start is idempotent: servers already running — e.g. started by `npm test` — are reused).
// HRP_SKIP_INFRA=1 skips it for a unit-only run on a machine without the servers.
const infra = require('../../../infra/lib/servers');

module.exports = async function globalSetup() {
  if (process.env.HRP_SKIP_INFRA === '1') return;
  await infra.up({ instance: 'main' });
};
