/**
 * Append throughput of the event store vs raw `insertMany` of the same commit documents, on the
 * same server in the same run: 1 stream (sequential appends) and 1,000 streams (round robin,
 * `CONCURRENCY` appends in flight). Own database, dropped at the end.
 *
 *   node --require ./bench/register.js bench/core/append.bench.ts
 *   env: MONGO_URL (default mongodb://127.0.0.1:27017), EVENTS (default 20000), BATCH (events per append, default 10),
 *        CONCURRENCY (default 4)
 */
import { randomUUID } from 'node:crypto';
import { type CommitDoc, EventStore, positionKey } from '@hrp/event-store';
import mongoose from 'mongoose';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const total = Number(process.env.EVENTS ?? 20_000);
const batch = Number(process.env.BATCH ?? 10);
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const meta = { time: new Date().toISOString(), actor: { subject: 'bench', username: 'bench' }, correlationId: 'bench' };
const event = (i: number) => ({
  type: 'Benchmarked',
  data: { i, note: 'a small payload of about eighty bytes, like a typical domain event' },
});

interface Figure {
  scenario: string;
  events: number;
  ms: number;
  eventsPerSec: number;
}

async function run(label: string, work: () => Promise<void>): Promise<Figure> {
  const t = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.error(`${label}: ${Math.round(ms)} ms`);
  return { scenario: label, events: total, ms: Math.round(ms), eventsPerSec: Math.round((total / ms) * 1000) };
}

async function pool(n: number, tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }),
  );
}

async function main(): Promise<void> {
  const dbName = `bench_append_${randomUUID().slice(0, 8)}`;
  const connection = await mongoose.createConnection(url, { dbName, maxPoolSize: concurrency + 2 }).asPromise();
  const appends = total / batch;
  const figures: Figure[] = [];
  try {
    // --- store, 1 stream
    const s1 = new EventStore(connection, { collectionPrefix: 'one_' });
    await s1.init();
    let v = 0;
    figures.push(
      await run('store: 1 stream', async () => {
        for (let a = 0; a < appends; a++)
          v = (
            await s1.append(
              'one',
              v,
              Array.from({ length: batch }, (_, i) => event(a * batch + i)),
              meta,
            )
          ).nextExpectedVersion;
      }),
    );

    // --- raw insertMany of the same documents (one commit document per append), 1 stream
    const raw = (prefix: string, streams: number) => {
      const col = connection.db!.collection<CommitDoc>(`${prefix}commits`);
      return Array.from({ length: appends }, (_, a) => {
        const stream = streams === 1 ? 'one' : `s-${a % streams}`;
        const version = Math.floor(a / streams) * batch;
        const events = Array.from({ length: batch }, (_, i) => ({
          eventId: randomUUID(),
          type: 'Benchmarked',
          schemaVersion: 1,
          data: event(a * batch + i).data,
          metadata: { ...meta, eventId: '' },
        }));
        const doc: CommitDoc = {
          _id: positionKey(a * batch + 1),
          streamId: stream,
          firstVersion: version + 1,
          lastVersion: version + batch,
          position: a * batch + 1,
          lastPosition: a * batch + batch,
          committedAt: new Date(),
          events,
        };
        return () => col.insertMany([doc]).then(() => undefined);
      });
    };
    const r1 = raw('raw1_', 1);
    figures.push(
      await run('raw insertMany: 1 stream', async () => {
        for (const t of r1) await t();
      }),
    );

    // --- store, 1,000 streams, CONCURRENCY in flight
    const sN = new EventStore(connection, { collectionPrefix: 'many_' });
    await sN.init();
    const versions = new Map<string, number>();
    const tasks = Array.from({ length: appends }, (_, a) => async () => {
      const stream = `s-${a % 1000}`;
      const r = await sN.append(
        stream,
        versions.get(stream) ?? 0,
        Array.from({ length: batch }, (_, i) => event(a * batch + i)),
        meta,
      );
      versions.set(stream, r.nextExpectedVersion);
    });
    figures.push(await run(`store: 1000 streams, ${concurrency} in flight`, () => pool(concurrency, tasks)));
    const rN = raw('rawN_', 1000);
    figures.push(await run(`raw insertMany: 1000 streams, ${concurrency} in flight`, () => pool(concurrency, rN)));

    // --- store, 1,000 streams, sequential (no global-order races)
    const sQ = new EventStore(connection, { collectionPrefix: 'seq_' });
    await sQ.init();
    const vq = new Map<string, number>();
    figures.push(
      await run('store: 1000 streams, sequential', async () => {
        for (let a = 0; a < appends; a++) {
          const stream = `s-${a % 1000}`;
          const r = await sQ.append(
            stream,
            vq.get(stream) ?? 0,
            Array.from({ length: batch }, (_, i) => event(a * batch + i)),
            meta,
          );
          vq.set(stream, r.nextExpectedVersion);
        }
      }),
    );
  } finally {
    await connection.dropDatabase();
    await connection.close();
  }
  const by = (s: string) => figures.find((f) => f.scenario.startsWith(s)) as Figure;
  const ratios = {
    oneStream: +(by('store: 1 stream').eventsPerSec / by('raw insertMany: 1 stream').eventsPerSec).toFixed(2),
    thousandStreams: +(by('store: 1000 streams, ' + concurrency).eventsPerSec / by('raw insertMany: 1000 streams').eventsPerSec).toFixed(2),
  };
  const info = { url, eventsPerScenario: total, eventsPerAppend: batch, concurrency, node: process.version };
  console.log(JSON.stringify({ bench: 'core/append', info, figures, ratios }, null, 2));
  console.table(figures);
  console.log('store / raw ratios:', ratios);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
