/**
 * The reader's side of the gap-safety rule (unit-tested in gaps.unit.spec.ts): walk commits in
 * position order from `from` and stop at the first position that no commit covers. The store
 * never leaves holes (every commit starts at the global head + 1, guarded by the primary key), so
 * a hole can only be a commit that is not visible yet or data written behind the store's back;
 * either way a reader must not pass it.
 */

export interface CommitSpan {
  readonly position: number;
  readonly lastPosition: number;
}

export interface Walk<T extends CommitSpan> {
  /** Commits usable in order (the first may start before `from`: skip its earlier events). */
  readonly commits: T[];
  /** Next position to read (inclusive). */
  readonly next: number;
  /** First position not covered, when a later commit exists (the walk stopped there). */
  readonly holeAt?: number;
}

/** Walks commits sorted by position from `from` up to the first hole; commits ending before `from` are ignored. */
export function walkContiguous<T extends CommitSpan>(from: number, sorted: readonly T[]): Walk<T> {
  const commits: T[] = [];
  let next = from;
  for (const c of sorted) {
    if (c.lastPosition < next) continue;
    if (c.position > next) return { commits, next, holeAt: next };
    commits.push(c);
    next = c.lastPosition + 1;
  }
  return { commits, next };
}
