/**
 * Typed access to the project's own `infra/` code, for fault tests that need a server instance
 * of their own (other ports, other data folder) so that stopping it disturbs no other test.
 */
// infra/ is plain CommonJS run before `npm install` (no package of its own): required by path.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const servers = require('../../../infra/lib/servers') as InfraModule;

export type ServerName = 'store' | 'kafka' | 'keycloak' | 'postgres';
export interface InfraPorts {
  kafka: number;
  kafkaController: number;
  store: number;
  keycloak: number;
  keycloakManagement: number;
  /** FerretDB's PostgreSQL backend. */
  postgres: number;
}
interface InfraModule {
  up(o: {
    instance: string;
    only?: ServerName[];
    ports?: Partial<InfraPorts>;
  }): Promise<{ started: string[]; reused: string[]; ports: InfraPorts }>;
  status(o: { instance: string }): Promise<Record<ServerName, { pid: number | null; healthy: boolean; label: string }>>;
  readPid(instance: string, name: ServerName): number | null;
  down(o: { instance: string; only?: ServerName[] }): Promise<string[]>;
  stopProcess(instance: string, name: ServerName, o?: { graceMs?: number; signal?: NodeJS.Signals }): Promise<boolean>;
  signalServer(instance: string, name: ServerName, sig: NodeJS.Signals): void;
  wipe(instance: string): void;
  residentKb(instance: string, name: ServerName): number | null;
}

export interface PrivateInfra {
  instance: string;
  ports: InfraPorts;
  /** Starts (or restarts) the named servers of this instance and waits for health. */
  start(only?: ServerName[]): Promise<void>;
  /** Stops a server the hard way (SIGKILL) or gracefully. */
  stop(name: ServerName, opts?: { hard?: boolean }): Promise<void>;
  /** SIGSTOP / SIGCONT: the process stays but answers nothing. */
  pause(name: ServerName): void;
  resume(name: ServerName): void;
  /** Stops everything of this instance and removes its data. */
  destroy(): Promise<void>;
}

/**
 * A private instance of the real servers, on ports `base`…`base+4`, e.g. for a test that stops
 * Kafka while writing. Call `destroy()` in afterAll.
 */
export function privateInfra(name: string, base: number): PrivateInfra {
  const instance = `fault-${name}`;
  const ports: InfraPorts = {
    kafka: base,
    kafkaController: base + 1,
    store: base + 2,
    keycloak: base + 3,
    keycloakManagement: base + 4,
    postgres: base + 5,
  };
  return {
    instance,
    ports,
    async start(only = ['store', 'kafka']) {
      await servers.up({ instance, only, ports });
    },
    async stop(server, { hard = false } = {}) {
      await servers.stopProcess(instance, server, hard ? { signal: 'SIGKILL', graceMs: 5000 } : {});
    },
    pause: (server) => servers.signalServer(instance, server, 'SIGSTOP'),
    resume: (server) => servers.signalServer(instance, server, 'SIGCONT'),
    async destroy() {
      for (const s of ['keycloak', 'kafka', 'store', 'postgres'] as const) {
        try {
          servers.signalServer(instance, s, 'SIGCONT');
        } catch {
          /* not running */
        }
      }
      await servers.down({ instance });
      servers.wipe(instance);
    },
  };
}

export const infraServers = servers;
