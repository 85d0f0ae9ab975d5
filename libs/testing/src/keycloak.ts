import { createSign, generateKeyPairSync } from 'node:crypto';
import { ROLES } from '@hrp/auth';
import { testInfra } from './isolation';

/** Every dev user of `infra/keycloak/realm-hrp.json`: username = role name, plus an officer scoped to MA-06. */
export const DEV_USERS = [...ROLES, 'regional-officer-ma06'] as const;
export type DevUser = (typeof DEV_USERS)[number];

/** The dev users as a policy sees them: their realm role, and the region of the regional officers. */
export const DEV_PRINCIPALS = Object.fromEntries(
  DEV_USERS.map((u) => [
    u,
    u === 'regional-officer-ma06'
      ? { roles: ['regional-officer'], region: 'MA-06' }
      : u === 'regional-officer'
        ? { roles: [u], region: 'MA-01' }
        : { roles: [u] },
  ]),
) as Readonly<Record<DevUser, { readonly roles: string[]; readonly region?: string }>>;
export const DEV_PASSWORD = 'hrp-dev-password';

export interface TokenSet {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  token_type: string;
}

const cache = new Map<string, { token: TokenSet; until: number }>();

async function tokenRequest(form: Record<string, string>, keycloakUrl: string, realm: string): Promise<TokenSet> {
  const res = await fetch(`${keycloakUrl}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await res.json()) as TokenSet & { error?: string; error_description?: string };
  if (!res.ok) throw new Error(`token request failed (${res.status}): ${body.error} ${body.error_description ?? ''}`);
  return body;
}

/** A password-grant access token of a dev user, from the real Keycloak (cached until near expiry). */
export async function devToken(
  user: string,
  {
    keycloakUrl = testInfra.keycloakUrl,
    realm = testInfra.realm,
    password = DEV_PASSWORD,
  }: { keycloakUrl?: string; realm?: string; password?: string } = {},
): Promise<string> {
  const key = `${keycloakUrl}|${realm}|${user}`;
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.token.access_token;
  const token = await tokenRequest(
    { grant_type: 'password', client_id: 'hrp-web', username: user, password, scope: 'openid' },
    keycloakUrl,
    realm,
  );
  cache.set(key, { token, until: Date.now() + (token.expires_in - 30) * 1000 });
  return token.access_token;
}

/** A client-credentials token of the confidential `hrp-gateway` client (its service account). */
export async function gatewayServiceToken({
  keycloakUrl = testInfra.keycloakUrl,
  realm = testInfra.realm,
  secret = 'hrp-gateway-dev-secret',
} = {}): Promise<string> {
  const t = await tokenRequest({ grant_type: 'client_credentials', client_id: 'hrp-gateway', client_secret: secret }, keycloakUrl, realm);
  return t.access_token;
}

/** Decodes (without verifying) a JWT's payload: for assertions only. */
export function jwtPayload(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * A genuine token of a dev user from the dev-only client `hrp-test-short-lived`, whose tokens
 * live 2 s: wait about 3 s before using it as an expired token.
 */
export async function shortLivedToken(
  user = 'director',
  { keycloakUrl = testInfra.keycloakUrl, realm = testInfra.realm }: { keycloakUrl?: string; realm?: string } = {},
): Promise<string> {
  const t = await tokenRequest(
    { grant_type: 'password', client_id: 'hrp-test-short-lived', username: user, password: DEV_PASSWORD },
    keycloakUrl,
    realm,
  );
  return t.access_token;
}

/** Re-signs a payload under the given header with a fresh RSA key that is not the realm's. */
export function forgeToken(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signed = `${enc(header)}.${enc(payload)}`;
  return `${signed}.${createSign('RSA-SHA256').update(signed).sign(privateKey).toString('base64url')}`;
}

/** A real token's header and payload, signed by another key. */
export function forgedCopy(token: string): string {
  const [header] = token.split('.');
  return forgeToken(JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as Record<string, unknown>, jwtPayload(token));
}
