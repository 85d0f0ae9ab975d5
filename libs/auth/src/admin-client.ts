import * as NodeModule from 'node:module';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';

type AdminClientClass = typeof KeycloakAdminClient;

/**
 * Loads the official Keycloak Admin REST client. It is published as ES modules only; Node ≥ 20.19
 * can `require()` them. Node's own loader (`Module._load`) is used rather than the ambient
 * `require`, which a test runner replaces with a registry that cannot load ES modules.
 */
export function loadKeycloakAdminClient(): AdminClientClass {
  const loader = NodeModule as unknown as { _load(request: string, parent: unknown, isMain: boolean): { default: AdminClientClass } };
  const resolved = require.resolve('@keycloak/keycloak-admin-client');
  return loader._load(resolved, null, false).default;
}

export interface AdminClientOptions {
  keycloakUrl: string;
  realm: string;
  clientId: string;
  clientSecret: string;
}

/** An Admin REST client authenticated as the confidential client's service account. */
export async function serviceAccountAdminClient(opts: AdminClientOptions) {
  const KcAdminClient = loadKeycloakAdminClient();
  const client = new KcAdminClient({ baseUrl: opts.keycloakUrl, realmName: opts.realm });
  await client.auth({ grantType: 'client_credentials', clientId: opts.clientId, clientSecret: opts.clientSecret });
  return client;
}
