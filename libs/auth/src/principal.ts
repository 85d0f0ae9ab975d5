/** The authenticated caller, as every HRP app sees it after token verification. */
export interface Principal {
  /** Keycloak subject (stable user id). */
  readonly subject: string;
  readonly username: string;
  /** Realm roles (docs/domain.md, "Roles"). */
  readonly roles: readonly string[];
  /** The user's `region` attribute (regional officers), e.g. "MA-06". */
  readonly region?: string;
  /** The verified bearer token, forwarded by the gateway to subgraphs (zero trust). */
  readonly token: string;
}

export const ROLES = [
  'admin',
  'director',
  'campaign-manager',
  'training-coordinator',
  'partnership-officer',
  'advocacy-officer',
  'finance-officer',
  'me-officer',
  'regional-officer',
  'auditor',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

/** No, expired, malformed, or badly signed token. Maps to GraphQL UNAUTHENTICATED / HTTP 401. */
export class UnauthenticatedError extends Error {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(reason: string) {
    super(`not authenticated: ${reason}`);
    this.name = 'UnauthenticatedError';
  }
}

/** Verifies a bearer token. An interface of ours, so keycloak-connect (in maintenance) can be swapped. */
export interface TokenVerifier {
  verify(bearer: string): Promise<Principal>;
}
