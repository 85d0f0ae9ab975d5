'use strict';
// Servers are left running after a Jest run: several runs may share them (an editor's watch run,
// a second terminal). `npm test` stops the servers that it started itself when it finishes.
module.exports = async function globalTeardown() {};
