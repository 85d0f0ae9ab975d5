import { Wait, type StartedTestContainer } from 'testcontainers';
import { DEV_PASSWORD } from '../keycloak';
import { eventually } from '../wait';
import { LoopbackContainer, freePort, haltContainer, killContainer, localImage, startContainerAgain } from './runtime';

export interface StartedKeycloak {
  container: StartedTestContainer;
  /** `http://127.0.0.1:<port>`; tokens carry this URL in their issuer (no fixed hostname). */
  url: string;
  realm: 'hrp';
  /** A password-grant access token of a dev user of realm hrp (not cached); rejects naming Keycloak's error. */
  token(user: string, password?: string): Promise<string>;
  /** A graceful stop (SIGTERM) that keeps the container, its realm and its signing keys. */
  halt(): Promise<void>;
  /** SIGKILL to Keycloak; the container is kept for {@link StartedKeycloak.restart}. */
  kill(): Promise<void>;
  /** Starts the halted or killed Keycloak again on the same URL; resolves once realm hrp answers. */
  restart(): Promise<void>;
  /** Stops and removes the container. */
  stop(): Promise<void>;
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
  return {
    container,
    url,
    realm: 'hrp',
    token: (user, password = DEV_PASSWORD) => passwordGrant(url, user, password),
    halt: () => haltContainer(container),
    kill: () => killContainer(container),
    restart: async () => {
      await startContainerAgain(container);
      await eventually(
        'the restarted Keycloak to serve realm hrp',
        async () => (await fetch(`${url}/realms/hrp/.well-known/openid-configuration`)).ok,
        { timeoutMs: 180_000, intervalMs: 1000 },
      );
    },
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
