import { eventually, startKafka, testInfra, type StartedKafka } from '@hrp/testing';
import { SESSION_TIMEOUT_MS, note, pipeline, repeatedIds, sleep, sorted, topicIds, viewIds, type Pipeline } from './fixtures';

/*
 * The Kafka broker under faults, on a disposable broker container (the store is the shared one):
 * the event store appends without the broker, and the relay and two views (two consumer groups)
 * catch up afterwards with every event applied once per view, counted by id. Both tests share
 * the pipeline: each checks the whole log appended so far, so a later fault cannot double or
 * lose what an earlier one left.
 */
jest.setTimeout(300_000);

/** Longer than the consumer session timeout: the broker expires every member while frozen. */
const PAUSE_MS = SESSION_TIMEOUT_MS + 6000;

const streams = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);

describe('Fault: the Kafka broker', () => {
  let kafka: StartedKafka;
  let p: Pipeline;

  beforeAll(async () => {
    kafka = await startKafka();
    p = await pipeline({ mongoUrl: testInfra.mongoUrl, brokers: kafka.brokers, label: 'broker_fault' });
  }, 180_000);
  afterAll(async () => {
    // A failed test may leave the broker frozen: thaw it so that the clients can close.
    await kafka?.unpause().catch(() => undefined);
    await p?.close();
    await kafka?.stop();
  }, 120_000);

  /** Starts a burst of appends and returns once the views are visibly consuming it (the burst goes on). */
  async function burstUnderWay(prefix: string): Promise<{ burst: Promise<number> }> {
    const before = Math.min(...(await p.applied()));
    const burst = p.append(streams(prefix, 20), 10);
    await eventually('the views consuming the burst', async () => Math.min(...(await p.applied())) >= before + 20, {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    return { burst };
  }

  async function expectViewsExact(): Promise<void> {
    const want = sorted(p.expected);
    for (const view of p.views) {
      const got = await viewIds(view);
      expect(repeatedIds(got)).toEqual([]);
      expect(got).toEqual(want);
    }
  }

  it('paused longer than the consumer session timeout during appends and projection: every append is acknowledged while it is frozen, and after the unpause each view holds every event once, by id', async () => {
    const { burst } = await burstUnderWay('pause');
    await kafka.pause();
    const pausedAt = Date.now();
    try {
      // Appends need only the store: they are acknowledged while the broker is frozen.
      const during = await p.append(streams('pause-during', 10), 5);
      expect(during).toBe(50);
      await burst;
      const left = PAUSE_MS - (Date.now() - pausedAt);
      if (left > 0) await sleep(left);
    } finally {
      await kafka.unpause();
    }
    note(`broker paused for ${((Date.now() - pausedAt) / 1000).toFixed(1)} s (session timeout ${SESSION_TIMEOUT_MS / 1000} s)`);
    await p.append(streams('pause-after', 5), 2);
    await p.caughtUp(180_000);
    await expectViewsExact();
  });

  it('killed -9 and restarted with its data: appends go on while it is down, the log keeps every event it acknowledged, and each view holds every event once, by id', async () => {
    const { burst } = await burstUnderWay('kill');
    const published = p.relay.status().published;
    await kafka.kill();
    const during = await p.append(streams('kill-during', 10), 5);
    expect(during).toBe(50);
    await burst;
    await eventually('the relay to report the dead broker', () => p.relay.status().lastError, { timeoutMs: 60_000 });
    await kafka.restart();
    await p.append(streams('kill-after', 5), 2);
    await p.caughtUp(180_000);
    await expectViewsExact();

    // The restarted broker kept its log: every event appended so far is on the topic (the relay
    // publishes at least once, so some may be there twice), and nothing else is.
    const onTopic = await topicIds(p.bus, p.topic, `${p.iso.topicPrefix}raw-reader`);
    const all = [...p.expected.values()].flat();
    expect(new Set(onTopic)).toEqual(new Set(all));
    note(`relay had published ${published} events before the kill; topic holds ${onTopic.length} messages for ${all.length} events`);
  });
});
