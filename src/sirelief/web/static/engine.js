// The session fold, mirrored from sirelief/domain/session.py so the browser can keep
// going while the server is away. The server folds the same events the same way; the
// browser never decides anything the server would not.

const GENTLER_SHARE = 0.5;
// sirelief/domain/too_much.py NERVE_SYMPTOMS: after these, "gentler" is never offered.
export const NERVE_SYMPTOMS = ["numbness", "tingling", "shooting"];

export function symptomKind(symptom) {
  return NERVE_SYMPTOMS.includes(symptom) ? "nerve" : "pain";
}

function roundHalfEven(x) {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function newState(steps) {
  return {
    steps, index: 0, startedAt: null, stepStartedAt: null, pausedAt: null, pausedS: 0,
    tooMuch: null, gentler: new Set(), ended: null, seen: new Set(),
  };
}

export function currentStep(s) {
  return s.ended === null && s.index < s.steps.length ? s.steps[s.index] : null;
}

export function durationS(s, index = s.index) {
  const step = s.steps[index];
  if (step.exercise_id && s.gentler.has(step.exercise_id) && step.kind === "exercise" && !step.reps) {
    return Math.max(10, roundHalfEven(step.duration_s * GENTLER_SHARE));
  }
  return step.duration_s;
}

export function phase(s) {
  const step = currentStep(s);
  if (s.ended !== null || step === null) return "done";
  if (s.tooMuch !== null) return "too_much";
  if (s.pausedAt !== null) return "paused";
  if (s.startedAt === null) return "get_ready";
  if (step.kind === "transition") return step.switches_side ? "switch_side" : "get_ready";
  return { exercise: "work", rest: "rest", assessment: "assessment" }[step.kind];
}

// The phase the label names. Once "too much" has been answered, the question is no
// longer open: the label goes back to the step's own words (data-phase stays too_much).
export function labelPhase(s) {
  return s.tooMuch === null ? phase(s) : phase({ ...s, tooMuch: null });
}

export function elapsedS(s, now) {
  if (s.stepStartedAt === null) return 0;
  let until = now;
  if (s.pausedAt !== null) until = s.pausedAt;
  else if (s.tooMuch !== null) until = s.tooMuch.at;
  return Math.max(0, until - s.stepStartedAt - s.pausedS);
}

export function remainingS(s, now) {
  return Math.max(0, durationS(s) - elapsedS(s, now));
}

export function deadline(s) {
  const step = currentStep(s);
  if (step === null || s.stepStartedAt === null || s.pausedAt !== null || s.tooMuch !== null
      || step.kind === "assessment" || step.reps) return null;
  return s.stepStartedAt + s.pausedS + durationS(s);
}

export function nextStep(s) {
  return s.steps.slice(s.index + 1).find((step) => step.kind !== "rest") || null;
}

function moveTo(s, index, at) {
  s.index = index; s.stepStartedAt = at; s.pausedAt = null; s.pausedS = 0; s.tooMuch = null;
  if (index >= s.steps.length) s.ended = "completed";
}

function afterExercise(s) {
  const current = s.steps[s.index];
  let index = s.index + 1;
  while (index < s.steps.length && ["exercise", "rest"].includes(s.steps[index].kind)
         && s.steps[index].exercise_id === current.exercise_id
         && s.steps[index].side === current.side) index += 1;
  return index;
}

const HANDLERS = {
  start(s, e) { if (s.startedAt === null) { s.startedAt = e.at; s.stepStartedAt = e.at; } },
  complete(s, e) { moveTo(s, s.index + 1, e.at); },
  skip(s, e) { moveTo(s, s.index + 1, e.at); },
  back(s, e) {
    let index = s.index - 1;
    while (index > 0 && s.steps[index].kind === "rest") index -= 1;
    moveTo(s, Math.max(index, 0), e.at);
  },
  pause(s, e) { if (s.pausedAt === null) s.pausedAt = e.at; },
  // Summed left to right as session.py does, (pausedS + at) - pausedAt, so the paused
  // time and the deadline agree with the server to the last bit.
  resume(s, e) {
    if (s.pausedAt !== null) { s.pausedS = s.pausedS + e.at - s.pausedAt; s.pausedAt = null; }
  },
  restart(s, e) { s.stepStartedAt = e.at; s.pausedAt = null; s.pausedS = 0; s.tooMuch = null; },
  assessment(s, e) {
    const step = currentStep(s);
    if (!step || !step.assessment || !e.ratings) return;
    moveTo(s, s.index + 1, e.at);
  },
  too_much(s, e) { if (s.tooMuch === null && e.pain !== undefined && e.pain !== null) s.tooMuch = e; },
  too_much_choice(s, e) {
    if (s.tooMuch === null) return;
    if (e.choice === "gentler" && symptomKind(s.tooMuch.symptom) === "nerve") return;
    const step = currentStep(s);
    if (e.choice === "end") { s.tooMuch = null; s.ended = "stopped"; return; }
    if (e.choice === "gentler" && step && step.exercise_id) {
      s.gentler.add(step.exercise_id);
      HANDLERS.restart(s, e);
      return;
    }
    moveTo(s, afterExercise(s), e.at);
  },
  end(s) { s.ended = "stopped"; s.tooMuch = null; },
  abandon(s) { s.ended = "abandoned"; s.tooMuch = null; },
};

export function apply(s, e) {
  if (s.seen.has(e.id)) return false;
  s.seen.add(e.id);
  if (s.ended !== null) return false;
  if (e.step !== undefined && e.step !== null && e.step !== s.index) return false;
  HANDLERS[e.kind](s, e);
  return true;
}
