import { ROLES } from '@hrp/auth';
import { isRegion } from '@hrp/contracts';
import { graphQLError } from '@hrp/graphql-kit';

/*
 * The rules of user administration, checked before anything is asked of Keycloak or appended to
 * the admin stream: bad input and broken rules change nothing.
 */

export const REGIONAL_OFFICER = 'regional-officer';
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
// The shape the HTML living standard gives for type=email, which Keycloak's own validator accepts.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

const bad = (field: string, message: string) => graphQLError('BAD_USER_INPUT', message, { field });
const rule = (id: string, message: string) => graphQLError('DOMAIN_RULE_VIOLATION', message, { rule: id });

export interface ProvisionInput {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  roles: string[];
  region?: string | null;
  initialPassword?: string | null;
  passwordTemporary?: boolean | null;
  reason?: string | null;
}

export function checkReason(reason: string | null | undefined): string | null {
  if (reason == null || reason.trim() === '') return null;
  if (reason.length > 500) throw bad('reason', 'reason is at most 500 characters');
  return reason.trim();
}

/** A non-empty set of the platform's roles, each once; with the region they call for. */
export function checkRoles(roles: readonly string[], region: string | null | undefined): { roles: string[]; region: string | null } {
  if (roles.length === 0) throw bad('roles', 'at least one role');
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw bad('roles', `unknown roles: ${unknown.join(', ')} (the platform's are ${ROLES.join(', ')})`);
  if (new Set(roles).size !== roles.length) throw bad('roles', 'a role is named twice');
  if (roles.includes(REGIONAL_OFFICER)) {
    if (region == null) throw rule('admin.region.required', 'a regional officer needs a region');
    if (!isRegion(region)) throw bad('region', 'region must be MA-01 … MA-12 or NATIONAL');
  } else if (region != null) throw rule('admin.region.regional-officer-only', 'only a regional officer has a region');
  return { roles: [...roles].sort(), region: region ?? null };
}

export function checkProvision(input: ProvisionInput): ProvisionInput & { roles: string[]; region: string | null; reason: string | null } {
  if (typeof input.username !== 'string' || !USERNAME.test(input.username))
    throw bad('username', 'username: 3-64 characters, lowercase letters, digits, . _ - (starting with a letter or digit)');
  if (typeof input.email !== 'string' || input.email.length > 254 || !EMAIL.test(input.email)) throw bad('email', 'not an email address');
  for (const f of ['firstName', 'lastName'] as const)
    if (typeof input[f] !== 'string' || input[f].trim() === '' || input[f].length > 100) throw bad(f, `${f}: 1-100 characters`);
  if (input.initialPassword != null && (input.initialPassword.length < 12 || input.initialPassword.length > 128))
    throw bad('initialPassword', 'initialPassword: 12-128 characters');
  const { roles, region } = checkRoles(input.roles, input.region);
  return { ...input, firstName: input.firstName.trim(), lastName: input.lastName.trim(), roles, region, reason: checkReason(input.reason) };
}

/** An admin does not change their own roles (no one grants themselves a role). */
export function checkNotSelf(actorSubject: string, userId: string): void {
  if (actorSubject === userId) throw rule('admin.roles.self-grant', 'an admin cannot change their own roles');
}

/** The last enabled admin stays. (Stripping an admin's role is always another admin's act: one stays.) */
export function checkNotLastAdmin(otherEnabledAdmins: number): void {
  if (otherEnabledAdmins === 0) throw rule('admin.deactivate.last-admin', 'the last enabled admin cannot be deactivated');
}
