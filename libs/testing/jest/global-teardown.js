'use strict';
const infra = require('../../../infra/lib/servers');

module.exports = async function globalTeardown() {
  const started = globalThis.__HRP_INFRA_STARTED__ || [];
  if (started.length && process.env.HRP_KEEP_INFRA !== '1') await infra.down({ instance: 'main', only: started });
};
