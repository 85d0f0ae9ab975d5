import { UnauthenticatedError, type Principal, type TokenVerifier } from './principal';

/**
 * The users whose still-valid access tokens this process refuses: those an admin deactivated. An
 * access token lives until it expires whatever Keycloak does to its user, so each service learns
 * the deactivations from the gateway's admin events (libs/context-kit feeds this from the
 * `gateway` topic) and refuses their tokens from then on, whether the request came through the
 * gateway or straight to the service.
 */
export class RevokedSubjects {
  private readonly subjects = new Set<string>();

  has(subject: string): boolean {
    return this.subjects.has(subject);
  }

  add(subject: string): void {
    this.subjects.add(subject);
  }

  get size(): number {
    return this.subjects.size;
  }
}

/** This process's list, shared by its verifier and whatever feeds it. */
export const revokedSubjects = new RevokedSubjects();

/** A verifier that also refuses the tokens of revoked users (UNAUTHENTICATED). */
export class RevokingVerifier implements TokenVerifier {
  constructor(
    private readonly inner: TokenVerifier,
    private readonly revoked: RevokedSubjects = revokedSubjects,
  ) {}

  async verify(bearer: string): Promise<Principal> {
    const principal = await this.inner.verify(bearer);
    if (this.revoked.has(principal.subject)) throw new UnauthenticatedError('the user is deactivated');
    return principal;
  }
}
