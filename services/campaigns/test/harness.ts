import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { eventsTopic, KafkaJsBus, toMessage } from '@hrp/messaging';
import { graphql, isolation, startApp, testInfra, type GraphQLResponse, type Isolation, type RunningApp } from '@hrp/testing';

/**
 * The campaigns slice as clients see it: the built campaigns service and the built gateway, as
 * processes, on ports of this test file, with a database and topic prefix of its own.
 */
export interface CampaignsStack {
  iso: Isolation;
  gateway: RunningApp;
  campaigns: RunningApp;
  gql<T = Record<string, any>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Events stored by the campaigns service (all streams), straight from the store. */
  storedEventCount(): Promise<number>;
  readStream(streamId: string): Promise<{ type: string; streamVersion: number; metadata: Record<string, unknown> }[]>;
  bus: KafkaJsBus;
  /** Publishes a finance integration event as finance will (CloudEvents on hrp.finance.events). */
  publishFinanceEvent(type: 'CommitmentApproved' | 'CommitmentRejected', data: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startCampaignsStack(basePort: number, campaignsEnv: Record<string, string> = {}): Promise<CampaignsStack> {
  const iso = isolation();
  const env = { MONGO_DB: iso.dbName, KAFKA_TOPIC_PREFIX: iso.topicPrefix };
  const campaigns = await startApp('campaigns', 'services/campaigns', basePort + 1, { ...env, ...campaignsEnv });
  const gateway = await startApp('gateway', 'gateway', basePort, {
    ...env,
    MONGO_DB: `${iso.dbName}_gw`,
    CAMPAIGNS_URL: `${campaigns.url}/graphql`,
  });
  const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
  const bus = new KafkaJsBus({ brokers: [...testInfra.kafkaBrokers], clientId: `test-${iso.tag}` });
  const publisher = bus.publisher();
  let financeVersion = 0;
  return {
    iso,
    gateway,
    campaigns,
    bus,
    gql: (token, query, variables = {}, headers = {}) => graphql(`${gateway.url}/graphql`, query, variables, token, headers),
    async storedEventCount() {
      const commits = await conn
        .db!.collection('es_commits')
        .find({ streamId: { $regex: '^campaign-' } })
        .toArray();
      return commits.reduce((n, c) => n + ((c.events as unknown[] | undefined)?.length ?? 0), 0);
    },
    async readStream(streamId) {
      const commits = await conn.db!.collection('es_commits').find({ streamId }).sort({ firstVersion: 1 }).toArray();
      return commits.flatMap((c) =>
        (c.events as { type: string; metadata: Record<string, unknown> }[]).map((e, i) => ({
          type: e.type,
          streamVersion: (c.firstVersion as number) + i,
          metadata: e.metadata,
        })),
      );
    },
    async publishFinanceEvent(type, data) {
      financeVersion++;
      const stored: StoredEvent = {
        streamId: `commitment-${String(data.commitmentId)}`,
        streamVersion: financeVersion,
        position: financeVersion,
        type,
        schemaVersion: 1,
        data,
        metadata: {
          eventId: randomUUID(),
          time: new Date().toISOString(),
          actor: { subject: 'test-finance', username: 'finance-officer' },
          correlationId: randomUUID(),
        },
      };
      await publisher.publish(eventsTopic('finance', iso.topicPrefix), [toMessage(stored, 'finance')]);
    },
    async stop() {
      await Promise.allSettled([gateway.stop(), campaigns.stop()]);
      await publisher.close().catch(() => undefined);
      await bus
        .deleteTopics([eventsTopic('campaigns', iso.topicPrefix), eventsTopic('finance', iso.topicPrefix), `${iso.topicPrefix}hrp.dlq`])
        .catch(() => undefined);
      await bus.close().catch(() => undefined);
      await conn.dropDatabase().catch(() => undefined);
      await conn
        .useDb(`${iso.dbName}_gw`)
        .dropDatabase()
        .catch(() => undefined);
      await conn.close();
    },
  };
}

export const CAMPAIGN_FIELDS = `
  id version status title { fr ar en zgh } objective { fr } themes tags { kind ref } audiences channels regions
  startDate endDate targetReach estimatedCost { amount currency } fundingStatus cancellationReason
  activities { id kind date region venue status participants { total female male undisclosed withDisability } mediaReach }
  participants { total female male undisclosed withDisability } reach partners { id } budgetLine { id }`;

export const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { position campaign { ${CAMPAIGN_FIELDS} } } }`;

/** A valid campaign input; override what a test is about. */
export function campaignInput(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { fr: 'Les droits de l’enfant à l’école', ar: 'حقوق الطفل في المدرسة', en: 'Children’s rights at school' },
    objective: { fr: 'Faire connaître la CRC aux élèves' },
    themes: ['CRC', 'education'],
    tags: [{ kind: 'SDG_TARGET', ref: '16.10' }],
    audiences: ['YOUTH', 'CHILDREN'],
    channels: ['RADIO', 'EVENTS'],
    regions: ['MA-06'],
    startDate: '2026-03-01',
    endDate: '2026-06-30',
    targetReach: 5000,
    ...over,
  };
}
