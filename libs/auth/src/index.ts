export * from './principal';
export * from './keycloak-verifier';
export * from './admin-client';
export * from './guard';
export * from './revocations';
