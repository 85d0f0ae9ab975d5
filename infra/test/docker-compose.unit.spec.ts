/**
 * docker-compose.yml and the Dockerfile cannot be run on the team's machines (no Docker engine),
 * so this test checks by reading them that they are wired the way the platform expects: the
 * services and ports, the realm import, one Dockerfile for every app, pinned images, start order
 * and each app's configuration.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, platformSpec } from '@hrp/config';
import { contextSpec } from '@hrp/context-kit';

const ROOT = path.resolve(__dirname, '..', '..');

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | { target: number; published?: number | string })[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

const composeText = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
// `merge: true`: the file shares fragments with YAML merge keys (`<<: *platform-env`), which
// Docker Compose resolves and YAML 1.2 parsers do not by default.
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

const APP_PORTS: Record<string, number> = {
  gateway: 4000,
  campaigns: 4001,
  training: 4002,
  partnerships: 4003,
  advocacy: 4004,
  finance: 4005,
};
const APPS = Object.keys(APP_PORTS);
const SUBGRAPHS = APPS.filter((a) => a !== 'gateway');
const INFRA = ['mongo', 'kafka', 'keycloak'];

function envOf(name: string): Env {
  const raw = services[name]?.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
  // Compose turns scalar values into strings; a null value means "take it from the host's environment".
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v == null ? '' : String(v as string | number | boolean)]));
}

/** Published ports as {host, container}, from the short ("[ip:]host:container") or long syntax. */
function publishedPorts(name: string): { host: number; container: number }[] {
  return (services[name]?.ports ?? []).map((p) => {
    if (typeof p === 'object') return { host: Number(p.published), container: Number(p.target) };
    const parts = String(p)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const container = Number(parts.pop());
    const host = parts.length ? Number(parts.pop()) : NaN;
    return { host, container };
  });
}

function dependsOn(name: string): Record<string, string | undefined> {
  const d = services[name]?.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((s) => [s, undefined]));
  return Object.fromEntries(Object.entries(d).map(([s, v]) => [s, v?.condition]));
}

function commandOf(name: string): string[] {
  const c = services[name]?.command ?? [];
  return Array.isArray(c) ? c : c.split(/\s+/);
}

/** `[registry[:port]/]repository[:tag][@digest]` → the tag, or undefined when there is none. */
function imageTag(image: string): string | undefined {
  const ref = image.split('@')[0] ?? '';
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
}

/** Dockerfile instructions, with line continuations joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ op: (l.split(/\s+/)[0] ?? '').toUpperCase(), args: l.replace(/^\S+\s*/, '') }));
}

describe('docker-compose.yml, read as a whole', () => {
  it('declares the three infrastructure servers and the six apps as services', () => {
    expect(Object.keys(services).sort()).toEqual([...INFRA, ...APPS].sort());
  });

  it('publishes each app on its own port, the same inside and outside the container', () => {
    const published = Object.fromEntries(APPS.map((a) => [a, publishedPorts(a)]));
    expect(published).toEqual(Object.fromEntries(APPS.map((a) => [a, [{ host: APP_PORTS[a], container: APP_PORTS[a] }]])));
    for (const app of APPS) expect(envOf(app).PORT).toBe(String(APP_PORTS[app]));
  });

  it('publishes Kafka on 9092, Keycloak on 8080 and MongoDB on 27017 for tools on the host', () => {
    expect(publishedPorts('kafka')).toContainEqual({ host: 9092, container: 9092 });
    expect(publishedPorts('keycloak')).toContainEqual({ host: 8080, container: 8080 });
    expect(publishedPorts('mongo')).toContainEqual({ host: 27017, container: 27017 });
  });

  it('pins every image to a tag other than latest, and gives every service an image or a build', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect({ name, hasImageOrBuild: Boolean(svc.image || svc.build) }).toEqual({ name, hasImageOrBuild: true });
      if (!svc.image) continue;
      const tag = imageTag(svc.image);
      expect({ image: svc.image, tag }).toEqual({ image: svc.image, tag: expect.stringMatching(/^[\w][\w.-]*$/) });
      expect(tag).not.toBe('latest');
    }
  });

  it('uses the images and versions the platform is built against', () => {
    expect(services.mongo?.image).toMatch(/^mongo:7(\.|$)/);
    expect(services.kafka?.image).toBe('apache/kafka:4.1.1');
    expect(services.keycloak?.image).toBe('quay.io/keycloak/keycloak:26.7.3');
  });
});

describe('start order', () => {
  it('names only existing services in every depends_on', () => {
    for (const name of Object.keys(services)) {
      for (const dep of Object.keys(dependsOn(name))) {
        expect({ service: name, dependsOn: dep, exists: dep in services }).toEqual({ service: name, dependsOn: dep, exists: true });
      }
    }
  });

  it('waits for a dependency to be healthy, and every awaited service has a healthcheck', () => {
    for (const name of Object.keys(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        expect({ service: name, dep, condition }).toEqual({ service: name, dep, condition: 'service_healthy' });
        const hc = services[dep]?.healthcheck;
        expect({ dep, hasHealthcheck: Boolean(hc?.test) && !hc?.disable }).toEqual({ dep, hasHealthcheck: true });
      }
    }
  });

  it('starts every app after MongoDB, Kafka and Keycloak, and the gateway after every subgraph', () => {
    for (const app of APPS) expect(Object.keys(dependsOn(app))).toEqual(expect.arrayContaining(INFRA));
    expect(Object.keys(dependsOn('gateway'))).toEqual(expect.arrayContaining(SUBGRAPHS));
  });

  it("checks each app's health with GET /health on its own port, without curl", () => {
    for (const app of APPS) {
      const test = services[app]?.healthcheck?.test;
      const script = Array.isArray(test) ? test.join(' ') : String(test);
      expect(script).toMatch(/^CMD node -e /);
      expect(script).toContain("fetch('http://127.0.0.1:' + process.env.PORT + '/health')");
    }
  });

  it('initiates the MongoDB replica set from a script that exists in the repo', () => {
    expect(commandOf('mongo')).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const mount = (services.mongo?.volumes ?? []).map(String).find((v) => v.includes('mongo-replica-set.js'));
    expect(mount).toBeDefined();
    const [source, target] = String(mount).split(':');
    expect(existsSync(path.resolve(ROOT, String(source)))).toBe(true);
    expect(JSON.stringify(services.mongo?.healthcheck?.test)).toContain(String(target));
    expect(readFileSync(path.resolve(ROOT, String(source)), 'utf8')).toMatch(/rs\.initiate\(/);
  });
});

describe('Keycloak service', () => {
  const volumes = (services.keycloak?.volumes ?? []).map((v) =>
    typeof v === 'string'
      ? { source: v.split(':')[0] ?? '', target: v.split(':')[1] ?? '', readOnly: v.split(':')[2] === 'ro' }
      : { source: v.source ?? '', target: v.target, readOnly: Boolean(v.read_only) },
  );

  it("mounts the project's realm file read-only into the import folder and imports it at start", () => {
    const realm = volumes.find((v) => v.target === '/opt/keycloak/data/import/realm-hrp.json');
    expect(realm).toEqual({
      source: './infra/keycloak/realm-hrp.json',
      target: '/opt/keycloak/data/import/realm-hrp.json',
      readOnly: true,
    });
    expect(existsSync(path.resolve(ROOT, realm?.source ?? 'missing'))).toBe(true);
    expect(commandOf('keycloak').slice(0, 2)).toEqual(['start-dev', '--import-realm']);
    // the same brute-force setting as infra/ (concurrent valid logins are not an attack)
    expect(commandOf('keycloak')).toContain('--spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true');
  });

  it('imports the realm the apps are configured for', () => {
    const realm = JSON.parse(readFileSync(path.join(ROOT, 'infra/keycloak/realm-hrp.json'), 'utf8')) as { realm: string };
    for (const app of APPS) expect(envOf(app).KEYCLOAK_REALM).toBe(realm.realm);
  });

  it('issues tokens for the browser URL, bootstraps an admin, bounds its heap and enables health', () => {
    const env = envOf('keycloak');
    expect(env.KC_HOSTNAME).toBe('http://localhost:8080');
    expect(env.KC_BOOTSTRAP_ADMIN_USERNAME).toBeTruthy();
    expect(env.KC_BOOTSTRAP_ADMIN_PASSWORD).toBeTruthy();
    expect(env.JAVA_OPTS_KC_HEAP).toMatch(/-Xmx\d+[mg]/);
    expect(env.KC_HEALTH_ENABLED).toBe('true');
  });
});

describe('Kafka service', () => {
  const env = envOf('kafka');

  it('runs one combined broker and controller in KRaft mode', () => {
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    expect(env.CLUSTER_ID).toMatch(/^[\w-]{22}$/);
  });

  it('advertises the address the apps use inside the network and localhost:9092 to the host', () => {
    const advertised = (env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',').map((l) => l.replace(/^\w+:\/\//, ''));
    const appBrokers = new Set(APPS.map((a) => envOf(a).KAFKA_BROKERS));
    expect(appBrokers.size).toBe(1);
    expect(advertised).toContain([...appBrokers][0]);
    expect(advertised).toContain('localhost:9092');
  });
});

describe("each app's environment", () => {
  it.each(APPS)('%s: sets every platform variable of libs/config and its PORT', (app) => {
    const env = envOf(app);
    expect(Object.keys(env)).toEqual(expect.arrayContaining([...Object.keys(platformSpec), 'PORT']));
  });

  it.each(APPS)('%s: passes the platform configuration checks (libs/config)', (app) => {
    const errors: string[] = [];
    loadConfig({}, envOf(app), {
      reporter: ({ errors: e }) => errors.push(...Object.entries(e).map(([k, err]) => `${k}: ${String(err)}`)),
    });
    expect(errors).toEqual([]);
  });

  it.each(APPS)('%s: listens on every interface and reaches the servers by their service names', (app) => {
    const env = envOf(app);
    expect(env.HOST).toBe('0.0.0.0');
    const hosts = [
      new URL(env.MONGO_URL ?? '').hostname,
      new URL(env.KEYCLOAK_URL ?? '').hostname,
      ...(env.KAFKA_BROKERS ?? '').split(',').map((b) => b.split(':')[0]),
    ];
    for (const host of hosts) expect(INFRA).toContain(host);
  });

  // The app's own settings, read from the text of <project>/src/config.ts (importing it would
  // validate this process's environment): `NAME: validator({ ... default: ... })` per line.
  function appSpec(app: string): { name: string; hasDefault: boolean }[] {
    const project = app === 'gateway' ? 'gateway' : `services/${app}`;
    const text = readFileSync(path.join(ROOT, project, 'src', 'config.ts'), 'utf8');
    // A context built on the kit reads the kit's settings (`contextConfig(name, port)`).
    const kit = /\bcontextConfig\(/.test(text)
      ? Object.entries(contextSpec(app, 0)).map(([name, v]) => ({ name, hasDefault: (v as { default?: unknown }).default !== undefined }))
      : [];
    return [
      ...kit,
      ...[...text.matchAll(/^\s*([A-Z][A-Z0-9_]*):\s*\w+\((.*)$/gm)].map((m) => ({
        name: m[1],
        hasDefault: /\bdefault\s*:/.test(m[2]),
      })),
    ];
  }

  it.each(APPS)('%s: sets every setting of its own config that has no default', (app) => {
    const required = appSpec(app)
      .filter((s) => !s.hasDefault)
      .map((s) => s.name);
    expect(Object.keys(envOf(app))).toEqual(expect.arrayContaining(required));
  });

  it.each(APPS)('%s: sets no variable its config does not read, so a misspelt name cannot be silently ignored', (app) => {
    const known = new Set([...Object.keys(platformSpec), ...appSpec(app).map((s) => s.name)]);
    expect(Object.keys(envOf(app)).filter((k) => !known.has(k))).toEqual([]);
  });

  it('gives every subgraph the same platform settings, so they share one store, broker and realm', () => {
    const shared = (app: string) => Object.fromEntries(Object.keys(platformSpec).map((k) => [k, envOf(app)[k]]));
    for (const app of APPS) expect(shared(app)).toEqual(shared('gateway'));
  });

  it("points the gateway at each subgraph's GraphQL endpoint", () => {
    const env = envOf('gateway');
    for (const sub of SUBGRAPHS) {
      expect(env[`${sub.toUpperCase()}_URL`]).toBe(`http://${sub}:${APP_PORTS[sub]}/graphql`);
    }
  });
});

describe('apps built from the one Dockerfile', () => {
  it('builds every app from the repository root with the root Dockerfile', () => {
    for (const app of APPS) {
      const build = services[app]?.build;
      const spec = typeof build === 'string' ? { context: build, dockerfile: 'Dockerfile' } : { dockerfile: 'Dockerfile', ...build };
      expect({ app, context: path.resolve(ROOT, spec.context ?? '.'), dockerfile: spec.dockerfile }).toEqual({
        app,
        context: ROOT,
        dockerfile: 'Dockerfile',
      });
    }
  });

  it.each(APPS)("%s: runs the compiled main of an existing project, as that project's serve target does", (app) => {
    const [bin, main] = commandOf(app);
    expect(bin).toBe('node');
    const project = String(main).replace(/\/dist\/main\.js$/, '');
    expect(main).toBe(`${project}/dist/main.js`);
    expect(project).toBe(app === 'gateway' ? 'gateway' : `services/${app}`);
    const projectJson = JSON.parse(readFileSync(path.join(ROOT, project, 'project.json'), 'utf8')) as {
      targets?: { serve?: { command?: string } };
    };
    expect(projectJson.targets?.serve?.command).toBe(`node ${main}`);
  });

  it('is multi-stage: installs with npm ci and builds with npm run build before a runtime stage', () => {
    const ops = instructions(dockerfile);
    const froms = ops.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const runs = ops.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    // The last stage is the runtime: it copies from a build stage instead of building itself.
    const lastFrom = ops.lastIndexOf(froms[froms.length - 1]);
    const runtime = ops.slice(lastFrom + 1);
    expect(runtime.some((i) => i.op === 'COPY' && /--from=/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.op === 'RUN' && /\bnpm (ci|install|run build)\b/.test(i.args))).toBe(false);
  });

  it('pins the Node base image of every stage', () => {
    const args = Object.fromEntries(
      instructions(dockerfile)
        .filter((i) => i.op === 'ARG' && i.args.includes('='))
        .map((i) => [i.args.slice(0, i.args.indexOf('=')), i.args.slice(i.args.indexOf('=') + 1)]),
    );
    const stages = new Set<string>();
    for (const from of instructions(dockerfile).filter((i) => i.op === 'FROM')) {
      const [ref = '', , alias] = from.args.split(/\s+/);
      const image = ref.replace(/^\$\{?(\w+)\}?$/, (_, name: string) => args[name] ?? '');
      if (!stages.has(image)) {
        expect(image).toMatch(/^node:\d+\.\d+\.\d+-/);
        expect(imageTag(image)).not.toBe('latest');
      }
      if (alias) stages.add(alias);
    }
  });

  it('keeps host node_modules, dist and server downloads out of the build context, but not the build inputs', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', 'var']));
    for (const input of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.base.json',
      '.swcrc',
      'nx.json',
      'infra',
      'Dockerfile',
    ]) {
      expect(ignored).not.toContain(input);
    }
  });
});
