import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { devToken, eventually, startApp, startContextStack, testInfra, type ContextStack, type RunningApp } from '@hrp/testing';

/*
 * Issue 12, follow-up: the daily expiry check over a clock the test drives (CLOCK_FILE, read by
 * every instance at every run), with two instances running it at once, across days the service
 * was down, and after a restart — each notice exactly once per agreement and threshold. Also the
 * reservation of an active partner's name + country, raced through the two instances.
 */

const BASE = 15320;
const DAY_MS = 86_400_000;
const realToday = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${realToday}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);

const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partner { id version status } } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivatePartner(id: $id, reason: "dissous") { partner { id status } } }`;
const REACTIVATE = `mutation($id: ID!) { reactivatePartner(id: $id) { partner { id status } } }`;
const DRAFT = `mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { agreement { id } } }`;
const NEGOTIATE = `mutation($id: ID!) { startNegotiation(id: $id) { agreement { id } } }`;
const SIGN = `mutation($id: ID!, $on: Date!) { signAgreement(id: $id, signedOn: $on) { agreement { id status } } }`;
const ACTIVATE = `mutation($id: ID!) { activateAgreement(id: $id) { agreement { id status } } }`;

describe('Partnerships follow-up: the daily expiry check over a driven clock, two instances, a restart', () => {
  let stack: ContextStack;
  let officer: string;
  let clockFile: string;
  const restarted: RunningApp[] = [];
  const setDay = (d: string) => fs.writeFileSync(clockFile, `${d}T09:00:00.000Z\n`);
  const env = () => ({ CLOCK_FILE: clockFile, JOBS_EVERY_MS: '250' });

  beforeAll(async () => {
    clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hrp-clock-')), 'now');
    setDay(day(0));
    stack = await startContextStack('partnerships', BASE, { instances: 2, env: env() });
    officer = await devToken('partnership-officer');
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(restarted.map((a) => a.stop()));
    await stack?.stop();
  });

  const gql = async (q: string, v: Record<string, unknown>) => {
    const r = await stack.gql(officer, q, v);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };

  /** The expiry events of a stream, as `60`, `30`, `7` and `expired`, in order. */
  const notices = async (id: string) =>
    (await stack.readStream(id))
      .filter((e) => e.type === 'AgreementExpiring' || e.type === 'AgreementExpired')
      .map((e) => (e.type === 'AgreementExpired' ? 'expired' : (e.data.threshold as number)));

  /** Job runs each instance reports in /health. */
  const runsOf = async (app: RunningApp) => {
    const body = (await (await fetch(`${app.url}/health`)).json()) as {
      checks: { runtime: { details?: { jobs?: Record<string, { runs: number; lastResult?: Record<string, unknown> }> } } };
    };
    return body.checks.runtime.details?.jobs?.['agreement-expiry-check'];
  };

  /** Waits until every app has run the check twice more (so a duplicate, if any, would have been written). */
  const settle = async (apps: RunningApp[]) => {
    const before = await Promise.all(apps.map(async (a) => (await runsOf(a))?.runs ?? 0));
    await eventually(
      'two more runs of the check on every instance',
      async () => (await Promise.all(apps.map(async (a, i) => ((await runsOf(a))?.runs ?? 0) >= before[i] + 2))).every(Boolean),
      { timeoutMs: 20_000 },
    );
  };

  const agreement = async (partnerId: string, endOffset: number) => {
    const id = (
      await gql(DRAFT, {
        input: {
          partnerId,
          title: { fr: `Convention jusqu’au ${day(endOffset)}` },
          scope: { fr: 'Sensibilisation' },
          startDate: day(0),
          endDate: day(endOffset),
          commitmentsOurs: ['Former'],
          commitmentsTheirs: ['Accueillir'],
          contributions: [
            { direction: 'FROM_PARTNER', kind: 'IN_KIND', description: 'Salles', estimatedValue: { amount: '100000', currency: 'MAD' } },
          ],
        },
      })
    ).draftAgreement.agreement.id as string;
    await gql(NEGOTIATE, { id });
    await gql(SIGN, { id, on: day(0) });
    return id;
  };

  it('reserves an active partner’s name and country: one of two racing registrations wins; deactivation frees it', async () => {
    const input = (fr: string, country = 'MA') => ({ input: { name: { fr }, type: 'NGO', country } });
    // The proxy sends the two requests to the two instances.
    const race = await Promise.all([
      stack.gql(officer, REGISTER, input('Association Adala')),
      stack.gql(officer, REGISTER, input('  ASSOCIATION adala ')),
    ]);
    const won = race.filter((r) => !r.errors);
    const lost = race.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].errors![0].extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.partner.name-taken' });
    expect(stack.forwarded().every((n) => n > 0)).toBe(true);
    const first = (won[0].data as { registerPartner: { partner: { id: string } } }).registerPartner.partner.id;

    // Same name elsewhere: another partner.
    expect((await stack.gql(officer, REGISTER, input('Association Adala', 'TN'))).errors).toBeUndefined();
    // Deactivated, the name is free; the first partner cannot come back while another holds it.
    await gql(DEACTIVATE, { id: first });
    const second = (await gql(REGISTER, input('Association Adala'))).registerPartner.partner.id as string;
    const back = await stack.gql(officer, REACTIVATE, { id: first });
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.partner.name-taken' });
    await gql(DEACTIVATE, { id: second });
    expect((await gql(REACTIVATE, { id: first })).reactivatePartner.partner.status).toBe('ACTIVE');
    // A registration retried with its Idempotency-Key is replayed, not refused as taken by itself.
    const headers = { 'Idempotency-Key': 'register-mizan-1' };
    const once = await stack.gql(officer, REGISTER, input('Fondation Mizan'), headers);
    const again = await stack.gql(officer, REGISTER, input('Fondation Mizan'), headers);
    expect(once.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(once.data);
  }, 60_000);

  it('writes each notice once per agreement and threshold, with two instances, over missed days and a restart', async () => {
    const partnerId = (await gql(REGISTER, { input: { name: { fr: 'Université Ibn Tofail' }, type: 'UNIVERSITY', country: 'MA' } }))
      .registerPartner.partner.id as string;
    const long = await agreement(partnerId, 90); // in force, 90 days left
    const soon = await agreement(partnerId, 45); // 45 days left: the 60-day notice is due today
    await gql(ACTIVATE, { id: long });
    const neverSigned = (
      await gql(DRAFT, {
        input: {
          partnerId,
          title: { fr: 'Projet non signé' },
          scope: { fr: '—' },
          startDate: day(0),
          endDate: day(10),
          commitmentsOurs: ['—'],
          commitmentsTheirs: ['—'],
        },
      })
    ).draftAgreement.agreement.id as string;

    // Day 0, two instances: the 60-day notice of `soon`, once.
    await eventually('the 60-day notice of the agreement ending in 45 days', async () => (await notices(soon)).length === 1, {
      timeoutMs: 20_000,
    });
    await settle(stack.instances);
    expect(await notices(soon)).toEqual([60]);
    expect(await notices(long)).toEqual([]);

    // Day 31: `long` has 59 days left (60), `soon` 14 (30).
    setDay(day(31));
    await eventually('the notices of day 31', async () => (await notices(long)).length === 1 && (await notices(soon)).length === 2, {
      timeoutMs: 20_000,
    });
    await settle(stack.instances);
    expect(await notices(long)).toEqual([60]);
    expect(await notices(soon)).toEqual([60, 30]);

    // The service is down from day 32 to day 46: `soon` ended on day 45 without its 7-day notice.
    await Promise.all(stack.instances.map((a) => a.stop()));
    setDay(day(46));
    const appEnv = {
      MONGO_DB: stack.iso.dbName,
      KAFKA_TOPIC_PREFIX: stack.iso.topicPrefix,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      ...env(),
    };
    restarted.push(await startApp('partnerships-restarted', 'services/partnerships', BASE + 3, appEnv));
    await eventually('the missed 7-day notice and the expiry', async () => (await notices(soon)).length === 4, { timeoutMs: 20_000 });
    // A second instance joins on the same day: nothing more is written.
    restarted.push(await startApp('partnerships-restarted-2', 'services/partnerships', BASE + 4, appEnv));
    await settle(restarted);
    expect(await notices(soon)).toEqual([60, 30, 7, 'expired']);
    expect(await notices(long)).toEqual([60]);
    expect(await notices(neverSigned)).toEqual([]);

    // The audit-anchor job of the kit (JOBS_EVERY_MS here) seals the log the check wrote to.
    await eventually(
      'an anchor over the log',
      async () => {
        const body = (await (await fetch(`${restarted[1].url}/health`)).json()) as {
          checks: { runtime: { details?: { jobs?: Record<string, { lastResult?: { anchoredTo?: number | null } }> } } };
        };
        const job = body.checks.runtime.details?.jobs?.['audit-anchor'];
        if (!((job?.lastResult?.anchoredTo ?? 0) > 0)) throw new Error(JSON.stringify(job));
        return true;
      },
      { timeoutMs: 20_000 },
    );

    // What the check reported: the day it ran for, and nothing left to write.
    const health = await runsOf(restarted[1]);
    expect(health?.lastResult).toMatchObject({ today: day(46), notices: 0, expired: 0 });

    // Day 84 (6 days left for `long`): its 30- and 7-day notices at once, largest first, once.
    setDay(day(84));
    await eventually('the late notices of the long agreement', async () => (await notices(long)).length === 3, { timeoutMs: 20_000 });
    await settle(restarted);
    expect(await notices(long)).toEqual([60, 30, 7]);
  }, 180_000);
});
