/**
 * Test harness for integration and end-to-end tests against the real servers started by
 * `infra/` (once per Jest run, see jest/global-setup.js). Each test file isolates itself with
 * its own database name and topic prefix; tokens come from the real Keycloak.
 */
export * from './isolation';
export * from './keycloak';
export * from './infra';
export * from './wait';
export * from './apps';
export * from './proxy';
export * from './stack';
export * from './schema-snapshot';
export * from './containers';
export * from './pdf';
