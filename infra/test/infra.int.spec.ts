import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { infraServers as infra, privateInfra } from '@hrp/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'infra', 'infra.js');

describe('infra scripts', () => {
  describe('when the servers already run', () => {
    it('reuses them instead of starting new ones (idempotent start)', async () => {
      const r = await infra.up({ instance: 'main' });
      expect(r.started).toEqual([]);
    });
  });

  describe('when a port is taken by a process infra did not start', () => {
    let squatter: net.Server;
    let port: number;
    beforeAll(async () => {
      squatter = net.createServer();
      await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
      port = (squatter.address() as net.AddressInfo).port;
    });
    afterAll(() => new Promise((r) => squatter.close(r)));

    it('fails with a message naming the port, and leaves that process alone', async () => {
      await expect(infra.up({ instance: 'fault-squat', only: ['store'], ports: { store: port, postgres: 19395 } })).rejects.toThrow(
        new RegExp(`port ${port} \\(store\\) is taken by another process`),
      );
      expect(squatter.listening).toBe(true);
      await infra.down({ instance: 'fault-squat' });
      infra.wipe('fault-squat');
    });
  });

  describe('stop', () => {
    it('ends the processes of its own instance only', async () => {
      const mine = privateInfra('stop', 19292);
      await mine.start(['store']);
      const pid = infra.readPid(mine.instance, 'store');
      expect(pid).toBeGreaterThan(0);
      await mine.destroy();
      expect(infra.readPid(mine.instance, 'store')).toBeNull();
      // the shared servers are untouched
      const status = await infra.status({ instance: 'main' });
      expect(status.store.healthy && status.kafka.healthy && status.keycloak.healthy).toBe(true);
    });
  });

  describe('on a machine without Go and nothing cached', () => {
    it('fails with a clear message naming the missing tool', () => {
      const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrp-var-'));
      try {
        const r = spawnSync(process.execPath, [CLI, 'up', '--only', 'store', '--instance', 'nogo'], {
          encoding: 'utf8',
          env: { PATH: '/nonexistent', HOME: process.env.HOME, HRP_VAR_DIR: varDir },
        });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/'go' is not installed; it is needed to build FerretDB/);
      } finally {
        fs.rmSync(varDir, { recursive: true, force: true });
      }
    });
  });
});
