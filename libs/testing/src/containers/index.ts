/**
 * Disposable Kafka, store and Keycloak containers (Testcontainers on podman) for fault tests:
 * images built locally by `infra/` (infra/lib/images.js), ports on 127.0.0.1.
 */
export * from './runtime';
export * from './kafka';
export * from './store';
export * from './keycloak';
