// The session clock: the server's time at page load, run `speed` times faster (tests and
// demos), and when the display next needs a tick. Time is always read from a deadline,
// never counted in ticks.
import { deadline, remainingS } from "./engine.js";

export function sessionClock(base, speed) {
  return () => base + (Date.now() / 1000 - base) * speed;
}

// Milliseconds until the next whole second of the countdown (or sooner at a deadline).
export function untilNextTickMs(state, now, speed) {
  const remaining = deadline(state) === null ? 1 : remainingS(state, now);
  const untilSecond = (remaining % 1 || 1) / speed;
  return Math.max(20, Math.min(1000, untilSecond * 1000 + 5));
}
