import { Wait, type StartedTestContainer } from 'testcontainers';
import { DEV_PASSWORD } from '../keycloak';
import { LoopbackContainer, localImage } from './runtime';

export interface StartedKeycloak {
  container: StartedTestContainer;
  /** `http://127.0.0.1:<port>`; tokens carry this URL in their issuer (no fixed hostname). */
  url: string;
  realm: 'hrp';
  /** A password-grant access token of a dev user of realm hrp (not cached); rejects naming Keycloak's error. */
  token(user: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A disposable Keycloak from the local `hrp-keycloak` image: realm hrp (infra/keycloak/realm-hrp.json)
 * was imported when the image was built, so a container starts with it.
 */
export async function startKeycloak({ heap = '-Xms64m -Xmx512m' }: { heap?: string } = {}): Promise<StartedKeycloak> {
  const container = await new LoopbackContainer(localImage('keycloak'))
    .withExposedPorts(8080, 9000)
    .withEnvironment({ KEYCLOAK_HEAP: heap })
    .withWaitStrategy(Wait.forHttp('/health/ready', 9000).forStatusCode(200))
    .withStartupTimeout(180_000)
    .start();
  const url = `http://127.0.0.1:${container.getMappedPort(8080)}`;
  return {
    container,
    url,
    realm: 'hrp',
    token: (user, password = DEV_PASSWORD) => passwordGrant(url, user, password),
    stop: async () => {
      await container.stop();
    },
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
