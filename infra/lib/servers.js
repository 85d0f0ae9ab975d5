'use strict';
/**
 * Obtains, starts, health-checks and stops HRP's real local servers: Apache Kafka (KRaft,
 * jars from Maven Central), FerretDB v1 (built from the Go module proxy) and Keycloak
 * (distribution from Maven Central). Loopback only; data under the git-ignored `var/`.
 *
 * An *instance* is a named set of ports and data folders. The default instance `main` serves
 * `npm start` and `npm test`; fault tests start instances of their own (other ports, other
 * folders) with the same code, so stopping one never disturbs the others.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const probes = require('./probes');

const ROOT = path.resolve(__dirname, '..', '..');
const INFRA = path.join(ROOT, 'infra');
const VAR = process.env.HRP_VAR_DIR ? path.resolve(process.env.HRP_VAR_DIR) : path.join(ROOT, 'var');
const CACHE = path.join(VAR, 'cache');
const versions = JSON.parse(fs.readFileSync(path.join(INFRA, 'versions.json'), 'utf8'));

class InfraError extends Error {
  get name() {
    return 'InfraError';
  }
}

const DEFAULT_PORTS = { kafka: 9092, kafkaController: 9093, store: 27017, keycloak: 8080, keycloakManagement: 9000, postgres: 5433 };

function instanceDirs(instance) {
  const base = path.join(VAR, instance);
  return { base, run: path.join(base, 'run'), log: path.join(base, 'log'), data: path.join(base, 'data') };
}

function log(msg) {
  if (process.env.HRP_INFRA_QUIET !== '1') process.stderr.write(`[infra] ${msg}\n`);
}

// ---------------------------------------------------------------- tools on the machine

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function requireTool(cmd, why) {
  const found = which(cmd);
  if (!found) throw new InfraError(`'${cmd}' is not installed; it is needed to ${why}.`);
  return found;
}

/** Java for Keycloak: Temurin 25 (JAVA25_HOME, else the machine's /usr/lib/jvm/*25*). */
function java25Home() {
  const candidates = [process.env.HRP_KEYCLOAK_JAVA_HOME, process.env.JAVA25_HOME];
  const jvm = '/usr/lib/jvm';
  if (fs.existsSync(jvm)) {
    for (const d of fs.readdirSync(jvm).sort().reverse()) if (/(^|-)2[5-9]([.-]|$)/.test(d)) candidates.push(path.join(jvm, d));
  }
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'bin', 'java'))) return c;
  throw new InfraError('Keycloak needs a Java 25 JDK (Temurin 25): none found in /usr/lib/jvm; set HRP_KEYCLOAK_JAVA_HOME to one.');
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new InfraError(`${cmd} failed to start: ${r.error.message}`);
  if (r.status !== 0) {
    const out = `${r.stdout || ''}\n${r.stderr || ''}`.trim().split('\n').slice(-25).join('\n');
    throw new InfraError(`${cmd} ${args.join(' ')} exited ${r.status}:\n${out}`);
  }
  return r.stdout;
}

function hashFiles(files) {
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- fetch (cached, pinned)

/** Kafka broker classpath from the pinned pom, verified against Central's checksums. */
function fetchKafka() {
  const pom = path.join(INFRA, 'kafka', 'pom.xml');
  const stamp = hashFiles([pom]);
  const dir = path.join(CACHE, `kafka-${versions.kafka.version}-${stamp}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  requireTool('mvn', 'download the Kafka broker jars from Maven Central');
  log(`fetching Kafka ${versions.kafka.version} jars from Maven Central…`);
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    run('mvn', [
      '-q',
      '-B',
      '-C',
      '-f',
      pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${path.join(dir, 'libs')}`,
      '-DincludeScope=runtime',
    ]);
  } catch (e) {
    throw new InfraError(`download of the Kafka jars was refused or failed:\n${e.message}`);
  }
  fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  return dir;
}

/** Keycloak distribution zip from Maven Central, checked against the pinned sha256, unpacked once. */
function fetchKeycloak() {
  const { artifact, version, type, sha256 } = versions.keycloak;
  const dir = path.join(CACHE, `keycloak-${version}`);
  const home = path.join(dir, `keycloak-${version}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return home;
  requireTool('mvn', 'download Keycloak from Maven Central');
  log(`fetching Keycloak ${version} from Maven Central…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    run('mvn', ['-q', '-B', '-C', 'dependency:copy', `-Dartifact=${artifact}:${version}:${type}`, `-DoutputDirectory=${dir}`], {
      cwd: dir,
    });
  } catch (e) {
    throw new InfraError(`download of Keycloak was refused or failed:\n${e.message}`);
  }
  const zip = path.join(dir, `keycloak-quarkus-dist-${version}.${type}`);
  const actual = crypto.createHash('sha256').update(fs.readFileSync(zip)).digest('hex');
  if (sha256 && actual !== sha256) throw new InfraError(`Keycloak archive checksum mismatch: expected ${sha256}, got ${actual}`);
  if (which('unzip')) run('unzip', ['-q', zip, '-d', dir]);
  else run('jar', ['xf', zip], { cwd: dir });
  fs.rmSync(zip);
  fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  return home;
}

/** FerretDB embedded in our own small Go main (infra/ferretdb), pinned by go.mod/go.sum. */
function fetchFerretDb() {
  const src = path.join(INFRA, 'ferretdb');
  const stamp = hashFiles(['main.go', 'go.mod', 'go.sum'].map((f) => path.join(src, f)));
  const bin = path.join(CACHE, `ferretdb-${versions.ferretdb.version}-${stamp}`);
  if (fs.existsSync(bin)) return bin;
  requireTool('go', 'build FerretDB from the Go module proxy');
  log(`building FerretDB ${versions.ferretdb.version} (Go module proxy)…`);
  fs.mkdirSync(CACHE, { recursive: true });
  try {
    run('go', ['build', '-mod=readonly', '-trimpath', '-o', `${bin}.tmp`, '.'], { cwd: src });
  } catch (e) {
    throw new InfraError(`build of FerretDB failed (is the Go module proxy reachable?):\n${e.message}`);
  }
  fs.renameSync(`${bin}.tmp`, bin);
  return bin;
}

// ---------------------------------------------------------------- PostgreSQL (FerretDB's backend)

/** Debian's PostgreSQL server binaries (newest major); installed with apt-get when missing and root. */
function postgresBin(name) {
  const find = () => {
    const base = '/usr/lib/postgresql';
    if (!fs.existsSync(base)) return null;
    const majors = fs
      .readdirSync(base)
      .filter((d) => fs.existsSync(path.join(base, d, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    return majors.length ? path.join(base, majors[0], 'bin') : null;
  };
  let dir = find();
  if (!dir) {
    if (process.getuid?.() !== 0 || !which('apt-get')) {
      throw new InfraError("the PostgreSQL server (FerretDB's backend) is not installed: install Debian's `postgresql` package.");
    }
    log('installing PostgreSQL (Debian package) for FerretDB…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'postgresql'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    dir = find();
    if (!dir) throw new InfraError('PostgreSQL was installed but its server binaries were not found under /usr/lib/postgresql');
  }
  return path.join(dir, name);
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` system user. */
function asPostgres(cmd, args) {
  if (process.getuid?.() !== 0) return [cmd, args];
  return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
}

/**
 * The cluster's directory: var/<instance>/data/postgres. When infra runs as root in a checkout
 * the `postgres` user cannot traverse (e.g. a folder made by mktemp, mode 700), the cluster lives
 * under /var/tmp/hrp-postgres/<checkout hash>/<instance> instead, linked from var/.
 */
function postgresDataDir(instance) {
  const link = path.join(instanceDirs(instance).data, 'postgres');
  fs.mkdirSync(path.dirname(link), { recursive: true });
  if (process.getuid?.() !== 0) return link;
  const st = fs.lstatSync(link, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) return fs.realpathSync(link);
  const reachable = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path.dirname(link)]).status === 0;
  if (reachable) return link;
  const hash = crypto.createHash('sha1').update(VAR).digest('hex').slice(0, 12);
  const outside = path.join('/var/tmp/hrp-postgres', hash, instance);
  fs.mkdirSync(path.dirname(outside), { recursive: true, mode: 0o755 });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(outside, link);
  return outside;
}

function pgReady(port) {
  const r = spawnSync(postgresBin('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PostgreSQL on port ${port} is not accepting connections`);
  return true;
}

// ---------------------------------------------------------------- processes

function pidFile(instance, name) {
  return path.join(instanceDirs(instance).run, `${name}.pid`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(instance, name) {
  try {
    const pid = Number(fs.readFileSync(pidFile(instance, name), 'utf8').trim());
    return pid > 0 && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Starts a detached process group whose output goes to var/<instance>/log/<name>.log. */
function startProcess(instance, name, cmd, args, env) {
  const dirs = instanceDirs(instance);
  fs.mkdirSync(dirs.run, { recursive: true });
  fs.mkdirSync(dirs.log, { recursive: true });
  const logFile = path.join(dirs.log, `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  fs.closeSync(fd);
  child.unref();
  fs.writeFileSync(pidFile(instance, name), String(child.pid));
  return { pid: child.pid, logFile };
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitFor(what, probe, { timeoutMs, pid, logFile }) {
  const started = Date.now();
  let last;
  while (Date.now() - started < timeoutMs) {
    if (pid && !alive(pid)) {
      throw new InfraError(`${what} exited during start-up. Last lines of ${logFile}:\n${tail(logFile)}`);
    }
    try {
      await probe();
      return Date.now() - started;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new InfraError(
    `${what} was not healthy after ${timeoutMs / 1000} s (${last?.message}). Last lines of ${logFile}:\n${tail(logFile)}`,
  );
}

/** Sends SIGTERM to the process group, then SIGKILL after the grace period. Only our own pids. */
async function stopProcess(instance, name, { graceMs = 15000, signal = 'SIGTERM' } = {}) {
  const pid = readPid(instance, name);
  if (!pid) {
    fs.rmSync(pidFile(instance, name), { force: true });
    return false;
  }
  const kill = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  kill(signal);
  const until = Date.now() + graceMs;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) kill('SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  fs.rmSync(pidFile(instance, name), { force: true });
  return true;
}

/** Suspends (SIGSTOP) or resumes (SIGCONT) a server of ours, for fault tests. */
function signalServer(instance, name, sig) {
  const pid = readPid(instance, name);
  if (!pid) throw new InfraError(`${name} of instance ${instance} is not running`);
  process.kill(-pid, sig);
}

// ---------------------------------------------------------------- servers

function makeServers(instance, ports) {
  const dirs = instanceDirs(instance);
  return {
    postgres: {
      label: `PostgreSQL (FerretDB's backend) on 127.0.0.1:${ports.postgres}`,
      ports: [ports.postgres],
      probe: () => Promise.resolve(pgReady(ports.postgres)),
      timeoutMs: 60000,
      start() {
        const data = postgresDataDir(instance);
        if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
          fs.rmSync(data, { recursive: true, force: true });
          // Parents traversable by the postgres user; the cluster directory itself private to it.
          fs.mkdirSync(path.dirname(data), { recursive: true });
          fs.mkdirSync(data, { mode: 0o700 });
          if (process.getuid?.() === 0) run('chown', ['postgres:postgres', data]);
          const [cmd, args] = asPostgres(postgresBin('initdb'), [
            '-D',
            data,
            '-U',
            'postgres',
            '-A',
            'trust',
            '-E',
            'UTF8',
            '--locale=C',
            '--no-sync',
          ]);
          run(cmd, args);
        }
        const [cmd, args] = asPostgres(postgresBin('postgres'), [
          ...['-D', data, '-p', String(ports.postgres)],
          ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
          ...['-c', 'max_connections=300', '-c', 'shared_buffers=128MB'],
        ]);
        return startProcess(instance, 'postgres', cmd, args, {});
      },
    },
    store: {
      label: `FerretDB (MongoDB wire protocol, PostgreSQL backend) on 127.0.0.1:${ports.store}`,
      ports: [ports.store],
      probe: () => probes.mongoPing(ports.store),
      timeoutMs: 30000,
      start() {
        const bin = fetchFerretDb();
        // FerretDB's pgx pool defaults to 50 connections; its PostgreSQL backend can deadlock (metadata
        // lock held while waiting for a pooled connection) when more requests are in flight during
        // DDL, as tests that create and drop databases do. A pool near max_connections avoids it.
        const url = `postgres://postgres@127.0.0.1:${ports.postgres}/postgres?pool_max_conns=250`;
        return startProcess(instance, 'store', bin, ['-listen', `127.0.0.1:${ports.store}`, '-postgresql-url', url], {});
      },
    },
    kafka: {
      label: `Apache Kafka ${versions.kafka.version} (KRaft) on 127.0.0.1:${ports.kafka}`,
      ports: [ports.kafka, ports.kafkaController],
      probe: () => probes.kafkaApiVersions(ports.kafka),
      timeoutMs: 90000,
      start() {
        const home = fetchKafka();
        requireTool('java', 'run the Kafka broker (Java 17 or newer)');
        const data = path.join(dirs.data, 'kafka');
        fs.mkdirSync(data, { recursive: true });
        const props = path.join(dirs.base, 'kafka-server.properties');
        fs.writeFileSync(
          props,
          [
            'process.roles=broker,controller',
            'node.id=1',
            `controller.quorum.voters=1@127.0.0.1:${ports.kafkaController}`,
            `listeners=PLAINTEXT://127.0.0.1:${ports.kafka},CONTROLLER://127.0.0.1:${ports.kafkaController}`,
            `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.kafka}`,
            'controller.listener.names=CONTROLLER',
            'inter.broker.listener.name=PLAINTEXT',
            'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
            `log.dirs=${data}`,
            'num.partitions=3',
            'offsets.topic.replication.factor=1',
            'offsets.topic.num.partitions=10',
            'transaction.state.log.replication.factor=1',
            'transaction.state.log.min.isr=1',
            'share.coordinator.state.topic.replication.factor=1',
            'share.coordinator.state.topic.min.isr=1',
            'group.initial.rebalance.delay.ms=0',
            'auto.create.topics.enable=true',
            // The log is the audit record: keep it for ever.
            'log.retention.ms=-1',
            'log.retention.bytes=-1',
            '',
          ].join('\n'),
        );
        const cp = `${path.join(home, 'libs')}/*`;
        const heap = process.env.HRP_KAFKA_HEAP || '-Xms128m -Xmx512m';
        const jvm = [
          ...heap.split(' '),
          '-XX:+UseG1GC',
          '-XX:TieredStopAtLevel=1',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${path.join(INFRA, 'kafka', 'log4j2.xml')}`,
          '-cp',
          cp,
        ];
        if (!fs.existsSync(path.join(data, 'meta.properties'))) {
          const clusterId = run('java', [
            '-cp',
            cp,
            `-Dlog4j2.configurationFile=${path.join(INFRA, 'kafka', 'log4j2.xml')}`,
            'kafka.tools.StorageTool',
            'random-uuid',
          ])
            .trim()
            .split('\n')
            .pop();
          run('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props]);
        }
        return startProcess(instance, 'kafka', 'java', [...jvm, 'kafka.Kafka', props], {});
      },
    },
    keycloak: {
      label: `Keycloak ${versions.keycloak.version} on http://127.0.0.1:${ports.keycloak}`,
      ports: [ports.keycloak, ports.keycloakManagement],
      probe: () => probes.keycloakReady(ports.keycloakManagement),
      timeoutMs: 240000,
      start() {
        const home = fetchKeycloak();
        const javaHome = java25Home();
        // Realm import: a regular *.json under <dist>/data/import. Each instance gets its own
        // copy of the distribution's conf/data so that two instances never share an H2 file.
        const kcHome = path.join(dirs.data, 'keycloak');
        if (!fs.existsSync(path.join(kcHome, 'bin'))) {
          fs.mkdirSync(kcHome, { recursive: true });
          run('cp', ['-a', `${home}/.`, kcHome]);
        }
        const importDir = path.join(kcHome, 'data', 'import');
        fs.mkdirSync(importDir, { recursive: true });
        const realmFile = path.join(INFRA, 'keycloak', 'realm-hrp.json');
        // Keycloak skips the import of a realm that exists: when the realm file changed since the
        // last import, drop the dev database (H2) so the new file is imported. Dev data only.
        const realmHash = hashFiles([realmFile]);
        const hashFile = path.join(kcHome, '.realm-hash');
        if (fs.existsSync(hashFile) && fs.readFileSync(hashFile, 'utf8') !== realmHash) {
          log('realm-hrp.json changed: resetting the dev Keycloak database to re-import it');
          fs.rmSync(path.join(kcHome, 'data', 'h2'), { recursive: true, force: true });
        }
        fs.writeFileSync(hashFile, realmHash);
        fs.copyFileSync(realmFile, path.join(importDir, 'realm-hrp.json'));
        return startProcess(
          instance,
          'keycloak',
          path.join(kcHome, 'bin', 'kc.sh'),
          // A fixed hostname gives every token the same issuer, however the client reached Keycloak.
          [
            'start-dev',
            '--import-realm',
            `--hostname=http://127.0.0.1:${ports.keycloak}`,
            `--http-port=${ports.keycloak}`,
            '--http-host=127.0.0.1',
            `--http-management-port=${ports.keycloakManagement}`,
            '--health-enabled=true',
            '--log-level=WARN,org.keycloak.services:INFO',
            // Brute-force protection stays on, but concurrent *valid* logins of one user (test
            // workers, a user's several tabs) are not taken for an attack (keycloak#48272).
            '--spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true',
          ],
          {
            JAVA_HOME: javaHome,
            PATH: `${path.join(javaHome, 'bin')}:${process.env.PATH}`,
            JAVA_OPTS_KC_HEAP: process.env.HRP_KEYCLOAK_HEAP || '-Xms64m -Xmx768m',
            KC_BOOTSTRAP_ADMIN_USERNAME: process.env.HRP_KEYCLOAK_ADMIN || 'kc-admin',
            KC_BOOTSTRAP_ADMIN_PASSWORD: process.env.HRP_KEYCLOAK_ADMIN_PASSWORD || 'kc-admin-dev-password',
          },
        );
      },
    },
  };
}

const ALL = ['store', 'kafka', 'keycloak'];
/** Servers another one needs first (started before it, stopped after it). */
const NEEDS = { store: ['postgres'] };
const STOP_SIGNALS = { postgres: 'SIGINT' }; // PostgreSQL's "fast" shutdown

/**
 * Starts the named servers of an instance (idempotent: a healthy server of ours is reused)
 * and resolves when every one answers its health probe.
 * @returns {{ started: string[], reused: string[], timings: Record<string, number>, ports }}
 */
async function up({ instance = 'main', only = ALL, ports: overrides = {} } = {}) {
  const ports = { ...DEFAULT_PORTS, ...overrides };
  const servers = makeServers(instance, ports);
  const result = { started: [], reused: [], timings: {}, ports, instance };
  // Fetch everything first (cached), so that start-ups run side by side afterwards.
  const fetchers = { store: fetchFerretDb, kafka: fetchKafka, keycloak: fetchKeycloak };
  for (const name of only) {
    const t = Date.now();
    fetchers[name]();
    result.timings[`${name}:fetch`] = Date.now() - t;
  }
  // A server's dependencies come up first (FerretDB needs its PostgreSQL).
  for (const name of only) for (const dep of NEEDS[name] ?? []) await startOne(instance, dep, servers[dep], result);
  await Promise.all(only.map((name) => startOne(instance, name, servers[name], result)));
  return result;
}

/** Starts one server of an instance unless ours already runs (then waits for its health). */
async function startOne(instance, name, s, result) {
  const ours = readPid(instance, name);
  if (ours) {
    await waitFor(s.label, s.probe, { timeoutMs: s.timeoutMs, pid: ours, logFile: path.join(instanceDirs(instance).log, `${name}.log`) });
    result.reused.push(name);
    return;
  }
  for (const port of s.ports) {
    if (await probes.portInUse(port)) {
      throw new InfraError(`port ${port} (${name}) is taken by another process that infra did not start; stop it or choose other ports.`);
    }
  }
  const t = Date.now();
  const proc = s.start();
  await waitFor(s.label, s.probe, { timeoutMs: s.timeoutMs, pid: proc.pid, logFile: proc.logFile });
  result.timings[name] = Date.now() - t;
  result.started.push(name);
  log(`${s.label} is healthy (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

/** Stops the servers of an instance that infra started (by pid file), then what they needed. */
async function down({ instance = 'main', only = ALL } = {}) {
  const stopped = [];
  for (const name of [...only].reverse()) {
    for (const n of [name, ...(NEEDS[name] ?? [])]) {
      if (await stopProcess(instance, n, { signal: STOP_SIGNALS[n] ?? 'SIGTERM' })) stopped.push(n);
    }
  }
  return stopped;
}

async function status({ instance = 'main', ports: overrides = {} } = {}) {
  const ports = { ...DEFAULT_PORTS, ...overrides };
  const servers = makeServers(instance, ports);
  const out = {};
  for (const name of ALL) {
    const pid = readPid(instance, name);
    let healthy = false;
    try {
      healthy = await servers[name].probe();
    } catch {
      healthy = false;
    }
    out[name] = { pid, healthy, label: servers[name].label };
  }
  return out;
}

/** Memory (kB, proportional set size) of a server's process tree, from /proc. */
function residentKb(instance, name) {
  const pid = readPid(instance, name);
  if (!pid) return null;
  const children = (p) => {
    try {
      return fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      // PSS: memory shared between processes (PostgreSQL's shared buffers) is shared out, not
      // counted once per process as RSS would.
      const m = /^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      /* gone */
    }
    stack.push(...children(p));
  }
  return total;
}

/** Removes an instance's data and logs (used by fault tests after they stop their instance). */
function wipe(instance) {
  if (instance === 'main') throw new InfraError('refusing to wipe the main instance');
  const pg = path.join(instanceDirs(instance).data, 'postgres');
  if (fs.lstatSync(pg, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(fs.realpathSync(pg), { recursive: true, force: true });
  fs.rmSync(instanceDirs(instance).base, { recursive: true, force: true });
}

module.exports = {
  up,
  down,
  status,
  wipe,
  residentKb,
  signalServer,
  stopProcess,
  readPid,
  fetchKafka,
  fetchKeycloak,
  fetchFerretDb,
  java25Home,
  instanceDirs,
  InfraError,
  DEFAULT_PORTS,
  ALL,
  ROOT,
  VAR,
};
