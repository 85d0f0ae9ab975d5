'use strict';
/**
 * Local container images for fault tests (Testcontainers, libs/testing/src/containers), built with
 * podman from the registries this project has: no Docker engine and no image registry.
 *
 *   base      Debian bookworm (debootstrap --variant=minbase against the mirror apt uses), imported
 *   kafka     base + Debian's JRE + the Kafka jars infra/ already fetches (infra/images/kafka)
 *   store     base + Debian's PostgreSQL 15 + the FerretDB binary infra/ already builds
 *   keycloak  base + the Keycloak dist and Temurin 25 infra/ already uses, realm hrp imported
 *
 * Each image is tagged by a hash of its inputs (Containerfile, scripts, base tag, artefact
 * versions) and built only when no image has that tag: cached in podman's own storage, so every
 * checkout on the machine shares them. podman, runc and debootstrap are installed with apt-get when
 * missing (as root), as PostgreSQL is for infra. `podman system service` serves the Docker API on a
 * unix socket under var/podman for Testcontainers.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const net = require('node:net');
const { spawn, spawnSync } = require('node:child_process');
const servers = require('./servers');

const { ROOT, VAR, InfraError } = servers;
const INFRA = path.join(ROOT, 'infra');
const IMAGES = path.join(INFRA, 'images');
const PODMAN_DIR = path.join(VAR, 'podman');
const CONF = path.join(PODMAN_DIR, 'containers.conf');
const MANIFEST = path.join(PODMAN_DIR, 'images.json');
const NAMES = ['kafka', 'store', 'keycloak'];
const SUITE = 'bookworm';

function log(msg) {
  if (process.env.HRP_INFRA_QUIET !== '1') process.stderr.write(`[images] ${msg}\n`);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error) throw new InfraError(`${cmd} failed to start: ${r.error.message}`);
  if (r.status !== 0) {
    const out = `${r.stdout || ''}\n${r.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new InfraError(`${cmd} ${args.join(' ')} exited ${r.status}:\n${out}`);
  }
  return r.stdout;
}

function sha(...parts) {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' || Buffer.isBuffer(p) ? p : JSON.stringify(p)).update('\0');
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- tools and configuration

/**
 * podman (with runc: crun fails on this kind of machine, cgroups are hybrid), debootstrap, and
 * podman-compose (the compose check of infra/test/docker-compose.int.spec.ts).
 */
const TOOLS = ['podman', 'runc', 'debootstrap', 'podman-compose'];

function ensureTools() {
  const missing = TOOLS.filter((t) => !which(t));
  if (!missing.length) return;
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    throw new InfraError(`container images need ${missing.join(', ')}: install Debian's ${missing.join(', ')} packages.`);
  }
  log(`installing ${missing.join(', ')} (Debian packages)…`);
  const t = Date.now();
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  log(`installed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/**
 * containers.conf: runc, and no rlimits or pids limit (root has no CAP_SYS_RESOURCE here, so
 * podman's defaults fail to apply).
 */
function podmanEnv() {
  fs.mkdirSync(PODMAN_DIR, { recursive: true });
  const conf = ['[containers]', 'default_ulimits = []', 'pids_limit = 0', '', '[engine]', 'runtime = "runc"', ''].join('\n');
  if (!fs.existsSync(CONF) || fs.readFileSync(CONF, 'utf8') !== conf) fs.writeFileSync(CONF, conf);
  return { ...process.env, CONTAINERS_CONF: CONF };
}

function podman(args, opts = {}) {
  return run('podman', args, { env: podmanEnv(), ...opts });
}

function imageExists(tag) {
  return spawnSync('podman', ['image', 'exists', tag], { env: podmanEnv() }).status === 0;
}

/** The Debian mirror apt is configured with (deb822 .sources or sources.list), for debootstrap. */
function debianMirror() {
  if (process.env.HRP_DEBIAN_MIRROR) return process.env.HRP_DEBIAN_MIRROR;
  const files = [];
  const d = '/etc/apt/sources.list.d';
  if (fs.existsSync(d)) for (const f of fs.readdirSync(d).sort()) files.push(path.join(d, f));
  if (fs.existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (f.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (k) => new RegExp(`^${k}:\\s*(.+)$`, 'mi').exec(stanza)?.[1].trim().split(/\s+/) ?? [];
        if (field('Types').includes('deb') && field('Suites').includes(SUITE)) return field('URIs')[0];
      }
    } else {
      const m = new RegExp(`^deb\\s+(?:\\[[^\\]]*\\]\\s+)?(\\S+)\\s+${SUITE}\\s`, 'm').exec(text);
      if (m) return m[1];
    }
  }
  return 'http://deb.debian.org/debian';
}

// ---------------------------------------------------------------- images

function baseTag() {
  const mirror = debianMirror();
  return { tag: `localhost/hrp-base:${sha('debootstrap minbase', SUITE, mirror, 'v1')}`, mirror };
}

function buildBase() {
  const { tag, mirror } = baseTag();
  if (imageExists(tag)) return tag;
  const rootfs = path.join(VAR, 'cache', 'images', `rootfs-${tag.split(':')[1]}`);
  removeRootfs(rootfs);
  fs.mkdirSync(path.dirname(rootfs), { recursive: true });
  log(`debootstrap --variant=minbase ${SUITE} from ${mirror}…`);
  try {
    try {
      run('debootstrap', ['--variant=minbase', SUITE, rootfs, mirror]);
    } catch (e) {
      // Seen once here: a download that failed half-way. One more try from scratch.
      log(`debootstrap failed, trying once more: ${e.message.split('\n').slice(-3).join(' | ')}`);
      removeRootfs(rootfs);
      run('debootstrap', ['--variant=minbase', SUITE, rootfs, mirror]);
    }
    // No recommends, and no docs, in every image built on this base.
    fs.writeFileSync(path.join(rootfs, 'etc/apt/apt.conf.d/90hrp'), 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n');
    fs.rmSync(path.join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    fs.mkdirSync(path.join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    podman(['import', '--change', 'CMD ["/bin/bash"]', '-', tag], { input: tarOf(rootfs) });
  } finally {
    removeRootfs(rootfs);
  }
  return tag;
}

/** A failed debootstrap can leave /proc (and others) mounted inside its target: unmount, then remove. */
function removeRootfs(rootfs) {
  const mounts = fs.existsSync('/proc/self/mounts')
    ? fs
        .readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1])
        .filter((m) => m && (m === rootfs || m.startsWith(`${rootfs}/`)))
    : [];
  for (const m of mounts.sort().reverse()) spawnSync('umount', ['-l', m]);
  fs.rmSync(rootfs, { recursive: true, force: true });
}

/** Hard links when the artefact is on the same file system (no copy), else a copy. */
function linkInto(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const r = spawnSync('cp', ['-al', src, dest]);
  if (r.status !== 0) {
    fs.rmSync(dest, { recursive: true, force: true });
    run('cp', ['-a', src, dest]);
  }
}

/** What each image is made of: the files of the build context and the identity of the artefacts. */
function recipes() {
  const versions = JSON.parse(fs.readFileSync(path.join(INFRA, 'versions.json'), 'utf8'));
  const own = (name) => fs.readdirSync(path.join(IMAGES, name)).map((f) => path.join(IMAGES, name, f));
  return {
    kafka: {
      inputs: () => {
        const home = servers.fetchKafka();
        return { identity: [path.basename(home), read(path.join(INFRA, 'kafka', 'log4j2.xml'))], files: own('kafka') };
      },
      context(ctx) {
        linkInto(path.join(servers.fetchKafka(), 'libs'), path.join(ctx, 'libs'));
        fs.copyFileSync(path.join(INFRA, 'kafka', 'log4j2.xml'), path.join(ctx, 'log4j2.xml'));
      },
    },
    store: {
      inputs: () => ({ identity: [path.basename(servers.fetchFerretDb())], files: own('store') }),
      context(ctx) {
        fs.copyFileSync(servers.fetchFerretDb(), path.join(ctx, 'ferretdb'));
      },
    },
    keycloak: {
      // No apt step; and the build starts Keycloak, whose ports must not meet the host's.
      network: 'none',
      inputs: () => {
        servers.fetchKeycloak();
        const java = servers.java25Home();
        return {
          identity: [versions.keycloak, read(path.join(java, 'release')), read(path.join(INFRA, 'keycloak', 'realm-hrp.json'))],
          files: own('keycloak'),
        };
      },
      context(ctx) {
        linkInto(servers.fetchKeycloak(), path.join(ctx, 'keycloak'));
        linkInto(servers.java25Home(), path.join(ctx, 'java'));
        // Debian's JDK packages link the trust store to /etc/ssl/certs/java: copy what it points
        // to (Keycloak refuses to start without a trust store).
        resolveAbsoluteLinks(path.join(ctx, 'java'));
        fs.copyFileSync(path.join(INFRA, 'keycloak', 'realm-hrp.json'), path.join(ctx, 'realm-hrp.json'));
      },
    },
  };
}

/** Replaces each symbolic link to an absolute path by a copy of its target (host paths do not exist in an image). */
function resolveAbsoluteLinks(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath ?? e.path, e.name);
    if (!e.isSymbolicLink() || !path.isAbsolute(fs.readlinkSync(p))) continue;
    const target = fs.realpathSync(p);
    fs.rmSync(p);
    run('cp', ['-a', target, p]);
  }
}

/** A tar stream of a folder, in memory (a minbase root file system is about 200 MB). */
function tarOf(dir) {
  const r = spawnSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) throw new InfraError(`tar of ${dir} failed: ${r.stderr}`);
  return r.stdout;
}

function read(f) {
  return fs.readFileSync(f);
}

/** The tag of an image: a hash of the base tag, its own files and its artefacts' identity. */
function imageTag(name, base) {
  const { identity, files } = recipes()[name].inputs();
  const hash = sha(base, ...identity, ...files.sort().flatMap((f) => [path.basename(f), read(f)]));
  return `localhost/hrp-${name}:${hash}`;
}

function buildImage(name, base) {
  const tag = imageTag(name, base);
  if (imageExists(tag)) return { tag, built: false };
  const ctx = path.join(VAR, 'cache', 'images', `${name}-${tag.split(':')[1]}`);
  fs.rmSync(ctx, { recursive: true, force: true });
  fs.mkdirSync(ctx, { recursive: true });
  try {
    for (const f of fs.readdirSync(path.join(IMAGES, name))) fs.copyFileSync(path.join(IMAGES, name, f), path.join(ctx, f));
    recipes()[name].context(ctx);
    log(`building ${tag}…`);
    const t = Date.now();
    // Host network for RUN steps by default: apt reaches the same mirror the host does.
    const network = recipes()[name].network ?? 'host';
    podman(
      ['build', '--network', network, '--build-arg', `BASE=${base}`, '--label', `hrp.image=${name}`, '-t', tag, '-f', 'Containerfile', '.'],
      {
        cwd: ctx,
      },
    );
    log(`built ${tag} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
  return { tag, built: true };
}

// ---------------------------------------------------------------- the Docker API for Testcontainers

/** A unix socket path must stay under ~107 bytes: a deep checkout gets one under /tmp instead. */
function socketPath() {
  const p = path.join(PODMAN_DIR, 'podman.sock');
  if (p.length < 100) return p;
  return path.join('/tmp', `hrp-podman-${sha(VAR)}.sock`);
}

function ping(socket) {
  return new Promise((resolve) => {
    const s = net.connect(socket, () => s.write('GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n'));
    let body = '';
    s.setTimeout(2000, () => s.destroy());
    s.on('data', (d) => (body += d));
    s.on('close', () => resolve(/^HTTP\/1\.[01] 200/.test(body)));
    s.on('error', () => resolve(false));
  });
}

/** Starts `podman system service` on var/podman (detached; pid in var/podman/service.pid) unless it answers. */
async function startService() {
  const socket = socketPath();
  if (await ping(socket)) return { socket, started: false };
  fs.rmSync(socket, { force: true });
  const logFile = path.join(PODMAN_DIR, 'service.log');
  const fd = fs.openSync(logFile, 'a');
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: podmanEnv(),
  });
  fs.closeSync(fd);
  child.unref();
  fs.writeFileSync(path.join(PODMAN_DIR, 'service.pid'), String(child.pid));
  const until = Date.now() + 30000;
  while (Date.now() < until) {
    if (await ping(socket)) return { socket, started: true };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new InfraError(`podman system service did not answer on ${socket} within 30 s; see ${logFile}`);
}

/** Stops the service this checkout started (by its pid file only). */
async function stopService() {
  const pidFile = path.join(PODMAN_DIR, 'service.pid');
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8'));
  } catch {
    return false;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  fs.rmSync(pidFile, { force: true });
  return true;
}

/** The environment Testcontainers needs to drive the podman service. */
function testcontainersEnv(socket = socketPath()) {
  return {
    DOCKER_HOST: `unix://${socket}`,
    TESTCONTAINERS_RYUK_DISABLED: 'true',
    TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  };
}

/**
 * Everything Testcontainers needs, idempotent and cached: tools, the base, the three images, the
 * service. Writes var/podman/images.json ({ images: {kafka, store, keycloak}, env }) for the tests.
 */
async function prepare({ only = NAMES } = {}) {
  const t0 = Date.now();
  const release = await lock();
  try {
    return { ...(await prepareLocked(only)), ms: Date.now() - t0 };
  } finally {
    release();
  }
}

/**
 * One preparation at a time per checkout (two Jest runs, or `npm test` and its global setup's
 * check): a folder holding the owner's pid; a dead owner's lock is taken over.
 */
async function lock() {
  const dir = path.join(PODMAN_DIR, 'prepare.lock');
  fs.mkdirSync(PODMAN_DIR, { recursive: true });
  const until = Date.now() + 30 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = 0;
    try {
      owner = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
    } catch {
      /* being written, or being released */
    }
    let ownerAlive = true;
    if (owner > 0) {
      try {
        process.kill(owner, 0);
      } catch {
        ownerAlive = false;
      }
    }
    if (!ownerAlive) fs.rmSync(dir, { recursive: true, force: true });
    else if (Date.now() > until) throw new InfraError(`another process (pid ${owner}) has been preparing the images for 30 min (${dir})`);
    else await new Promise((r) => setTimeout(r, 500));
  }
}

async function prepareLocked(only) {
  ensureTools();
  const timings = {};
  let t = Date.now();
  const base = buildBase();
  timings.base = Date.now() - t;
  const images = {};
  const built = [];
  for (const name of only) {
    t = Date.now();
    const r = buildImage(name, base);
    images[name] = r.tag;
    if (r.built) built.push(name);
    timings[name] = Date.now() - t;
  }
  t = Date.now();
  const service = await startService();
  timings.service = Date.now() - t;
  const manifest = { images, env: testcontainersEnv(service.socket) };
  let previous = {};
  try {
    previous = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    /* first run */
  }
  fs.writeFileSync(MANIFEST, JSON.stringify({ ...manifest, images: { ...previous.images, ...images } }, null, 2));
  return { ...manifest, built, serviceStarted: service.started, timings };
}

module.exports = { prepare, startService, stopService, testcontainersEnv, imageTag, debianMirror, MANIFEST, NAMES };
