/**
 * What every container helper shares: the images `infra/` built (var/podman/images.json, written by
 * `node infra/infra.js images`, which Jest's global setup runs), the environment Testcontainers
 * needs to drive podman's Docker API, ports published on 127.0.0.1 only, and pause/unpause.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';

// infra/ is plain CommonJS run before `npm install` (no package of its own): required by path.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const images = require('../../../../infra/lib/images') as { MANIFEST: string };

export type ImageName = 'kafka' | 'store' | 'keycloak';

interface Manifest {
  images: Partial<Record<ImageName, string>>;
  env: Record<string, string>;
}

let manifest: Manifest | undefined;

/**
 * The tag of a local image, and Testcontainers' environment set for this process (DOCKER_HOST on
 * the podman socket, Ryuk off since its image cannot be pulled, host override 127.0.0.1).
 */
export function localImage(name: ImageName): string {
  if (!manifest) {
    try {
      manifest = JSON.parse(fs.readFileSync(images.MANIFEST, 'utf8')) as Manifest;
    } catch {
      throw new Error(`no container images are prepared (${images.MANIFEST} is missing): run \`node infra/infra.js images\``);
    }
    for (const [k, v] of Object.entries(manifest.env)) process.env[k] ??= v;
  }
  const tag = manifest.images[name];
  if (!tag) throw new Error(`the ${name} image is not prepared: run \`node infra/infra.js images\``);
  return tag;
}

/** A GenericContainer whose published ports listen on 127.0.0.1 only, labelled as an HRP test container. */
export class LoopbackContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.withLabels({ 'hrp.test': 'true' });
  }

  protected override beforeContainerCreated(): Promise<void> {
    const bindings = (this.hostConfig.PortBindings ?? {}) as Record<string, { HostIp?: string }[]>;
    for (const list of Object.values(bindings)) for (const b of list) b.HostIp = '127.0.0.1';
    return Promise.resolve();
  }
}

/** A TCP port free on 127.0.0.1 now (for a server that must know its published port in advance). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The host addresses each published port of a container listens on, from the engine's own record. */
export async function publishedAddresses(container: StartedTestContainer): Promise<string[]> {
  const client = await getContainerRuntimeClient();
  const info = await client.container.getById(container.getId()).inspect();
  const bindings = (info.HostConfig.PortBindings ?? {}) as Record<string, { HostIp?: string }[]>;
  return Object.values(bindings).flatMap((list) => list.map((b) => b.HostIp ?? ''));
}

/** Freezes every process of the container (cgroup freezer): it keeps its sockets but answers nothing. */
export async function pauseContainer(container: StartedTestContainer): Promise<void> {
  const client = await getContainerRuntimeClient();
  await client.container.getById(container.getId()).pause();
}

export async function unpauseContainer(container: StartedTestContainer): Promise<void> {
  const client = await getContainerRuntimeClient();
  await client.container.getById(container.getId()).unpause();
}
