/**
 * docker-compose.yml checked by tools, as far as they go without a Docker engine or the official
 * images (docker-compose.unit.spec.ts checks the wiring by reading the file):
 *
 * - the Compose Specification's JSON schema (compose-spec.schema.json beside this file: the
 *   compose-spec project's schema as the npm package dclint 3.1.0 ships it, draft-07), validated
 *   with Ajv 8 (in node_modules through cloudevents);
 * - `podman-compose --dry-run up` (Debian's podman-compose 1.0.3, installed with podman by
 *   `node infra/infra.js images`): the compose engine of this machine parses the file, resolves
 *   its anchors and merge keys, and prints the services it would run.
 *
 * Not checked here: that the official images (mongo, apache/kafka, quay.io/keycloak, node) start
 * and pass their healthchecks, and that the Dockerfile builds: every stage starts FROM the
 * official Node image, which no registry reachable here serves (see README, "Fault suite").
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSE = path.join(ROOT, 'docker-compose.yml');

interface Schema {
  $schema?: string;
  [k: string]: unknown;
}

function schemaErrors(doc: unknown): string[] {
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path.join(__dirname, 'compose-spec.schema.json'), 'utf8')) as Schema;
  // Ajv 8's default dialect is the schema's (draft-07); formats are not part of the check.
  const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const composeDoc = () => parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as { services: Record<string, unknown> };

describe('docker-compose.yml, checked by tools', () => {
  describe('against the Compose Specification schema', () => {
    it('is a valid Compose file', () => {
      expect(schemaErrors(composeDoc())).toEqual([]);
    });

    it('would catch a misspelt service key (the check can fail)', () => {
      const doc = composeDoc();
      (doc.services.gateway as Record<string, unknown>).helthcheck = { test: ['CMD', 'true'] };
      expect(schemaErrors(doc).join('\n')).toMatch(/\/services\/gateway .*additionalProperty.*helthcheck/);
    });
  });

  describe('by podman-compose', () => {
    // Debian's podman-compose 1.0.3 has no `config`; `--dry-run up` prints the podman command of
    // every service instead, but still creates the project's volumes and network: a project name
    // of its own, removed afterwards.
    const project = `hrpcheck${process.pid}`;
    const podman = (args: string[]) =>
      spawnSync('podman', args, {
        encoding: 'utf8',
        env: { ...process.env, CONTAINERS_CONF: path.join(ROOT, 'var/podman/containers.conf') },
      });
    afterAll(() => {
      const volumes = podman(['volume', 'ls', '-q', '--filter', `label=io.podman.compose.project=${project}`])
        .stdout.split('\n')
        .filter(Boolean);
      if (volumes.length) podman(['volume', 'rm', ...volumes]);
      podman(['network', 'rm', `${project}_default`]);
    });

    it('turns it into one podman container per service, with the images, published ports and merged settings of the file', () => {
      const r = spawnSync('podman-compose', ['--dry-run', '-p', project, '-f', COMPOSE, 'up', '--no-build', '--no-start', '-d'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, CONTAINERS_CONF: path.join(ROOT, 'var/podman/containers.conf') },
      });
      if (r.error) throw new Error(`podman-compose did not run (${r.error.message}): \`node infra/infra.js images\` installs it`);
      expect(r.status).toBe(0);
      const creates = new Map(
        r.stdout
          .split('\n')
          .filter((l) => l.startsWith(`podman create --name=${project}_`))
          .map((l) => [l.slice(`podman create --name=${project}_`.length).replace(/_1 .*$/, ''), l]),
      );
      const services = composeDoc().services as Record<string, { image?: string; ports?: string[] }>;
      expect([...creates.keys()].sort()).toEqual(Object.keys(services).sort());
      for (const [name, svc] of Object.entries(services)) {
        const line = creates.get(name)!;
        // The image of the file, or the one built from the Dockerfile for an app.
        expect({ name, image: ` ${line} `.includes(` ${svc.image ?? `${project}_${name}`} `) }).toEqual({ name, image: true });
        for (const port of svc.ports ?? []) expect({ name, port: line.includes(` -p ${port} `) }).toEqual({ name, port: true });
      }
      // The merge key of the platform settings reached every app.
      expect(creates.get('campaigns')).toContain(' -e KAFKA_BROKERS=kafka:29092 ');
      expect(creates.get('gateway')).toContain(' -e KEYCLOAK_ISSUER_URL=http://localhost:8080 ');
    });
  });
});
