import { Wait } from 'testcontainers';
import { DEV_PASSWORD } from '../keycloak';
import { LoopbackContainer, containerFaults, freePort, localImage, type ContainerFaults } from './runtime';

export interface StartedKeycloak extends ContainerFaults {
  /** `http://127.0.0.1:<port>`; tokens carry this URL in their issuer (no fixed hostname). */
  url: string;
  realm: 'hrp';
  /** A password-grant access token of a dev user of realm hrp (not cached); rejects naming Keycloak's error. */
  token(user: string, password?: string): Promise<string>;
}

/**
 * A disposable Keycloak from the local `hrp-keycloak` image: realm hrp (infra/keycloak/realm-hrp.json)
 * was imported when the image was built, so a container starts with it. Its HTTP port is fixed at
 * the start (`port`, or a free one): tokens carry the URL in their issuer, so a restart must keep it.
 */
export async function startKeycloak({ heap = '-Xms64m -Xmx512m', port }: { heap?: string; port?: number } = {}): Promise<StartedKeycloak> {
  const hostPort = port ?? (await freePort());
  const container = await new LoopbackContainer(localImage('keycloak'))
    .withExposedPorts({ container: 8080, host: hostPort }, 9000)
    .withEnvironment({ KEYCLOAK_HEAP: heap })
    .withWaitStrategy(Wait.forHttp('/health/ready', 9000).forStatusCode(200))
    .withStartupTimeout(180_000)
    .start();
  const url = `http://127.0.0.1:${hostPort}`;
  const servesRealm = async () => (await fetch(`${url}/realms/hrp/.well-known/openid-configuration`)).ok;
  return {
    ...containerFaults(container, 'Keycloak (realm hrp)', servesRealm, 180_000),
    url,
    realm: 'hrp',
    token: (user, password = DEV_PASSWORD) => passwordGrant(url, user, password),
  };
}

async function passwordGrant(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/realms/hrp/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'hrp-web', username, password, scope: 'openid' }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed (${res.status}): ${body.error} ${body.error_description ?? ''}`);
  return body.access_token;
}
