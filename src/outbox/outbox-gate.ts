import type { MutationClient, MutationHandle } from './mutation-client';
import type { MutationRequest } from './outbox-rules';

/** The writes a screen makes: the same whether the outbox has loaded yet or not. */
export interface OutboxWrites {
  /** `photoFile`: the file a `message.send` with a photo names, kept on the device until it is uploaded. */
  mutate(request: MutationRequest, extras?: { photoFile?: Blob }): Promise<MutationHandle>;
  retry(mutationId: number): Promise<void>;
  discard(mutationId: number): Promise<void>;
}

/** Thrown when the outbox did not come in time, or the user it was for has gone. */
export class OutboxUnavailableError extends Error {
  constructor() {
    super('Rally is still opening your data on this device; try again in a moment.');
    this.name = 'OutboxUnavailableError';
  }
}

/** Long enough for the outbox's code to load on a busy phone; a tap is never kept waiting longer. */
export const OUTBOX_WAIT_MS = 5_000;

/**
 * One signed-in session's way to the outbox, there from the screen's first render. The outbox's
 * code loads after the first screen has shown its data (src/data/first-screen.ts); a write made
 * before that (a tap in the first second) asks it to come at once (`hurry`) and waits for it,
 * instead of being dropped by every screen that held a null outbox. A gate belongs to one session:
 * closed when its user signs out or changes, it never hands a write to the next user's outbox.
 */
export class OutboxGate implements OutboxWrites {
  private client: MutationClient | null = null;
  private closed = false;
  private readonly waiters = new Set<(client: MutationClient | null) => void>();

  constructor(
    private readonly hurry: () => void,
    private readonly waitMs = OUTBOX_WAIT_MS,
  ) {}

  /** The outbox has loaded (or, with null, has gone while the session stays). */
  use(client: MutationClient | null): void {
    if (this.closed) return;
    this.client = client;
    if (client) this.wake(client);
  }

  /**
   * Its session's provider is mounted again (React's StrictMode mounts, unmounts and remounts
   * every effect in development): the gate takes writes again. A new session gets a new gate.
   */
  reopen(): void {
    this.closed = false;
  }

  /** The session has ended: waiting writes are refused, later ones too. */
  close(): void {
    this.closed = true;
    this.client = null;
    this.wake(null);
  }

  mutate(request: MutationRequest, extras: { photoFile?: Blob } = {}): Promise<MutationHandle> {
    return this.ready().then((client) => client.mutate(request, extras));
  }

  retry(mutationId: number): Promise<void> {
    return this.ready().then((client) => client.retry(mutationId));
  }

  discard(mutationId: number): Promise<void> {
    return this.ready().then((client) => client.discard(mutationId));
  }

  private ready(): Promise<MutationClient> {
    if (this.client) return Promise.resolve(this.client);
    if (this.closed) return Promise.reject(new OutboxUnavailableError());
    this.hurry();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(null), this.waitMs);
      const settle = (client: MutationClient | null) => {
        clearTimeout(timer);
        this.waiters.delete(settle);
        if (client) resolve(client);
        else reject(new OutboxUnavailableError());
      };
      this.waiters.add(settle);
    });
  }

  private wake(client: MutationClient | null): void {
    for (const waiter of [...this.waiters]) waiter(client);
  }
}
