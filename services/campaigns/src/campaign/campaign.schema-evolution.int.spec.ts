import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Principal } from '@hrp/auth';
import { CommandService, ContextModule, ContextRuntime, contextConfig } from '@hrp/context-kit';
import { EventRegistry, type JsonSchema } from '@hrp/contracts';
import { EventStore } from '@hrp/event-store';
import { waitForPosition } from '@hrp/messaging';
import { isolation, testInfra } from '@hrp/testing';
import mongoose from 'mongoose';
import { campaignAggregate, campaignsContext } from '../campaigns.context';
import { campaignEventRegistry } from './campaign.registry';
import { CAMPAIGN_VIEW } from './projections/campaign-view.projection';

jest.setTimeout(120_000);

/*
 * Schema evolution on the write path, against the real store and Kafka: a release where
 * CampaignCreated is at v2 (today's shape) and v1 had a French-only `title` string. Old v1 events
 * are read as v2, new events are stored as v2, and a rebuild over the mixed log equals the live view.
 */
const current = campaignEventRegistry.schema('CampaignCreated');
const v1: JsonSchema = { ...current, properties: { ...current.properties, title: { type: 'string', minLength: 1 } } };

function registryWithV2(): EventRegistry {
  const r = new EventRegistry('campaigns');
  for (const type of campaignEventRegistry.types()) {
    if (type !== 'CampaignCreated') r.register({ type, currentVersion: 1, schemas: { 1: campaignEventRegistry.schema(type) } });
    else
      r.register({
        type,
        currentVersion: 2,
        schemas: { 1: v1, 2: current },
        upcasters: { 1: (d: { title: string }) => ({ ...d, title: { fr: d.title } }) },
      });
  }
  return r;
}

const director: Principal = { subject: 'sub-director', username: 'director', roles: ['director'], token: 'unused' };
const created = <T>(campaignId: string, title: T) => ({
  campaignId,
  title,
  themes: ['CRC'],
  tags: [] as never[],
  audiences: ['YOUTH' as const],
  channels: ['RADIO' as const],
  regions: ['MA-06'],
  startDate: '2026-03-01',
  endDate: '2026-06-30',
  targetReach: 100,
  partnerIds: [] as string[],
});

describe('Campaign events across a schema change (CampaignCreated v1 → v2)', () => {
  const iso = isolation();
  let app: INestApplication;
  let store: EventStore;
  let runtime: ContextRuntime;

  beforeAll(async () => {
    const config = contextConfig('campaigns', 0, {
      MONGO_URL: testInfra.mongoUrl,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      MONGO_DB: iso.dbName,
      KAFKA_TOPIC_PREFIX: iso.topicPrefix,
      NODE_ENV: 'test',
    });
    @Module({ imports: [ContextModule.forRoot({ ...campaignsContext, registry: registryWithV2() }, config)] })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: ['error'] });
    store = app.get(EventStore);
    // What the previous release wrote: two campaigns created as v1.
    for (const [id, title] of [
      ['campaign-old-1', 'Ancien titre'],
      ['campaign-old-2', 'Autre titre'],
    ] as const) {
      await store.append(id, 'no-stream', [{ type: 'CampaignCreated', schemaVersion: 1, data: created(id, title) }], {
        time: '2025-01-01T00:00:00.000Z',
        actor: { subject: 'sub-old', username: 'old-release' },
        correlationId: `old-${id}`,
      });
    }
    await app.init();
    runtime = app.get(ContextRuntime);
  });

  afterAll(async () => {
    await app?.close();
    await runtime?.bus.deleteTopics([runtime.topic, runtime.dlq]).catch(() => undefined);
    const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
    await conn.dropDatabase();
    await conn.close();
  });

  it('reads old v1 events as v2, stores new events as v2, and a rebuild over the mixed log equals the live view', async () => {
    const commands = app.get(CommandService);
    // An old campaign goes on: its v1 history folds as v2.
    const planned = await commands.execute(campaignAggregate, director, { type: 'PlanCampaign', data: { campaignId: 'campaign-old-1' } });
    expect(planned.state).toMatchObject({ title: { fr: 'Ancien titre' }, status: 'PLANNED' });
    const fresh = await commands.execute(campaignAggregate, director, {
      type: 'CreateCampaign',
      data: { ...created('campaign-new-1', { fr: 'Nouveau', en: 'New' }), knownPartners: [] },
    });

    const stored = await store.commits.find({}).sort({ _id: 1 }).toArray();
    expect(stored.flatMap((c) => c.events.map((e) => [c.streamId, e.type, e.schemaVersion]))).toEqual([
      ['campaign-old-1', 'CampaignCreated', 1],
      ['campaign-old-2', 'CampaignCreated', 1],
      ['campaign-old-1', 'CampaignPlanned', 1],
      ['campaign-new-1', 'CampaignCreated', 2],
    ]);
    expect((await store.readStream('campaign-old-2'))[0]).toMatchObject({ schemaVersion: 2, data: { title: { fr: 'Autre titre' } } });

    const view = runtime.view(CAMPAIGN_VIEW);
    expect(await waitForPosition(view, fresh.position!, { timeoutMs: 30_000 })).toBe(true);
    expect(await waitForPosition(view, planned.position!, { streamId: 'campaign-old-1', timeoutMs: 30_000 })).toBe(true);
    const live = await (await view.collection()).find({}).sort({ _id: 1 }).toArray();
    expect(live.map((d) => [d._id, d.title, d.status])).toEqual([
      ['campaign-new-1', { fr: 'Nouveau', en: 'New' }, 'DRAFT'],
      ['campaign-old-1', { fr: 'Ancien titre' }, 'PLANNED'],
      ['campaign-old-2', { fr: 'Autre titre' }, 'DRAFT'],
    ]);

    const rebuilt = await view.rebuild({ bus: runtime.bus, topics: [runtime.topic], dlqTopic: runtime.dlq, groupPrefix: iso.topicPrefix });
    expect(rebuilt).toMatchObject({ generation: 2, previous: 1, messages: 4 });
    const after = await (await view.collection()).find({}).sort({ _id: 1 }).toArray();
    expect(after).toEqual(live);
  });
});
