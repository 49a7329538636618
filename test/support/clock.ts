/**
 * A fake `Clock` for tests. `now()` is a fixed, whole-second time that only moves when a sleep completes or on
 * `advance()`. Sleeps are recorded in `sleeps` (so a test can assert the backoff or the honoured Retry-After).
 *
 * - auto mode (default): every sleep completes at once (on a microtask), advancing `now()` by its duration.
 * - manual mode (`{ auto: false }`): sleeps stay pending until `advance()` covers them; `pending` counts them, so a
 *   test can wait for "the client is now in backoff" and abort there.
 *
 * Sleeps honour their AbortSignal like the real clock: an abort rejects at once with an `AbortError`.
 */
import type { Clock } from '../../src/core/util/clock';
import { abortError } from '../../src/core/util/abort';

interface Sleeper {
  until: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private nowMs: number;
  private readonly auto: boolean;
  private readonly sleepers = new Set<Sleeper>();

  constructor(options: { now?: number; auto?: boolean } = {}) {
    this.nowMs = options.now ?? Date.UTC(2026, 0, 1, 12, 0, 0);
    this.auto = options.auto ?? true;
  }

  now(): number {
    return this.nowMs;
  }

  get pending(): number {
    return this.sleepers.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal.reason));
        return;
      }
      const sleeper: Sleeper = {
        until: this.nowMs + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          this.sleepers.delete(sleeper);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.sleepers.delete(sleeper);
        reject(abortError(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(sleeper);
      if (this.auto)
        queueMicrotask(() => {
          if (this.sleepers.has(sleeper)) {
            this.nowMs = Math.max(this.nowMs, sleeper.until);
            sleeper.resolve();
          }
        });
    });
  }

  /** Moves time forward and completes the sleeps that are due. */
  advance(ms: number): void {
    this.nowMs += ms;
    for (const s of [...this.sleepers]) if (s.until <= this.nowMs) s.resolve();
  }
}
