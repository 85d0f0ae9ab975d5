import type { EventStore } from '@hrp/event-store';

/**
 * The subjects whose users an admin deactivated, as every gateway instance learns them from the
 * admin stream (the store they share), polled every ADMIN_REFRESH_MS: a deactivated user's
 * still-valid access tokens are refused from then on, by the gateway (/graphql) and its subgraph.
 */
export class DeactivatedUsers {
  private readonly subjects = new Set<string>();
  private next = 1;
  private reading?: Promise<void>;

  has(subject: string): boolean {
    return this.subjects.has(subject);
  }

  /** Known at once on the instance that deactivated the user. */
  add(subject: string): void {
    this.subjects.add(subject);
  }

  /** Reads the admin events appended since the last refresh (one refresh at a time). */
  refresh(store: EventStore): Promise<void> {
    this.reading ??= (async () => {
      for (;;) {
        const page = await store.readAll(this.next, { limit: 500 });
        for (const e of page.events) if (e.type === 'UserDeactivated') this.subjects.add((e.data as { userId: string }).userId);
        if (page.nextPosition === this.next) return;
        this.next = page.nextPosition;
      }
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }
}

/** This process's view, shared by the gateway's request context and its subgraph. */
export const deactivatedUsers = new DeactivatedUsers();
