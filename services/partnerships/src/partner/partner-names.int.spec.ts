import { isolation, testInfra } from '@hrp/testing';
import mongoose from 'mongoose';
import type { EventStore } from '@hrp/event-store';
import { IllegalStateError } from '@hrp/domain-kit';
import { PartnerNames } from './partner-names';

jest.setTimeout(60_000);

/*
 * The reservation of active partners' names on the real store (FerretDB here, MongoDB in
 * production): unique by `_id`, refused while its holder is active or registering, taken over
 * after a crash, by one claimant only when several race.
 */
describe('PartnerNames on the real store', () => {
  const iso = isolation('partner-names');
  let conn: mongoose.Connection;
  /** The partners' streams as the store would give them: id → events. */
  const streams = new Map<string, unknown[]>();
  let names: PartnerNames;

  const registered = (partnerId: string, fr: string) => [
    { type: 'PartnerRegistered', data: { partnerId, name: { fr }, type: 'NGO', country: 'MA', contacts: [] } },
  ];

  beforeAll(async () => {
    conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
    const store = { readStream: async (id: string) => streams.get(id) ?? [] } as unknown as EventStore;
    names = new PartnerNames(conn, store);
    await names.onModuleInit();
  });
  afterAll(async () => {
    await conn?.dropDatabase();
    await conn?.close();
  });

  const holder = async (key: string) => (await conn.db!.collection('partner_names').findOne({ _id: key as never }))?.partnerId;
  const taken = (e: unknown) => e instanceof IllegalStateError && e.rule === 'partnerships.partner.name-taken';

  it('reserves a free key, accepts its holder again, refuses another while the holder is active', async () => {
    await names.reserve('MA:adala', 'partner-a');
    await names.reserve('MA:adala', 'partner-a');
    streams.set('partner-a', registered('partner-a', 'Adala'));
    expect(taken(await names.reserve('MA:adala', 'partner-b').catch((e: unknown) => e))).toBe(true);
    expect(await holder('MA:adala')).toBe('partner-a');
  });

  it('refuses a claimant while a fresh reservation’s holder is still registering, takes a stale one over', async () => {
    const now = Date.now();
    await names.reserve('MA:mizan', 'partner-crashed', now - 120_000); // reserved two minutes ago, never registered
    await names.reserve('MA:wassit', 'partner-registering', now - 1_000);
    expect(taken(await names.reserve('MA:wassit', 'partner-c', now).catch((e: unknown) => e))).toBe(true);
    await names.reserve('MA:mizan', 'partner-c', now);
    expect(await holder('MA:mizan')).toBe('partner-c');
  });

  it('lets one of several racing claimants take a stale reservation over', async () => {
    const now = Date.now();
    await names.reserve('MA:racing', 'partner-gone', now - 120_000);
    const claims = await Promise.allSettled(
      ['partner-r1', 'partner-r2', 'partner-r3', 'partner-r4'].map((id) => names.reserve('MA:racing', id, now)),
    );
    const won = claims.filter((c) => c.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'rejected').every((c) => taken(c.reason))).toBe(true);
    expect(['partner-r1', 'partner-r2', 'partner-r3', 'partner-r4']).toContain(await holder('MA:racing'));
  });

  it('releases only its own reservation, and not one its partner holds after all', async () => {
    await names.release('MA:adala', 'partner-b');
    expect(await holder('MA:adala')).toBe('partner-a');
    await names.releaseUnlessHeld('MA:adala', 'partner-a'); // partner-a is active with that name: kept
    expect(await holder('MA:adala')).toBe('partner-a');
    await names.reserve('MA:fresh', 'partner-f');
    await names.releaseUnlessHeld('MA:fresh', 'partner-f'); // never registered: released
    expect(await holder('MA:fresh')).toBeUndefined();
  });
});
