// Folds session events with the browser's engine.js, for tests/web/test_engine_parity.py.
// Usage: node engine_driver.mjs path/to/engine.js
// Reads one JSON request per line on stdin: {"steps": [...], "cases": [[event, ...], ...]}
// and writes one JSON line back: for each case, the state after every event.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const engine = await import(pathToFileURL(process.argv[2]).href);

function snapshot(s, now) {
  const step = engine.currentStep(s);
  const next = engine.nextStep(s);
  return {
    index: s.index,
    started_at: s.startedAt,
    step_started_at: s.stepStartedAt,
    paused_at: s.pausedAt,
    paused_s: s.pausedS,
    too_much: s.tooMuch === null ? null : s.tooMuch.id,
    gentler: [...s.gentler].sort(),
    ended: s.ended,
    seen: [...s.seen].sort(),
    step: step === null ? null : s.index,
    next_step: next === null ? null : s.steps.indexOf(next),
    phase: engine.phase(s),
    duration_s: s.index < s.steps.length ? engine.durationS(s) : null,
    elapsed_s: engine.elapsedS(s, now),
    remaining_s: s.index < s.steps.length ? engine.remainingS(s, now) : null,
    deadline: engine.deadline(s),
  };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { steps, cases, now_after } = JSON.parse(line);
  const folded = cases.map((events) => {
    const state = engine.newState(steps);
    return events.map((event) => {
      try {
        engine.apply(state, event);
        return snapshot(state, event.at + now_after);
      } catch (error) {
        return { error: String(error) };
      }
    });
  });
  process.stdout.write(`${JSON.stringify(folded)}\n`);
}
