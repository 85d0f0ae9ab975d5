import { randomUUID } from 'node:crypto';
import { devToken, forgedCopy, forgeToken, gatewayServiceToken, isolation, jwtPayload, shortLivedToken, testInfra } from '@hrp/testing';
import { KeycloakTokenVerifier, UnauthenticatedError, serviceAccountAdminClient } from './index';

const verifier = new KeycloakTokenVerifier({ keycloakUrl: testInfra.keycloakUrl, realm: testInfra.realm });

describe('Keycloak (real) and the token verifier', () => {
  describe('a password-grant token of the director', () => {
    it('carries the director realm role and verifies against the realm keys', async () => {
      const token = await devToken('director');
      const principal = await verifier.verify(token);
      expect(principal.username).toBe('director');
      expect(principal.roles).toContain('director');
      expect(principal.subject).toBe(jwtPayload(token).sub);
    });
  });

  describe('a regional officer', () => {
    it('carries its region attribute in the token', async () => {
      const principal = await verifier.verify(await devToken('regional-officer-ma06'));
      expect(principal.roles).toContain('regional-officer');
      expect(principal.region).toBe('MA-06');
    });
  });

  describe('a token signed by another key', () => {
    it('is rejected, even with the realm key id and a genuine payload', async () => {
      const forged = forgedCopy(await devToken('director'));
      await expect(verifier.verify(forged)).rejects.toThrow(UnauthenticatedError);
      await expect(verifier.verify(forged)).rejects.toThrow(/signature/);
    });

    it('is rejected under an unknown key id', async () => {
      const payload = { ...jwtPayload(await devToken('viewer')), realm_access: { roles: ['admin'] } };
      await expect(verifier.verify(forgeToken({ alg: 'RS256', typ: 'JWT', kid: randomUUID() }, payload))).rejects.toThrow(
        UnauthenticatedError,
      );
    });
  });

  describe('an expired token', () => {
    it('is rejected once its lifetime (2 s on the dev-only short-lived client) has passed', async () => {
      const token = await shortLivedToken('director');
      await expect(verifier.verify(token)).resolves.toMatchObject({ username: 'director' });
      await new Promise((r) => setTimeout(r, 3200));
      await expect(verifier.verify(token)).rejects.toThrow(/expired/);
    });
  });

  describe('concurrent valid logins of one user', () => {
    it('all succeed: brute-force protection does not take them for an attack', async () => {
      const login = () =>
        fetch(`${testInfra.keycloakUrl}/realms/hrp/protocol/openid-connect/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'password', client_id: 'hrp-web', username: 'me-officer', password: 'hrp-dev-password' }),
        }).then((r) => r.status);
      expect(await Promise.all(Array.from({ length: 6 }, login))).toEqual([200, 200, 200, 200, 200, 200]);
    });
  });

  describe('garbage', () => {
    it.each(['', 'abc', 'a.b.c', 'Bearer x'])('rejects %p as unauthenticated', async (t) => {
      await expect(verifier.verify(t)).rejects.toThrow(UnauthenticatedError);
    });
  });

  describe('the hrp-gateway service account', () => {
    it('gets a client-credentials token', async () => {
      const payload = jwtPayload(await gatewayServiceToken());
      expect(payload.azp).toBe('hrp-gateway');
    });

    it('creates and deletes a user through the Admin REST API', async () => {
      const admin = await serviceAccountAdminClient({
        keycloakUrl: testInfra.keycloakUrl,
        realm: 'hrp',
        clientId: 'hrp-gateway',
        clientSecret: 'hrp-gateway-dev-secret',
      });
      const username = `tmp-${isolation().tag}`.toLowerCase().slice(0, 40);
      const { id } = await admin.users.create({
        username,
        enabled: true,
        email: `${username}@hrp.invalid`,
        firstName: 'Tmp',
        lastName: 'User',
        attributes: { region: ['MA-03'] },
      });
      const found = await admin.users.findOne({ id });
      expect(found?.username).toBe(username);
      expect(found?.attributes?.region).toEqual(['MA-03']);
      await admin.users.del({ id });
      expect(await admin.users.findOne({ id })).toBeFalsy();
    });
  });
});
