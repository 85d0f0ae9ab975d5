import { spawn } from 'node:child_process';
import * as path from 'node:path';
import mongoose from 'mongoose';
import { devToken, eventually, startPlatformStack, testInfra, type PlatformStack } from '@hrp/testing';

/*
 * Issue 13, items 4 and 5 through the gateway: the UPR recommendations of a cycle imported from a
 * CSV in the UN database's layout with the CLI (240 rows; again: nothing changes; a file with bad
 * rows: each reported by its line, none half imported), then the reverse view of one of them — a
 * campaign, a training module (and its session), an agreement, a dossier and a recommendation
 * tagged with it, in one query across four subgraphs.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'services', 'advocacy', 'dist', 'upr', 'import-upr.cli.js');
const FIXTURES = path.join(__dirname, 'fixtures');

const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, HRP_TOKEN: '' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('UPR import with the CLI, and the reverse view of a UPR recommendation across the subgraphs', () => {
  let stack: PlatformStack;
  let conn: mongoose.Connection;
  let officer: string;
  let director: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['advocacy', 'campaigns', 'training', 'partnerships'], 15640);
    [officer, director] = await Promise.all([devToken('advocacy-officer'), devToken('director')]);
    conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_advocacy` }).asPromise();
  }, 180_000);
  afterAll(async () => {
    await conn?.close();
    await stack?.stop();
  });

  const events = async () =>
    (
      await conn
        .db!.collection('es_commits')
        .find({}, { projection: { events: 1 } })
        .toArray()
    ).reduce((n, c) => n + ((c.events as unknown[] | undefined)?.length ?? 0), 0);
  const ok = async (token: string, q: string, v: Record<string, unknown> = {}): Promise<Record<string, any>> => {
    const r = await stack.gql(token, q, v);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const gateway = () => ['--gateway', `${stack.gateway.url}/graphql`, '--token', officer];

  it('imports 240 recommendations of the 4th cycle, then nothing more the second time; bad rows are reported by line', async () => {
    const first = await runCli([path.join(FIXTURES, 'upr-morocco-cycle4.csv'), ...gateway()]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('created 240, revised 0, unchanged 0, refused 0 row(s)');
    const stored = await events();
    expect(stored).toBe(240);

    const again = await runCli([path.join(FIXTURES, 'upr-morocco-cycle4.csv'), ...gateway()]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('created 0, revised 0, unchanged 240, refused 0 row(s)');
    expect(await events()).toBe(stored);

    const bad = await runCli([path.join(FIXTURES, 'upr-bad-rows.csv'), ...gateway()]);
    expect(bad.code).toBe(1);
    // Each refused row by its line (the file's own lines: the quoted field of line 7 spans line 8);
    // the good rows (2, 7, 14) go in, the identical repeat of line 2 (line 11) is skipped.
    const refusedLines = [...new Set([...bad.err.matchAll(/line (\d+)[,:]/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    expect(refusedLines).toEqual([3, 4, 5, 6, 10, 12, 13, 15]);
    const [, created, revised, unchanged] = bad.out.match(/created (\d+), revised (\d+), unchanged (\d+)/)!.map(Number);
    expect(created + revised + unchanged).toBe(3);
    expect(bad.out).toContain('refused 8 row(s)');
    expect(await events()).toBe(stored + created + revised);

    const list = await ok(
      officer,
      `{ uprRecommendations(cycle: 4, first: 3) { totalCount edges { node { ref response recommendingState } } } }`,
    );
    expect(list.uprRecommendations.totalCount).toBeGreaterThanOrEqual(240);
    const one = await ok(
      officer,
      `query($r: String!) { uprRecommendationByRef(ref: $r) { ref cycle session paragraph recommendingState response tag { kind ref } } }`,
      {
        r: '4-148.12',
      },
    );
    expect(one.uprRecommendationByRef).toMatchObject({
      ref: '4-148.12',
      cycle: 4,
      session: 41,
      paragraph: '148.12',
      recommendingState: 'Paraguay',
      response: 'SUPPORTED',
      tag: { kind: 'UPR_RECOMMENDATION', ref: '4-148.12' },
    });
  }, 120_000);

  it('shows everything done on one UPR recommendation, in one query across four subgraphs', async () => {
    const tag = { kind: 'UPR_RECOMMENDATION', ref: '4-148.12' };
    const other = { kind: 'UPR_RECOMMENDATION', ref: '4-148.1' };

    const campaign = (
      await ok(director, `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`, {
        input: {
          title: { fr: 'Accessibilité des livres pour les personnes aveugles' },
          themes: ['CRPD'],
          tags: [tag],
          audiences: ['GENERAL_PUBLIC'],
          channels: ['RADIO'],
          regions: ['NATIONAL'],
          startDate: day(10),
          endDate: day(60),
          targetReach: 1000,
        },
      })
    ).createCampaign.campaign.id as string;
    await ok(director, `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`, {
      input: {
        title: { fr: 'Autre campagne' },
        themes: ['ICCPR'],
        tags: [other],
        audiences: ['GENERAL_PUBLIC'],
        channels: ['RADIO'],
        regions: ['NATIONAL'],
        startDate: day(10),
        endDate: day(60),
        targetReach: 10,
      },
    });
    const module = (
      await ok(director, `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { id } } }`, {
        input: {
          title: { fr: 'Traité de Marrakech et édition accessible' },
          professions: ['TEACHER'],
          instruments: ['CRPD'],
          hours: 6,
          tags: [tag],
        },
      })
    ).createTrainingModule.trainingModule.id as string;
    const dossier = (
      await ok(officer, `mutation($input: OpenDossierInput!) { openDossier(input: $input) { dossier { id } } }`, {
        input: { topic: { fr: 'Ratification du Traité de Marrakech' }, target: 'GOVERNMENT', tags: [tag] },
      })
    ).openDossier.dossier.id as string;
    const recommendation = (
      await ok(
        officer,
        `mutation($id: ID!, $input: IssueRecommendationInput!) { issueRecommendation(dossierId: $id, input: $input) { position dossier { recommendations { id } } } }`,
        {
          id: dossier,
          input: {
            text: { fr: 'Déposer les instruments de ratification' },
            addressee: 'Gouvernement',
            source: 'UPR_CYCLE',
            issuedOn: day(-1),
            tags: [tag],
          },
        },
      )
    ).issueRecommendation.dossier.recommendations[0].id as string;

    const REVERSE = `query($k: TagKind!, $r: String!) { taggedWork(kind: $k, ref: $r) {
      kind ref uprRecommendation { recommendingState response }
      campaigns { id startDate endDate } trainingModules { id } dossiers { id openedAt } recommendations { id issuedOn } } }`;
    interface Work {
      uprRecommendation: unknown;
      campaigns: unknown[];
      trainingModules: unknown[];
      dossiers: unknown[];
      recommendations: unknown[];
    }
    let work: Work = { uprRecommendation: null, campaigns: [], trainingModules: [], dossiers: [], recommendations: [] };
    await eventually(
      'the reverse view of 4-148.12 in every context',
      async () => {
        const r = await stack.gql(officer, REVERSE, { k: tag.kind, r: tag.ref });
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        work = r.data!.taggedWork as Work;
        return [work.campaigns, work.trainingModules, work.dossiers, work.recommendations].every((l) => l.length > 0);
      },
      { timeoutMs: 30_000 },
    );
    expect(work.uprRecommendation).toEqual({ recommendingState: 'Paraguay', response: 'SUPPORTED' });
    expect(work.campaigns).toEqual([{ id: campaign, startDate: day(10), endDate: day(60) }]);
    expect(work.trainingModules).toEqual([{ id: module }]);
    expect(work.dossiers).toEqual([{ id: dossier, openedAt: expect.any(String) }]);
    expect(work.recommendations).toEqual([{ id: recommendation, issuedOn: day(-1) }]);

    // Another recommendation's view holds only what is tagged with it.
    // (Its campaign was created after the first: its read model may be a moment behind.)
    const others = await eventually('the reverse view of 4-148.1', async () => {
      const view = (await ok(officer, REVERSE, { k: other.kind, r: other.ref })).taggedWork as Work;
      return view.campaigns.length > 0 ? view : undefined;
    });
    expect(others.campaigns).toHaveLength(1);
    expect((others.campaigns[0] as { id: string }).id).not.toBe(campaign);
    expect([others.trainingModules, others.dossiers, others.recommendations]).toEqual([[], [], []]);
    expect(others.uprRecommendation).toMatchObject({ recommendingState: 'Uruguay' });

    // A tag nothing was done on: every list empty, no UPR recommendation behind it.
    const none = (await ok(officer, REVERSE, { k: 'SDG_TARGET', r: '99.9' })).taggedWork;
    expect(none).toMatchObject({ uprRecommendation: null, campaigns: [], trainingModules: [], dossiers: [], recommendations: [] });
  }, 120_000);
});
