import { UnauthenticatedError, type Principal, type TokenVerifier } from './principal';

/* keycloak-connect ships no types for its token utilities; these are the parts we use. */
interface KcToken {
  token: string;
  content: { sub?: string; preferred_username?: string; realm_access?: { roles?: string[] }; region?: string; typ?: string };
}
interface KcGrantManager {
  validateToken(token: KcToken, expectedType: string): Promise<KcToken>;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const GrantManager = require('keycloak-connect/middleware/auth-utils/grant-manager') as new (config: object) => KcGrantManager;
const Config = require('keycloak-connect/middleware/auth-utils/config') as new (config: object) => object;
const Token = require('keycloak-connect/middleware/auth-utils/token') as new (token: string, clientId: string) => KcToken;
/* eslint-enable @typescript-eslint/no-require-imports */

export interface KeycloakVerifierOptions {
  /** e.g. http://127.0.0.1:8080 */
  keycloakUrl: string;
  realm: string;
  /**
   * Public base URL that issues the tokens (their `iss`), when it differs from `keycloakUrl`,
   * the URL this app uses to reach Keycloak (e.g. inside a container network). Default: keycloakUrl.
   */
  issuerUrl?: string;
  /** Audience the token must carry; the realm's web client adds `hrp-gateway`. */
  audience?: string;
  /** Seconds between two JWKS downloads when an unknown key id shows up (key rotation). */
  minTimeBetweenJwksRequests?: number;
}

/**
 * Offline verification of Keycloak access tokens with keycloak-connect's GrantManager:
 * signature against the realm's published keys (JWKS, refreshed on rotation), expiry,
 * issuer, token type, and the audience when one is given.
 */
export class KeycloakTokenVerifier implements TokenVerifier {
  private readonly grants: KcGrantManager;
  private readonly clientId: string;

  constructor(opts: KeycloakVerifierOptions) {
    this.clientId = opts.audience ?? 'hrp-gateway';
    const config = new Config({
      realm: opts.realm,
      'auth-server-url': opts.keycloakUrl,
      resource: this.clientId,
      'bearer-only': true,
      'verify-token-audience': opts.audience !== undefined,
      'min-time-between-jwks-requests': opts.minTimeBetweenJwksRequests ?? 10,
    });
    this.grants = new GrantManager(config);
    if (opts.issuerUrl && opts.issuerUrl !== opts.keycloakUrl) {
      // keycloak-connect checks `iss` against its realm URL and fetches keys (rotation) from the
      // same URL; split them: issuer for the check, internal URL for the keys.
      (this.grants as unknown as { realmUrl: string }).realmUrl = `${opts.issuerUrl.replace(/\/+$/, '')}/realms/${opts.realm}`;
    }
  }

  async verify(bearer: string): Promise<Principal> {
    if (!bearer || bearer.split('.').length !== 3) throw new UnauthenticatedError('malformed token');
    let token: KcToken;
    try {
      token = new Token(bearer, this.clientId);
    } catch {
      throw new UnauthenticatedError('malformed token');
    }
    try {
      await this.grants.validateToken(token, 'Bearer');
    } catch (e) {
      throw new UnauthenticatedError(e instanceof Error ? e.message : 'invalid token');
    }
    const c = token.content;
    if (!c.sub && !c.preferred_username) throw new UnauthenticatedError('token without subject');
    return {
      subject: c.sub ?? c.preferred_username!,
      username: c.preferred_username ?? c.sub!,
      roles: c.realm_access?.roles ?? [],
      ...(c.region ? { region: c.region } : {}),
      token: bearer,
    };
  }
}
