/**
 * What every core bench needs: a database and a Kafka bus of its own (named after a random tag),
 * removed again at the end, and one way to run and fail.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { KafkaJsBus } from '@hrp/messaging';

export const MONGO = process.env.HRP_MONGO_URL ?? 'mongodb://127.0.0.1:27017';
export const BROKERS = (process.env.HRP_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export interface Bench {
  tag: string;
  /** Topic prefix of this run: `bench.<tag>.` */
  prefix: string;
  conn: mongoose.Connection;
  bus: KafkaJsBus;
  /** Deletes the topics, closes the bus, drops the database. */
  dispose(topics: string[]): Promise<void>;
}

export async function openBench(name: string): Promise<Bench> {
  const tag = randomBytes(3).toString('hex');
  const conn = await mongoose.createConnection(`${MONGO}/bench_${name}_${tag}`).asPromise();
  const bus = new KafkaJsBus({ brokers: BROKERS, clientId: `bench-${tag}` });
  return {
    tag,
    prefix: `bench.${tag}.`,
    conn,
    bus,
    async dispose(topics) {
      await bus.deleteTopics(topics).catch(() => undefined);
      await bus.close();
      await conn.db!.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

/** Runs a bench's main; a failure is printed and sets a non-zero exit code. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
