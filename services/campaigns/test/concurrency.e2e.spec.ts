import { devToken } from '@hrp/testing';
import { CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

/*
 * Commands that race on one stream, through the gateway: without expectedVersion every command
 * applies to the latest state (serialised per stream in an instance, retried across instances);
 * with one, exactly one command per version succeeds.
 */
const SCHEDULE = `mutation($id: ID!, $v: Int, $input: ScheduleActivityInput!) {
  scheduleActivity(campaignId: $id, input: $input, expectedVersion: $v) { position campaign { version } } }`;
const READ = 'query($id: ID!, $p: String) { campaign(id: $id, minPosition: $p) { version activities { id } } }';

async function activeCampaign(stack: CampaignsStack, token: string): Promise<string> {
  const created = await stack.gql(token, CREATE, { input: campaignInput() });
  const id = created.data!.createCampaign.campaign.id as string;
  for (const op of ['planCampaign', 'launchCampaign']) {
    const r = await stack.gql(token, `mutation($id: ID!) { ${op}(id: $id) { position } }`, { id });
    expect(r.errors).toBeUndefined();
  }
  return id;
}

const input = (i: number) => ({ kind: 'WORKSHOP', date: `2026-04-${String((i % 28) + 1).padStart(2, '0')}`, region: 'MA-06' });

function describeRaces(label: string, basePort: number, instances: number) {
  describe(`${label}`, () => {
    let stack: CampaignsStack;
    let token: string;

    beforeAll(async () => {
      stack = await startCampaignsStack(basePort, { instances });
      token = await devToken('campaign-manager');
    }, 120_000);
    afterAll(async () => stack?.stop());

    it('applies all 30 concurrent commands sent without expectedVersion, with dense versions, and the view shows all 30', async () => {
      const id = await activeCampaign(stack, token);
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => stack.gql(token, SCHEDULE, { id, input: input(i) })));
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const versions = results.map((r) => r.data!.scheduleActivity.campaign.version as number).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 30 }, (_, i) => i + 4));
      expect((await stack.readStream(id)).map((e) => e.streamVersion)).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
      const last = results.map((r) => r.data!.scheduleActivity.position as string).sort((a, b) => Number(b) - Number(a))[0];
      const view = await stack.gql(token, READ, { id, p: last });
      expect(view.errors).toBeUndefined();
      expect(view.data!.campaign.version).toBe(33);
      expect(view.data!.campaign.activities).toHaveLength(30);
      // with two instances, both served commands of this stream
      if (instances > 1) for (const n of stack.forwarded()) expect(n).toBeGreaterThan(5);
    });

    it('lets exactly one of 30 concurrent commands with the same expectedVersion through; the others get CONFLICT', async () => {
      const id = await activeCampaign(stack, token);
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => stack.gql(token, SCHEDULE, { id, v: 3, input: input(i) })));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      const conflicts = results.filter((r) => r.errors).map((r) => r.errors![0].extensions);
      expect(conflicts).toHaveLength(29);
      for (const c of conflicts) expect(c).toMatchObject({ code: 'CONFLICT', expectedVersion: 3, actualVersion: 4 });
      expect((await stack.readStream(id)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    });
  });
}

describe('Campaigns: concurrent commands on one stream, through the gateway', () => {
  describeRaces('with one instance of the service', 14500, 1);
  describeRaces('with two instances of the service behind one URL, on one store', 14520, 2);
});
