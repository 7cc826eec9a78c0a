// What the session says and plays: tones scheduled ahead on the audio clock, and each
// step's spoken introduction and cues once they are due.
import { spokenCues, toneCues } from "./cues.js";
import { currentStep, deadline, durationS, elapsedS } from "./engine.js";

const LOOK_AHEAD_S = 600;
// Tones are scheduled for the steps that follow by themselves too (up to ten minutes
// ahead): a hidden page may wake only once a minute, and the audio clock does not wait.

function timed(step) {
  return step.kind !== "assessment" && !step.reps;
}

function intro(state, step) {
  if (step.kind === "assessment") return "Time to check how you feel. Rate each side.";
  if (step.switches_side) return `Switch sides. ${step.title}.`;
  const side = ["left", "right"].includes(step.side) ? `, ${step.side} side` : "";
  const amount = step.reps ? `${step.reps} repetitions` : `${Math.round(durationS(state))} seconds`;
  return `${step.title}${side}. ${amount}.`;
}

export class Prompts {
  // `showCue(text)` puts a spoken cue on the screen too; `now()` reads the session clock.
  constructor(sound, showCue) {
    this.sound = sound;
    this.showCue = showCue;
    this.forget();
  }

  // After any event: the step (or its timing) may have changed, so say it again.
  forget() {
    this.spokenFor = null;
    this.said = new Set();
  }

  scheduleTones(state, now) {
    const end = deadline(state);
    if (!currentStep(state) || end === null) { this.sound.cancel(); return; }
    const cues = [];
    let index = state.index;
    let total = durationS(state);
    let start = end - total;
    const horizon = now() + LOOK_AHEAD_S;
    for (;;) {
      for (const cue of toneCues(state.steps[index], total)) cues.push({ ...cue, at: start + cue.at });
      start += total;
      index += 1;
      if (index >= state.steps.length || !timed(state.steps[index]) || start > horizon) break;
      total = durationS(state, index);
    }
    this.sound.schedule(cues, now());
  }

  speakDue(state, now) {
    const step = currentStep(state);
    if (!step || state.startedAt === null || state.pausedAt !== null || state.tooMuch !== null) return;
    if (this.spokenFor !== state.index) {
      this.spokenFor = state.index;
      this.sound.say(intro(state, step));
      return;
    }
    const elapsed = elapsedS(state, now());
    for (const cue of deadline(state) === null ? [] : spokenCues(step, durationS(state))) {
      const key = `${state.index}:${cue.at}`;
      if (cue.at <= elapsed && !this.said.has(key)) {
        this.said.add(key);
        if (elapsed - cue.at < 3) { this.sound.say(cue.say); this.showCue(cue.say); }
      }
    }
  }
}
