import { EventRegistry, eventTypeV1, regionSchema, type JsonSchema } from '@hrp/contracts';
import { ROLES } from '@hrp/auth';

/*
 * The admin stream: every act of user administration is an event of the gateway's own store, one
 * stream per user (`user-<keycloak id>`), with the admin as the event's actor. Personal data stays
 * minimal: the username, never the email or the names.
 */

export const USER_STREAM_PREFIX = 'user-';
export const userStream = (userId: string): string => `${USER_STREAM_PREFIX}${userId}`;

export interface UserProvisioned {
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly region: string | null;
  readonly reason: string | null;
}
export interface RolesAssigned {
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly previousRoles: readonly string[];
  readonly region: string | null;
  readonly reason: string | null;
}
export interface UserDeactivated {
  readonly userId: string;
  readonly username: string;
  readonly reason: string | null;
}

export type AdminEvent =
  | { readonly type: 'UserProvisioned'; readonly data: UserProvisioned }
  | { readonly type: 'RolesAssigned'; readonly data: RolesAssigned }
  | { readonly type: 'UserDeactivated'; readonly data: UserDeactivated };

const text = (max: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength: max });
const roles: JsonSchema = { type: 'array', items: { type: 'string', enum: ROLES }, maxItems: ROLES.length };
const nullableRegion: JsonSchema = { type: ['string', 'null'], enum: [...(regionSchema.enum as string[]), null] };
const reason: JsonSchema = { type: ['string', 'null'], maxLength: 500 };

/** The admin stream's event types, checked before every append. */
export const adminRegistry = new EventRegistry('admin')
  .register(
    eventTypeV1(
      'UserProvisioned',
      {
        type: 'object',
        required: ['userId', 'username', 'roles', 'region', 'reason'],
        additionalProperties: false,
        properties: { userId: text(64), username: text(64), roles: { ...roles, minItems: 1 }, region: nullableRegion, reason },
      },
      'an admin created the user in Keycloak, enabled, with these roles',
    ),
  )
  .register(
    eventTypeV1(
      'RolesAssigned',
      {
        type: 'object',
        required: ['userId', 'username', 'roles', 'previousRoles', 'region', 'reason'],
        additionalProperties: false,
        properties: {
          userId: text(64),
          username: text(255),
          roles: { ...roles, minItems: 1 },
          previousRoles: roles,
          region: nullableRegion,
          reason,
        },
      },
      "an admin set the user's platform roles to exactly these",
    ),
  )
  .register(
    eventTypeV1(
      'UserDeactivated',
      {
        type: 'object',
        required: ['userId', 'username', 'reason'],
        additionalProperties: false,
        properties: { userId: text(64), username: text(255), reason },
      },
      'an admin disabled the user in Keycloak and ended its sessions',
    ),
  );
