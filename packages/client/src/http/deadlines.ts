/**
 * The time limits of a pipeline's open attempts, watched by one timer instead of one per attempt.
 * Arming and clearing a `setTimeout` for every attempt cost about a twentieth of a whole call
 * against an in-process `fetch`; this costs a few pointer moves.
 *
 * Every attempt of a pipeline has the same limit, so attempts fall due in the order they started:
 * they wait in a list ordered by start, the timer is armed for the first, and an attempt that
 * ends is unlinked at once (so the list never holds ended attempts, and the garbage collector
 * can free a call as soon as it is over). The timer stays armed when the list empties, but no
 * longer keeps the process running; when it fires early it is armed again for the first.
 */
import type { Clock, Timer } from '../clock.js';

/** An attempt as the list holds it. */
export interface Watched {
  /** When it falls due, on the clock; set by {@link Deadlines.watch}. */
  due: number;
  /** Neighbours in the list; `undefined` at either end and once unlinked. */
  previous: Watched | undefined;
  next: Watched | undefined;
  /** Called once, when it falls due while still watched. */
  expire(): void;
}

/** The open attempts of one pipeline, in start order, and the one timer over them. */
export class Deadlines {
  private first: Watched | undefined = undefined;
  private last: Watched | undefined = undefined;
  private timer: Timer | undefined = undefined;

  constructor(
    private readonly clock: Clock,
    /** The limit of every attempt, in milliseconds. */
    readonly limitMs: number,
  ) {}

  /** Watches `item` from now until it falls due or is unwatched. */
  watch(item: Watched): void {
    item.due = this.clock.now() + this.limitMs;
    item.previous = this.last;
    item.next = undefined;
    if (this.last) this.last.next = item;
    else this.first = item;
    this.last = item;
    if (!this.timer) this.timer = this.clock.timer(this.limitMs, this.fire);
    else if (item === this.first) this.timer.keepAlive(true);
  }

  /** Stops watching `item` (nothing happens if it is not watched). */
  unwatch(item: Watched): void {
    const { previous, next } = item;
    if (previous) previous.next = next;
    else if (this.first === item) this.first = next;
    else return;
    if (next) next.previous = previous;
    else this.last = previous;
    item.previous = item.next = undefined;
    if (!this.first) this.timer?.keepAlive(false);
  }

  /** Expires what has fallen due, then arms the timer for the next one. */
  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.clock.now();
    for (let item = this.first; item && item.due <= now; item = this.first) {
      this.unwatch(item);
      item.expire();
    }
    // A timer may fire a fraction of a millisecond before the `due` it was armed for.
    if (this.first) this.timer = this.clock.timer(Math.max(1, this.first.due - now), this.fire);
  };
}
