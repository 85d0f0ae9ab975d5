'use strict';
// Once per Jest run: make sure the real servers of the `main` infra instance are up (the
// start is idempotent: servers already running — e.g. started by `npm test` — are reused), and
// that the container images of the Testcontainers modules are built (cached by content hash)
// and podman serves the Docker API.
// HRP_SKIP_INFRA=1 skips both for a unit-only run on a machine without the servers;
// HRP_SKIP_IMAGES=1 skips the images only (then the container tests fail, naming the command).
const infra = require('../../../infra/lib/servers');
const images = require('../../../infra/lib/images');

module.exports = async function globalSetup() {
  if (process.env.HRP_SKIP_INFRA === '1') return;
  await infra.up({ instance: 'main' });
  if (process.env.HRP_SKIP_IMAGES !== '1') await images.prepare();
};
