import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import mongoose from 'mongoose';
import { ROLES, serviceAccountAdminClient, type Principal } from '@hrp/auth';
import { EventStore, type ExpectedVersion } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import { currentContext } from '@hrp/service-kit';
import { config } from '../config';
import { deactivatedUsers } from './admin.deactivations';
import { adminRegistry, userStream, type AdminEvent } from './admin.events';
import {
  checkNotLastAdmin,
  checkNotSelf,
  checkProvision,
  checkReason,
  checkRoles,
  REGIONAL_OFFICER,
  type ProvisionInput,
} from './admin.rules';

type AdminClient = Awaited<ReturnType<typeof serviceAccountAdminClient>>;
interface KcUser {
  id?: string;
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
  emailVerified?: boolean;
  createdTimestamp?: number;
  attributes?: Record<string, unknown>;
  serviceAccountClientId?: string;
}

export interface UserView {
  id: string;
  username: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  roles: string[];
  region: string | null;
  enabled: boolean;
  createdAt: string | null;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;
const regionOf = (u: KcUser): string | null => {
  const r = u.attributes?.region;
  return (Array.isArray(r) ? (r[0] as string | undefined) : typeof r === 'string' ? r : undefined) ?? null;
};
const cursorOf = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const offsetOf = (cursor: string): number => {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw graphQLError('BAD_USER_INPUT', 'after: not a cursor of this list', { field: 'after' });
  return Number(m[1]) + 1;
};

/** What Keycloak's Admin API answered, as a GraphQL error (the admin client throws `NetworkError`s). */
function keycloakError(e: unknown, what: string): Error {
  const { response, responseData } = e as { response?: { status?: number }; responseData?: { errorMessage?: string; error?: string } };
  const reason = responseData?.errorMessage ?? responseData?.error ?? `Keycloak answered ${response?.status ?? 'nothing'}`;
  if (response?.status === 409) return graphQLError('CONFLICT', `${what}: ${reason}`, { retryable: false });
  if (response?.status === 400) return graphQLError('BAD_USER_INPUT', `${what}: ${reason}`);
  if (response?.status === 404) return graphQLError('NOT_FOUND', `${what}: no such user`);
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * User administration through the Keycloak Admin API, with the gateway's service account: the
 * rules first (nothing is asked of Keycloak when one fails), then Keycloak, then the act's event
 * on the admin stream (`user-<id>` in the gateway's own database, GATEWAY_DB). Events are not
 * published to Kafka (yet): the stream is the audit record of administration.
 */
@Injectable()
export class AdminService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('admin');
  private connection?: Promise<mongoose.Connection>;
  private storePromise?: Promise<EventStore>;
  private client?: { client: AdminClient; at: number };
  private timer?: NodeJS.Timeout;
  private readonly roleIds = new Map<string, string>();

  onModuleInit(): void {
    // The deactivated users, learnt from the shared store (every instance), at a short interval.
    let failing = false;
    this.timer = setInterval(() => {
      void this.store()
        .then((s) => deactivatedUsers.refresh(s))
        .then(
          () => (failing = false),
          (e: unknown) => {
            // Once per outage, not every interval.
            if (!failing) this.log.warn(`admin stream not read: ${e instanceof Error ? e.message : String(e)}`);
            failing = true;
          },
        );
    }, config.ADMIN_REFRESH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await (await this.connection?.catch(() => undefined))?.close();
  }

  /** The gateway's own event store (GATEWAY_DB): the admin stream. */
  store(): Promise<EventStore> {
    this.storePromise ??= (async () => {
      this.connection = mongoose
        .createConnection(config.MONGO_URL, { dbName: config.GATEWAY_DB, serverSelectionTimeoutMS: 5000, maxPoolSize: 4 })
        .asPromise();
      const connection = await this.connection;
      try {
        const store = new EventStore(connection);
        await store.init();
        return store;
      } catch (e) {
        await connection.close().catch(() => undefined);
        throw e;
      }
    })();
    this.storePromise.catch(() => (this.storePromise = undefined));
    return this.storePromise;
  }

  /** The Admin API client, authenticated again before its service-account token runs out. */
  private async kc(): Promise<AdminClient> {
    if (!config.KEYCLOAK_ADMIN_CLIENT_SECRET) throw new Error('KEYCLOAK_ADMIN_CLIENT_SECRET is not set: user administration is off');
    if (!this.client || Date.now() - this.client.at > 30_000) {
      const client = await serviceAccountAdminClient({
        keycloakUrl: config.KEYCLOAK_URL,
        realm: config.KEYCLOAK_REALM,
        clientId: config.KEYCLOAK_ADMIN_CLIENT_ID,
        clientSecret: config.KEYCLOAK_ADMIN_CLIENT_SECRET,
      });
      this.client = { client, at: Date.now() };
    }
    return this.client.client;
  }

  private async roleRepresentations(names: readonly string[]): Promise<{ id: string; name: string }[]> {
    const kc = await this.kc();
    return Promise.all(
      names.map(async (name) => {
        let id = this.roleIds.get(name);
        if (!id) {
          const role = await kc.roles.findOneByName({ name });
          if (!role?.id) throw new Error(`realm role ${name} is missing in Keycloak`);
          id = role.id;
          this.roleIds.set(name, id);
        }
        return { id, name };
      }),
    );
  }

  private async platformRoles(id: string): Promise<string[]> {
    const mapped = await (await this.kc()).users.listRealmRoleMappings({ id });
    return mapped
      .map((r) => r.name ?? '')
      .filter((n) => (ROLES as readonly string[]).includes(n))
      .sort();
  }

  private async view(u: KcUser, roles?: string[]): Promise<UserView> {
    return {
      id: u.id!,
      username: u.username!,
      email: u.email ?? null,
      firstName: u.firstName ?? null,
      lastName: u.lastName ?? null,
      roles: roles ?? (await this.platformRoles(u.id!)),
      region: regionOf(u),
      enabled: u.enabled ?? false,
      createdAt: u.createdTimestamp ? new Date(u.createdTimestamp).toISOString() : null,
    };
  }

  /** The whole user as an update sends it (with the declarative user profile, a partial one could drop attributes). */
  private representation(user: KcUser) {
    return {
      username: user.username,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      enabled: user.enabled,
      emailVerified: user.emailVerified,
      attributes: (user.attributes ?? {}) as Record<string, string[]>,
    };
  }

  private async findUser(userId: unknown): Promise<KcUser> {
    if (typeof userId !== 'string' || !ID.test(userId))
      throw graphQLError('BAD_USER_INPUT', 'userId: a Keycloak user id', { field: 'userId' });
    const user: KcUser | undefined = await (await this.kc()).users.findOne({ id: userId }).catch((e: unknown) => {
      if ((e as { response?: { status?: number } }).response?.status === 404) return undefined;
      throw e;
    });
    if (!user?.id || user.serviceAccountClientId) throw graphQLError('NOT_FOUND', `no user ${userId}`, { entity: 'User', id: userId });
    return user;
  }

  private async record(actor: Principal, userId: string, event: AdminEvent, expected: ExpectedVersion): Promise<void> {
    adminRegistry.validate(event.type, event.data);
    await (
      await this.store()
    ).append(userStream(userId), expected, [{ type: event.type, data: event.data }], {
      time: new Date().toISOString(),
      actor: { subject: actor.subject, username: actor.username },
      correlationId: currentContext()?.correlationId ?? randomUUID(),
    });
  }

  // ---------------------------------------------------------------- queries

  async users(first: number | null | undefined, after: string | null | undefined) {
    const size = first ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw graphQLError('BAD_USER_INPUT', 'first: 1-100', { field: 'first' });
    const offset = after ? offsetOf(after) : 0;
    const kc = await this.kc();
    const [found, total] = await Promise.all([
      kc.users.find({ first: offset, max: size + 1, briefRepresentation: false }) as Promise<KcUser[]>,
      kc.users.count(),
    ]);
    // Service accounts are no one's users: left out (a page may then be shorter than `first`).
    const page = found.slice(0, size).map((u, i) => ({ u, cursor: cursorOf(offset + i) }));
    const edges = await Promise.all(
      page.filter(({ u }) => !u.serviceAccountClientId).map(async ({ u, cursor }) => ({ node: await this.view(u), cursor })),
    );
    return {
      edges,
      pageInfo: { hasNextPage: found.length > size, endCursor: page.at(-1)?.cursor ?? null },
      totalCount: total,
    };
  }

  // ---------------------------------------------------------------- acts

  async provision(actor: Principal, raw: ProvisionInput): Promise<UserView> {
    const input = checkProvision(raw);
    const kc = await this.kc();
    const [byName, byEmail] = await Promise.all([
      kc.users.find({ username: input.username, exact: true }),
      kc.users.find({ email: input.email, exact: true }),
    ]);
    if (byName.length > 0)
      throw graphQLError('CONFLICT', `the username ${input.username} is taken`, { field: 'username', retryable: false });
    if (byEmail.length > 0) throw graphQLError('CONFLICT', 'the email is taken by another user', { field: 'email', retryable: false });
    const roles = await this.roleRepresentations(input.roles);
    const { id } = await kc.users
      .create({
        username: input.username,
        email: input.email,
        firstName: input.firstName,
        lastName: input.lastName,
        enabled: true,
        emailVerified: false,
        ...(input.region ? { attributes: { region: [input.region] } } : {}),
        // Without a password set here, the user sets one (and verifies the email) through Keycloak.
        ...(input.initialPassword
          ? { credentials: [{ type: 'password', value: input.initialPassword, temporary: input.passwordTemporary ?? true }] }
          : { requiredActions: ['UPDATE_PASSWORD', 'VERIFY_EMAIL'] }),
      })
      .catch((e: unknown) => {
        throw keycloakError(e, 'provisioning');
      });
    try {
      await kc.users.addRealmRoleMappings({ id, roles });
      await this.record(
        actor,
        id,
        {
          type: 'UserProvisioned',
          data: { userId: id, username: input.username, roles: input.roles, region: input.region, reason: input.reason },
        },
        'no-stream',
      );
    } catch (e) {
      // Half a user is no user: the act did not happen.
      await kc.users.del({ id }).catch(() => undefined);
      throw e;
    }
    return this.view((await kc.users.findOne({ id })) as KcUser, input.roles);
  }

  async assignRoles(
    actor: Principal,
    args: { userId: string; roles: string[]; region?: string | null; reason?: string | null },
  ): Promise<UserView> {
    checkNotSelf(actor.subject, args.userId);
    const reason = checkReason(args.reason);
    if (!Array.isArray(args.roles) || args.roles.length === 0)
      throw graphQLError('BAD_USER_INPUT', 'at least one role', { field: 'roles' });
    const user = await this.findUser(args.userId);
    const current = regionOf(user);
    const officer = args.roles.includes(REGIONAL_OFFICER);
    const { roles, region } = checkRoles(args.roles, officer ? (args.region ?? current) : args.region);
    const previousRoles = await this.platformRoles(user.id!);
    const add = roles.filter((r) => !previousRoles.includes(r));
    const remove = previousRoles.filter((r) => !roles.includes(r));
    if (add.length === 0 && remove.length === 0 && region === current) return this.view(user, previousRoles);
    const kc = await this.kc();
    if (region !== current) {
      const attributes = { ...(user.attributes ?? {}) } as Record<string, string[]>;
      if (region) attributes.region = [region];
      else delete attributes.region;
      await kc.users.update({ id: user.id! }, { ...this.representation(user), attributes }).catch((e: unknown) => {
        throw keycloakError(e, 'assigning roles');
      });
    }
    if (remove.length > 0) await kc.users.delRealmRoleMappings({ id: user.id!, roles: await this.roleRepresentations(remove) });
    if (add.length > 0) await kc.users.addRealmRoleMappings({ id: user.id!, roles: await this.roleRepresentations(add) });
    await this.record(
      actor,
      user.id!,
      { type: 'RolesAssigned', data: { userId: user.id!, username: user.username!, roles, previousRoles, region, reason } },
      'any',
    );
    return this.view({ ...user, attributes: region ? { ...user.attributes, region: [region] } : {} }, roles);
  }

  async deactivate(actor: Principal, args: { userId: string; reason?: string | null }): Promise<UserView> {
    const reason = checkReason(args.reason);
    const user = await this.findUser(args.userId);
    const roles = await this.platformRoles(user.id!);
    const kc = await this.kc();
    if (roles.includes('admin')) {
      const admins = (await kc.roles.findUsersWithRole({ name: 'admin', max: 1000 })) as KcUser[];
      checkNotLastAdmin(admins.filter((a) => a.id !== user.id && a.enabled && !deactivatedUsers.has(a.id!)).length);
    }
    const store = await this.store();
    const stream = await store.readStream(userStream(user.id!));
    const recorded = stream.some((e) => e.type === 'UserDeactivated');
    if (!user.enabled && recorded) return this.view(user, roles);
    if (user.enabled)
      await kc.users.update({ id: user.id! }, { ...this.representation(user), enabled: false }).catch((e: unknown) => {
        throw keycloakError(e, 'deactivating');
      });
    // Its refresh tokens die with its sessions; its access tokens, with the gateway's check.
    await kc.users.logout({ id: user.id! });
    deactivatedUsers.add(user.id!);
    if (!recorded)
      await this.record(actor, user.id!, { type: 'UserDeactivated', data: { userId: user.id!, username: user.username!, reason } }, 'any');
    this.log.log(`user ${user.username} deactivated by ${actor.username}`);
    return this.view({ ...user, enabled: false }, roles);
  }
}
