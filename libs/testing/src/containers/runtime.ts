import { eventually } from '../wait';
/**
 * What every container helper shares: the images `infra/` built (var/podman/images.json, written by
 * `node infra/infra.js images`, which Jest's global setup runs), the environment Testcontainers
 * needs to drive podman's Docker API, ports published on 127.0.0.1 only, and pause/unpause.
 */
import { spawnSync } from 'node:child_process';
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

/**
 * Sends `signal` (default SIGKILL: a crash, the OOM killer) to the container's processes and waits
 * until it has stopped. The container is kept, with its files: {@link startContainerAgain} resumes it.
 */
export async function killContainer(container: StartedTestContainer, signal = 'SIGKILL'): Promise<void> {
  const c = (await getContainerRuntimeClient()).container.getById(container.getId());
  await c.kill({ signal });
  await untilStopped(container);
}

/** A graceful stop (SIGTERM, SIGKILL after `timeoutSeconds`) that keeps the container and its files. */
export async function haltContainer(container: StartedTestContainer, timeoutSeconds = 10): Promise<void> {
  const c = (await getContainerRuntimeClient()).container.getById(container.getId());
  await c.stop({ t: timeoutSeconds });
  await untilStopped(container);
}

/**
 * Starts a killed or halted container again: the same files and the same published ports (a
 * module that fixes its host port keeps its address). Readiness is the caller's to wait for.
 */
export async function startContainerAgain(container: StartedTestContainer): Promise<void> {
  await (await getContainerRuntimeClient()).container.getById(container.getId()).start();
}

async function untilStopped(container: StartedTestContainer): Promise<void> {
  const c = (await getContainerRuntimeClient()).container.getById(container.getId());
  for (let i = 0; i < 300; i++) {
    if (!(await c.inspect()).State.Running) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`container ${container.getId().slice(0, 12)} still runs 30 s after it was stopped`);
}

/**
 * Cuts the container off every network it is on (`podman network disconnect`): its processes run
 * on, but nothing reaches them through the published ports, and connections open at the cut go
 * dead without an answer. Resolves to the function that connects it again (the same networks;
 * the published ports come back with them).
 *
 * While the container is off, a helper container on the same networks keeps their bridges up,
 * so that the host keeps routing the container's address to the bridge (where nobody answers)
 * rather than to its default gateway, off the machine; the cut is refused if the route says
 * otherwise.
 */
export async function disconnectNetworks(container: StartedTestContainer): Promise<() => Promise<void>> {
  const client = await getContainerRuntimeClient();
  const info = await client.container.getById(container.getId()).inspect();
  const networks = Object.entries(info.NetworkSettings.Networks ?? {}).map(([name, n]) => ({ name, ip: n.IPAddress }));
  if (networks.length === 0) throw new Error(`container ${container.getId().slice(0, 12)} is on no network`);
  const docker = client.container.dockerode;
  const keeper = await docker.createContainer({
    Image: info.Config.Image,
    Entrypoint: ['sleep', 'infinity'],
    Labels: { 'hrp.test': 'true' },
    HostConfig: { NetworkMode: networks[0].name },
  });
  await keeper.start();
  const reconnect = async () => {
    try {
      for (const { name } of networks) await docker.getNetwork(name).connect({ Container: container.getId() });
    } finally {
      await keeper.remove({ force: true });
    }
  };
  try {
    for (const { ip } of networks) assertOnMachine(ip);
    for (const { name } of networks) await docker.getNetwork(name).disconnect({ Container: container.getId(), Force: true });
    for (const { ip } of networks) assertOnMachine(ip);
  } catch (e) {
    await reconnect().catch(() => undefined);
    throw e;
  }
  return reconnect;
}

/** Throws unless the host routes `ip` to a local device directly (no gateway: it stays on the machine). */
function assertOnMachine(ip: string): void {
  const r = spawnSync('ip', ['-j', 'route', 'get', ip], { encoding: 'utf8' });
  const [route] = (r.status === 0 ? JSON.parse(r.stdout) : []) as { dev?: string; gateway?: string }[];
  if (!route?.dev || route.gateway)
    throw new Error(`the host would route ${ip} ${route?.gateway ? `through ${route.gateway}` : 'nowhere'}: no network cut here`);
}

/** What a test does to a disposable server: freeze it, kill it, stop it, restart it with its data, remove it. */
export interface ContainerFaults {
  container: StartedTestContainer;
  /** Freezes every process of the container (SIGSTOP-like); connections stay open, unanswered. */
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** SIGKILL; the container and its data stay for {@link ContainerFaults.restart}. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM) that keeps the container and its data. */
  halt(): Promise<void>;
  /** Starts the killed or halted server again on the same host port, with its data; resolves once it answers. */
  restart(): Promise<void>;
  /** Stops and removes the container. */
  stop(): Promise<void>;
}

/** The faults of a started container; `answers` tells when the restarted server serves again. */
export function containerFaults(
  container: StartedTestContainer,
  what: string,
  answers: () => Promise<boolean>,
  restartTimeoutMs = 90_000,
): ContainerFaults {
  return {
    container,
    pause: () => pauseContainer(container),
    unpause: () => unpauseContainer(container),
    kill: () => killContainer(container),
    halt: () => haltContainer(container),
    restart: async () => {
      await startContainerAgain(container);
      await eventually(`the restarted ${what} to answer`, answers, { timeoutMs: restartTimeoutMs, intervalMs: 500 });
    },
    stop: async () => {
      await container.stop();
    },
  };
}
