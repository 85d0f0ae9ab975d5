import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KeyedQueue', () => {
  describe('when tasks share a key', () => {
    it('runs them one at a time, in arrival order, even when one fails', async () => {
      const q = new KeyedQueue();
      const log: string[] = [];
      let running = 0;
      let most = 0;
      const task =
        (name: string, fail = false) =>
        async () => {
          running++;
          most = Math.max(most, running);
          log.push(`start ${name}`);
          await tick();
          log.push(`end ${name}`);
          running--;
          if (fail) throw new Error(name);
          return name;
        };
      const results = await Promise.allSettled([q.run('s', task('a')), q.run('s', task('b', true)), q.run('s', task('c'))]);
      expect(most).toBe(1);
      expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(q.size).toBe(0);
    });
  });

  describe('when tasks have different keys', () => {
    it('runs them at the same time', async () => {
      const q = new KeyedQueue();
      let running = 0;
      let most = 0;
      const task = async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
      };
      await Promise.all(['a', 'b', 'c'].map((k) => q.run(k, task)));
      expect(most).toBe(3);
    });
  });
});
