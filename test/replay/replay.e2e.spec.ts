import { spawn } from 'node:child_process';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { eventsTopic, KafkaJsBus } from '@hrp/messaging';
import { devToken, eventually, startPlatformStack, testInfra, type PlatformStack } from '@hrp/testing';
import { loadContext } from '../../libs/context-kit/src/replay/replay.cli';
import { isEqual, liveCollection, replayProjection, type ReplayReport } from '../../libs/context-kit/src/replay/replay';

/*
 * Issue 15, item 4: the replay CLI. One platform of the five contexts, data created through the
 * gateway in each (the funding process between campaigns and finance included), then every read
 * model of every context replayed from the log and compared with the live one: equal. A tampered
 * document is reported, and only it; a rebuild switches reads and the services follow; the view
 * as of an instant; a bar on a terminal, plain lines elsewhere. `npm run build` first: the CLI
 * and the definitions are the built ones.
 */
jest.setTimeout(180_000);

const CONTEXTS = ['partnerships', 'campaigns', 'training', 'advocacy', 'finance'] as const;
const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'libs/context-kit/dist/replay/replay.cli.js');

const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const PLAN_CAMPAIGN = `mutation($id: ID!) { planCampaign(id: $id) { campaign { id fundingStatus } } }`;
const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { id title { fr } } }`;
const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { id } } }`;
const PUBLISH_MODULE = `mutation($id: ID!) { publishTrainingModule(id: $id) { trainingModule { id } } }`;
const SCHEDULE = `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { trainingSession { id } } }`;
const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partner { id } } }`;
const DRAFT = `mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { agreement { id } } }`;
const OPEN_DOSSIER = `mutation($input: OpenDossierInput!) { openDossier(input: $input) { dossier { id } } }`;
const ISSUE = `mutation($id: ID!, $input: IssueRecommendationInput!) { issueRecommendation(dossierId: $id, input: $input) { dossier { id } } }`;
const IMPORT_UPR = `mutation($rows: [UprRecommendationRowInput!]!) { importUprRecommendations(rows: $rows) { created } }`;
const DRAFT_BUDGET = `mutation($input: DraftBudgetInput!) { draftBudget(input: $input) { budget { id } } }`;
const APPROVE_BUDGET = `mutation($id: ID!, $v: Int) { approveBudget(id: $id, expectedVersion: $v) { budget { id } } }`;

const TAG = { kind: 'SDG_TARGET', ref: '16.10' };
const YEAR = 2026;
const mad = (amount: number) => ({ amount: String(amount), currency: 'MAD' });
const campaignInput = (title: string, over: Record<string, unknown> = {}) => ({
  title: { fr: title },
  themes: ['CRC'],
  tags: [TAG],
  audiences: ['YOUTH'],
  channels: ['EVENTS'],
  regions: ['MA-06'],
  startDate: '2026-03-01',
  endDate: '2026-06-30',
  targetReach: 500,
  ...over,
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('The replay CLI (npm run replay)', () => {
  let stack: PlatformStack;
  let bus: KafkaJsBus;
  const conns: Record<string, Connection> = {};
  const created: Record<string, string> = {};
  /** An instant after the first campaign and before the others. */
  let afterFirstCampaign = '';
  let manager = '';

  const ok = async (token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> => {
    const r = await stack.gql(token, query, variables);
    if (r.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(r.errors)}`);
    return r.data!;
  };
  const dbName = (context: string) => `${stack.iso.dbName}_${context}`;
  const target = (context: string, projection: string) => {
    const definition = loadContext(context);
    return {
      context: definition,
      projection: definition.projections!.find((p) => p.name === projection)!,
      db: conns[context].db!,
      bus,
      topicPrefix: stack.iso.topicPrefix,
    };
  };
  /** The CLI as a child process on the stack's databases and topics; stdout is a pipe (not a terminal) unless `tty`. */
  const cli = (args: string[], opts: { tty?: boolean } = {}): Promise<CliRun> => {
    const context = args[0];
    const argv = [CLI, ...args, '--mongo-db', dbName(context), '--topic-prefix', stack.iso.topicPrefix, '--progress-every', '200'];
    const env = { ...process.env, MONGO_URL: testInfra.mongoUrl, KAFKA_BROKERS: testInfra.kafkaBrokers.join(','), MONGO_DB: '' };
    const child = opts.tty
      ? // A pseudo-terminal (util-linux script), as an operator's shell gives.
        spawn('script', ['-qec', [process.execPath, ...argv].map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd: ROOT, env })
      : spawn(process.execPath, argv, { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  };
  const verifyAll = async (context: string): Promise<ReplayReport[]> => {
    const reports: ReplayReport[] = [];
    for (const p of loadContext(context).projections ?? [])
      reports.push(await replayProjection(target(context, p.name), { verify: true, runId: `t${Date.now().toString(36)}` }));
    return reports;
  };
  /** Until no topic of the platform grows for 2 s (the relays, the funding process and the views settled). */
  const settled = async () => {
    let last = '';
    let since = Date.now();
    await eventually(
      'the platform is quiet',
      async () => {
        const ends = [];
        for (const c of CONTEXTS) ends.push(...(await bus.topicOffsets(eventsTopic(c, stack.iso.topicPrefix))).map((p) => p.high));
        const now = ends.join(',');
        if (now !== last) [last, since] = [now, Date.now()];
        return Date.now() - since >= 2000;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  };

  beforeAll(async () => {
    stack = await startPlatformStack(CONTEXTS, 15710);
    bus = new KafkaJsBus({ brokers: [...testInfra.kafkaBrokers], clientId: `test-replay-${stack.iso.tag}` });
    for (const c of CONTEXTS) conns[c] = await mongoose.createConnection(testInfra.mongoUrl, { dbName: dbName(c) }).asPromise();
    const [officer, coordinator, advocacy, finance, director] = await Promise.all(
      (['partnership-officer', 'training-coordinator', 'advocacy-officer', 'finance-officer', 'director'] as const).map((u) => devToken(u)),
    );
    manager = await devToken('campaign-manager');

    // Finance: an approved budget, so that a planned campaign's funding goes through the process.
    await ok(finance, DRAFT_BUDGET, {
      input: {
        fiscalYear: YEAR,
        lines: [
          { programmeArea: 'AWARENESS', label: 'Campagnes nationales', allocated: mad(100_000_000) },
          { programmeArea: 'OPERATIONS', allocated: mad(50_000_000) },
        ],
      },
    });
    await ok(director, APPROVE_BUDGET, { id: `budget-${YEAR}`, v: 1 });

    // Partnerships: a partner (campaigns' and training's known_partners) and an agreement.
    created.partner = (
      await ok(officer, REGISTER, { input: { name: { fr: 'Association des droits' }, type: 'NGO', country: 'MA' } })
    ).registerPartner.partner.id;
    await ok(officer, DRAFT, {
      input: {
        partnerId: created.partner,
        title: { fr: 'Convention de sensibilisation' },
        scope: { fr: 'Écoles' },
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        commitmentsOurs: ['Coordonner'],
        commitmentsTheirs: ['Animer'],
        tags: [TAG],
      },
    });

    // Campaigns: one, an instant, then two more, one of them planned with a cost (funding requested, then decided).
    created.first = (await ok(manager, CREATE_CAMPAIGN, { input: campaignInput('Première campagne') })).createCampaign.campaign.id;
    await new Promise((r) => setTimeout(r, 50));
    afterFirstCampaign = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    await ok(manager, CREATE_CAMPAIGN, { input: campaignInput('Deuxième campagne') });
    const funded = (
      await ok(manager, CREATE_CAMPAIGN, {
        input: campaignInput('Campagne financée', { estimatedCost: mad(1_000_000), budgetLineId: `budget-${YEAR}.line-1` }),
      })
    ).createCampaign.campaign.id as string;
    await ok(manager, PLAN_CAMPAIGN, { id: funded });

    // Training: a published module and a session.
    const moduleId = (
      await ok(coordinator, CREATE_MODULE, {
        input: { title: { fr: 'Droits de l’enfant' }, professions: ['TEACHER'], instruments: ['ICCPR'], hours: 8, tags: [TAG] },
      })
    ).createTrainingModule.trainingModule.id as string;
    await ok(coordinator, PUBLISH_MODULE, { id: moduleId });
    await ok(coordinator, SCHEDULE, {
      input: {
        moduleId,
        trainers: ['Formatrice A'],
        region: 'MA-06',
        venue: 'Rabat',
        startDate: '2026-04-13',
        endDate: '2026-04-14',
        capacity: 20,
        passMark: 60,
      },
    });

    // Advocacy: a dossier with a recommendation, and two UPR recommendations imported.
    const dossier = (
      await ok(advocacy, OPEN_DOSSIER, {
        input: {
          topic: { fr: 'Accès à l’information' },
          target: 'PARLIAMENT',
          objective: { fr: 'Décrets' },
          instruments: ['ICCPR'],
          themes: ['freedom of expression'],
          tags: [TAG],
        },
      })
    ).openDossier.dossier.id as string;
    await ok(advocacy, ISSUE, {
      id: dossier,
      input: { text: { fr: 'Publier les décrets' }, addressee: 'Gouvernement', source: 'MEMORANDUM', issuedOn: '2026-01-15', tags: [TAG] },
    });
    const row = (line: number, paragraph: string) => ({
      line,
      cycle: 4,
      session: 41,
      paragraph,
      text: `Recommendation ${paragraph}`,
      recommendingState: 'Norway',
      response: 'SUPPORTED',
      themes: ['Access to information'],
    });
    await ok(advocacy, IMPORT_UPR, { rows: [row(2, '148.1'), row(3, '148.2')] });

    await settled();
  }, 300_000);

  afterAll(async () => {
    for (const c of Object.values(conns)) await c.close().catch(() => undefined);
    await bus?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('replays every read model of every context equal to the live one (the function)', async () => {
    const seen: Record<string, Record<string, number>> = {};
    for (const context of CONTEXTS) {
      for (const r of await verifyAll(context)) {
        expect([context, r.projection, r.comparison]).toEqual([
          context,
          r.projection,
          expect.objectContaining({ differing: [], missing: [], extra: [] }),
        ]);
        expect(r.skipped).toBe(0);
        (seen[context] ??= {})[r.projection] = r.documents;
      }
    }
    // Every read model had something to compare.
    expect(Object.values(seen).flatMap((views) => Object.entries(views).filter(([, n]) => n === 0))).toEqual([]);
    expect(Object.keys(seen).sort()).toEqual([...CONTEXTS].sort());
  });

  it('says EQUAL for every read model of every context and exits 0 (the CLI), with plain progress lines off a terminal', async () => {
    for (const context of CONTEXTS) {
      const run = await cli([context, '--verify']);
      expect([context, run.code, run.stderr]).toEqual([context, 0, '']);
      const views = loadContext(context).projections!.map((p) => p.name);
      for (const view of views) {
        expect(run.stdout).toMatch(new RegExp(`^${view}: EQUAL — live ${view}__v\\d+ (\\d+) documents, replayed \\1 `, 'm'));
        expect(run.stdout).toMatch(new RegExp(`^replay ${view}: 0/\\d+ events, 0/s, ETA \\?$`, 'm'));
        expect(run.stdout).toMatch(new RegExp(`^replay ${view}: (\\d+)/\\1 events, \\d+/s, ETA 0 s$`, 'm'));
      }
      expect(run.stdout).not.toMatch(/\r|\u001b\[/);
    }
  });

  it('shows a progress bar on a terminal', async () => {
    const run = await cli(['campaigns', '--dry-run'], { tty: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/replay campaign_view \[█+\] \d+\/\d+ events \| \d+\/s \| ETA/);
    expect(run.stdout).toMatch(/campaign_view: replayed \d+ events into 3 documents .*\(dry run: scratch copy dropped\)/);
    expect(run.stdout).not.toMatch(/^replay campaign_view: \d+\/\d+ events, /m);
  });

  describe('when a document of the live view was altered', () => {
    let live = '';
    let original: unknown;
    beforeAll(async () => {
      live = await liveCollection(conns.campaigns.db!, 'campaign_view');
      const col = conns.campaigns.db!.collection<{ _id: string; targetReach?: number }>(live);
      original = (await col.findOne({ _id: created.first }))!.targetReach;
      await col.updateOne({ _id: created.first }, { $set: { targetReach: 999_999 } });
    });
    afterAll(async () => {
      await conns.campaigns.db!.collection<{ _id: string }>(live).updateOne({ _id: created.first }, { $set: { targetReach: original } });
    });

    it('reports exactly that document and field (the function)', async () => {
      const r = await replayProjection(target('campaigns', 'campaign_view'), { verify: true, passes: 1 });
      expect(r.comparison).toMatchObject({ differing: [{ id: created.first, fields: ['targetReach'] }], missing: [], extra: [] });
      expect(r.comparison!.equal).toBe(r.comparison!.liveCount - 1);
    });

    it('prints it and exits 1 (the CLI); the other read model is still equal', async () => {
      const run = await cli(['campaigns', '--verify']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^campaign_view: DIFFERENT — .*: 2 equal, 1 differing, 0 missing from the live one, 0 extra in the live one$/m,
      );
      expect(run.stdout.split('\n').filter((l) => l.startsWith('  differing '))).toEqual([`  differing ${created.first}: targetReach`]);
      expect(run.stdout).toMatch(/^known_partners: EQUAL/m);
    });

    it('reports a live document the log does not explain, and one the live view lost', async () => {
      const col = conns.campaigns.db!.collection<{ _id: string; _version?: number; _position?: number }>(live);
      const second = await col.findOne({ _id: { $nin: [created.first] } });
      await col.insertOne({ _id: 'campaign-from-nowhere', _version: 1, _position: 1 });
      await col.deleteOne({ _id: second!._id });
      try {
        const r = await replayProjection(target('campaigns', 'campaign_view'), { verify: true, passes: 1, catchUpMs: 1000 });
        expect(r.comparison).toMatchObject({ missing: [second!._id], extra: ['campaign-from-nowhere'] });
      } finally {
        await col.deleteOne({ _id: 'campaign-from-nowhere' });
        await col.insertOne(second!);
      }
    });
  });

  it('builds the view as of an instant beside the live one, and keeps it', async () => {
    const run = await cli(['campaigns', '--projection', 'campaign_view', '--until', afterFirstCampaign]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const kept = /kept in (campaign_view__asof_\w+)/.exec(run.stdout)?.[1];
    expect(run.stdout).toMatch(/^campaign_view: 1 documents as of then from \d+ events/m);
    const docs = await conns.campaigns.db!.collection(kept!).find({}).toArray();
    expect(docs.map((d) => d._id)).toEqual([created.first]);
    expect(await liveCollection(conns.campaigns.db!, 'campaign_view')).toBe('campaign_view__v1');
  });

  it('rebuilds into a new generation, switches reads, and the service goes on in it', async () => {
    const run = await cli(['campaigns', '--projection', 'campaign_view']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^campaign_view: rebuilt generation 1 → 2 from \d+ events, 3 documents in [\d.]+ s; reads switched$/m);
    expect(await liveCollection(conns.campaigns.db!, 'campaign_view')).toBe('campaign_view__v2');
    // The service follows the pointer (within 2 s) and applies new events to the new generation.
    await new Promise((r) => setTimeout(r, 2500));
    const id = (await ok(manager, CREATE_CAMPAIGN, { input: campaignInput('Après la reconstruction') })).createCampaign.campaign
      .id as string;
    await eventually('the new campaign is read', async () => (await stack.gql(manager, CAMPAIGN, { id })).data?.campaign?.id === id, {
      timeoutMs: 20_000,
    });
    const [view] = (await verifyAll('campaigns')).filter((r) => r.projection === 'campaign_view');
    expect(view.comparison).toMatchObject({ live: 'campaign_view__v2', liveCount: 4, differing: [], missing: [], extra: [] });
    expect(isEqual(view.comparison!)).toBe(true);
  });
});
