/** Anything that knows the last global position it applied (a projection). */
export interface PositionAware {
  position(): Promise<number>;
  /** Position of the last event applied to one stream (exact across partitions). */
  streamPosition?(streamId: string): Promise<number>;
}

export interface WaitForPositionOptions {
  /** Upper bound of the wait (default 5 s). */
  timeoutMs?: number;
  /** Poll interval (default 25 ms). */
  intervalMs?: number;
  /**
   * The stream the token's write went to. With it the wait checks that stream's document,
   * which is exact even when the projection consumes several partitions at different paces;
   * without it the projection's highest applied position is used.
   */
  streamId?: string;
}

/**
 * Read-your-writes: waits, bounded, until `projection` has applied the event at `token` (the
 * position an append returned). Resolves true when reached, false on timeout (the caller then
 * answers with possibly stale data, or reports it).
 */
export async function waitForPosition(
  projection: PositionAware,
  token: number | string,
  { timeoutMs = 5000, intervalMs = 25, streamId }: WaitForPositionOptions = {},
): Promise<boolean> {
  const target = typeof token === 'string' ? Number(token) : token;
  if (!Number.isFinite(target)) throw new TypeError(`not a position token: ${String(token)}`);
  const read = streamId && projection.streamPosition ? () => projection.streamPosition!(streamId) : () => projection.position();
  const until = Date.now() + timeoutMs;
  for (;;) {
    if ((await read()) >= target) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(1, until - Date.now()))));
  }
}
