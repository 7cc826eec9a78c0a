// The session screen: what the current step shows (titles, side, set, next, countdown,
// which panel and which buttons), drawn from the session state alone.
import { showAssessment } from "./assessment.js";
import { currentStep, durationS, labelPhase, nextStep, phase, remainingS } from "./engine.js";
import { renderTooMuch } from "./too_much.js";

const $ = (id) => document.getElementById(id);

function mmss(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-6));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

export function renderClock(state, now) {
  const step = currentStep(state);
  const clock = $("countdown");
  if (!step) { clock.textContent = "Done"; return; }
  let text;
  if (step.kind === "assessment") text = "\u00a0";
  else if (step.reps) text = `${step.reps} rep${step.reps === 1 ? "" : "s"}`;
  else text = mmss(state.stepStartedAt === null ? durationS(state) : remainingS(state, now()));
  if (clock.textContent !== text) {
    clock.textContent = text;
    clock.dataset.shownAt = String(performance.now());
  }
}

function button(text, cls, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

// Start, or Back / Pause or Resume / Done / Skip; `press(kind, fields)` records the event.
function renderControls(state, current, press) {
  const step = currentStep(state);
  const buttons = [];
  if (state.startedAt === null) {
    buttons.push(button("Start", "button primary big", () => press("start")));
  } else if (step) {
    buttons.push(button("Back", "button", () => press("back", { step: state.index })));
    buttons.push(current === "paused"
      ? button("Resume", "button primary", () => press("resume"))
      : button("Pause", "button primary", () => press("pause")));
    buttons.push(button("Done", "button", () => press("complete", { step: state.index })));
    buttons.push(button("Skip", "button", () => press("skip", { step: state.index })));
  }
  $("controls").replaceChildren(...buttons);
}

// A figure that fails (network gone) is asked for once more, then left out until online.
const unloadable = new Set();
let figureRetried = null;
window.addEventListener("online", () => {
  const img = $("figure-img");
  const src = img && img.getAttribute("src");
  unloadable.clear();
  figureRetried = null;
  if (src && (!img.complete || img.naturalWidth === 0)) img.src = src;
});

function figureFailed(event) {
  const img = event.target;
  const src = img.getAttribute("src");
  if (figureRetried !== src) {
    figureRetried = src;
    setTimeout(() => { if (img.getAttribute("src") === src) img.src = src; }, 1000);
  } else {
    unloadable.add(src);
    $("figure").hidden = true;
  }
}

function renderFigure(step) {
  const figure = $("figure");
  if (figure) {
    const side = step && ["left", "right"].includes(step.side) ? step.side : "left";
    const src = step ? `/figures/${step.exercise_id}/${side}/animated.svg` : "";
    const shown = step && step.exercise_id && step.figure_alt && !unloadable.has(src);
    figure.hidden = !shown;
    if (shown) {
      const img = $("figure-img");
      if (!img.dataset.watched) {
        img.dataset.watched = "1";
        img.addEventListener("error", figureFailed);
      }
      if (img.getAttribute("src") !== src) {
        $("figure-still").setAttribute("srcset", src.replace("/animated.svg", "/start.svg"));
        img.setAttribute("src", src);
        img.alt = step.figure_alt;
      }
    }
  }
  const how = $("how");
  if (how) how.hidden = !(step && step.exercise_id);
  if (how && step && step.exercise_id && how.dataset.exercise !== step.exercise_id) {
    showHowTo(how, step);
  }
}

// "How to do" shows the steps, cues and stop signs of the step's own exercise: the page
// holds the current one's and a <template> of each other exercise in the session.
const howTo = new Map();

function showHowTo(how, step) {
  const summary = how.querySelector("summary");
  const body = [...how.childNodes].filter((node) => node !== summary);
  if (how.dataset.exercise) howTo.set(how.dataset.exercise, body);
  let next = howTo.get(step.exercise_id);
  const template = $(`how-${step.exercise_id}`);
  if (!next && template) next = [...template.content.cloneNode(true).childNodes];
  if (!next) return;
  body.forEach((node) => node.remove());
  how.append(...next);
  how.dataset.exercise = step.exercise_id;
  summary.textContent = `How to do ${step.exercise_name}`;
}

const setText = (id, text) => { const e = $(id); if (e.textContent !== text) e.textContent = text; };

// `words`: the server's phase and "too much" words; `asking`: the "too much" question is open.
export function renderStep(state, now, { words, asking, press }) {
  const step = currentStep(state);
  const current = phase(state);
  $("run").dataset.phase = current;
  const label = words.phases[labelPhase(state)];
  setText("phase", label);
  setText("title", step ? step.title : "Finished");
  const side = step && ["left", "right"].includes(step.side);
  $("side").hidden = !side;
  setText("side", side ? `${step.side[0].toUpperCase()}${step.side.slice(1)} side` : "");
  $("set").hidden = !(step && step.sets > 1);
  setText("set", step && step.sets > 1 ? `Set ${step.set} of ${step.sets}` : "");
  setText("cue", step && step.note ? step.note : "");
  const upcoming = nextStep(state);
  // "(right)" only where the title does not already say "right side".
  const named = upcoming && ["left", "right"].includes(upcoming.side) && !upcoming.title.includes(`${upcoming.side} side`);
  setText("next", upcoming ? `Next: ${upcoming.title}${named ? ` (${upcoming.side})` : ""}` : "Next: your results");
  $("progress").value = state.index;
  setText("progress-text", `Step ${Math.min(state.index + 1, state.steps.length)} of ${state.steps.length}`);
  $("assessment").hidden = current !== "assessment";
  if (current === "assessment") showAssessment($("assessment"), state.index);
  $("too-much").hidden = current !== "too_much";
  if (current === "too_much") renderTooMuch(state, step, words.tooMuch);
  const offered = Boolean(step && step.too_much);
  $("too-much-button").hidden = !offered;
  $("too-much-ask").hidden = !(asking && offered && current !== "too_much" && current !== "done");
  const busy = ["assessment", "too_much", "done"].includes(current) || !$("too-much-ask").hidden;
  $("controls").hidden = busy;
  $("controls-2").hidden = busy;
  $("end-now").hidden = busy;
  renderControls(state, current, press);
  renderFigure(step);
  $("announcer").textContent = `${label}. ${step ? step.title : ""}${side ? `, ${step.side} side` : ""}`;
  renderClock(state, now);
}
