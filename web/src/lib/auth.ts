import Keycloak from 'keycloak-js';
import type { Viewer } from './permissions';

/** What the gateway tells the console at /console/config.json. */
export interface ConsoleConfig {
  keycloakUrl: string;
  realm: string;
  clientId: string;
  graphqlUrl: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch(`${import.meta.env.BASE_URL}config.json`);
  if (!res.ok) throw new Error(`the console's configuration could not be read (${res.status})`);
  return (await res.json()) as ConsoleConfig;
}

/**
 * Signs in through Keycloak's own page: authorization code with PKCE (S256) on the public
 * client, no password ever typed into the console; tokens kept in memory only.
 */
export async function signIn(config: ConsoleConfig): Promise<Keycloak> {
  const keycloak = new Keycloak({ url: config.keycloakUrl, realm: config.realm, clientId: config.clientId });
  await keycloak.init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false, responseMode: 'query' });
  return keycloak;
}

/** A fresh access token (refreshed when it has less than 30 s left). */
export async function accessToken(keycloak: Keycloak): Promise<string> {
  await keycloak.updateToken(30);
  return keycloak.token!;
}

const REALM_ROLES = new Set([
  'admin',
  'director',
  'me-officer',
  'campaign-manager',
  'training-coordinator',
  'partnership-officer',
  'advocacy-officer',
  'finance-officer',
  'regional-officer',
  'auditor',
  'viewer',
]);

export function viewerOf(keycloak: Keycloak): Viewer {
  const t = (keycloak.tokenParsed ?? {}) as { preferred_username?: string; realm_access?: { roles?: string[] }; region?: string };
  return {
    username: t.preferred_username ?? '',
    roles: (t.realm_access?.roles ?? []).filter((r) => REALM_ROLES.has(r)),
    region: t.region,
  };
}
