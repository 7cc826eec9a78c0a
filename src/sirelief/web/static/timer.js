// The guided session: a timer computed from absolute deadlines (never by counting ticks),
// sound scheduled ahead, spoken cues, a wake lock, and every event sent at once or queued.
import { spokenCues, toneCues } from "./cues.js";
import { apply, currentStep, deadline, durationS, elapsedS, labelPhase, newState, nextStep, phase, remainingS, symptomKind } from "./engine.js";
import { Outbox } from "./outbox.js";
import { Sound } from "./sound.js";

const data = JSON.parse(document.getElementById("session-data").textContent);
const speed = data.clockSpeed;
const now = () => data.clockBase + (Date.now() / 1000 - data.clockBase) * speed;
const $ = (id) => document.getElementById(id);
const PHASE_WORDS = data.phaseWords;
const LOG_KEY = `sirelief:log:${data.session}`;

const state = newState(data.steps);
const sound = new Sound(speed);
let wakeLock = null;
let tickTimer = null;
let spokenFor = null;
let saidCues = new Set();
let askingTooMuch = !document.getElementById("too-much-ask").hidden; // shown by the server (?ask=too_much)

const outbox = new Outbox(data.session, data.urls.events, data.csrf, (waiting) => {
  const status = $("save-status");
  if (status) status.textContent = waiting ? `${waiting} change${waiting === 1 ? "" : "s"} saved on this device, waiting to reach sirelief…` : "";
  if (!waiting && state.ended !== null) window.location.assign(data.urls.results);
});

function newId() {
  return crypto.randomUUID ? crypto.randomUUID().replaceAll("-", "") : `${Date.now()}${Math.random()}`.replace(".", "");
}

function record(kind, fields = {}) {
  const event = { id: newId(), at: now(), kind, ...fields };
  recordEvent(event);
}

function recordEvent(event) {
  if (!apply(state, event)) return;
  const log = JSON.parse(localStorage.getItem(LOG_KEY) || "[]");
  log.push(event);
  localStorage.setItem(LOG_KEY, JSON.stringify(log));
  outbox.add(event);
  changed();
}

function changed() {
  spokenFor = null;
  saidCues = new Set();
  scheduleSound();
  render();
  keepAwake();
  tick();
}

// --- time ---------------------------------------------------------------------------
function catchUp() {
  let due = deadline(state);
  while (due !== null && due <= now()) {
    const step = state.index;
    recordEvent({ id: newId(), at: due, kind: "complete", step });
    due = deadline(state);
  }
}

function tick() {
  clearTimeout(tickTimer);
  catchUp();
  speakDue();
  renderClock();
  if (state.ended !== null) return;
  // Wake at the next whole second of the display (or sooner at a deadline).
  const remaining = deadline(state) === null ? 1 : remainingS(state, now());
  const untilSecond = (remaining % 1 || 1) / speed;
  tickTimer = setTimeout(tick, Math.max(20, Math.min(1000, untilSecond * 1000 + 5)));
}

const LOOK_AHEAD_S = 600;
// Tones are scheduled for the steps that follow by themselves too (up to ten minutes
// ahead): a hidden page may wake only once a minute, and the audio clock does not wait.

function timed(step) {
  return step.kind !== "assessment" && !step.reps;
}

function scheduleSound() {
  const end = deadline(state);
  if (!currentStep(state) || end === null) { sound.cancel(); return; }
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
  sound.schedule(cues, now());
}

function speakDue() {
  const step = currentStep(state);
  if (!step || state.startedAt === null || state.pausedAt !== null || state.tooMuch !== null) return;
  if (spokenFor !== state.index) {
    spokenFor = state.index;
    sound.say(intro(step));
    return;
  }
  const elapsed = elapsedS(state, now());
  for (const cue of deadline(state) === null ? [] : spokenCues(step, durationS(state))) {
    const key = `${state.index}:${cue.at}`;
    if (cue.at <= elapsed && !saidCues.has(key)) {
      saidCues.add(key);
      if (elapsed - cue.at < 3) { sound.say(cue.say); $("cue").textContent = cue.say; }
    }
  }
}

function intro(step) {
  if (step.kind === "assessment") return "Time to check how you feel. Rate each side.";
  if (step.switches_side) return `Switch sides. ${step.title}.`;
  const side = ["left", "right"].includes(step.side) ? `, ${step.side} side` : "";
  const amount = step.reps ? `${step.reps} repetitions` : `${Math.round(durationS(state))} seconds`;
  return `${step.title}${side}. ${amount}.`;
}

// --- screen ---------------------------------------------------------------------------
async function keepAwake() {
  const running = state.startedAt !== null && state.ended === null && state.pausedAt === null;
  if (!("wakeLock" in navigator)) return;
  try {
    if (running && !wakeLock && document.visibilityState === "visible") {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; });
    } else if (!running && wakeLock) {
      await wakeLock.release();
      wakeLock = null;
    }
  } catch { /* not allowed now (battery saver, hidden page): try again later */ }
}

function mmss(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-6));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function renderClock() {
  const step = currentStep(state);
  const clock = $("countdown");
  if (!step) { clock.textContent = "Done"; return; }
  let text;
  if (step.kind === "assessment") text = "\u00a0";
  else if (step.reps) text = `${step.reps} reps`;
  else text = mmss(state.stepStartedAt === null ? durationS(state) : remainingS(state, now()));
  if (clock.textContent !== text) {
    clock.textContent = text;
    clock.dataset.shownAt = String(performance.now());
  }
}

function render() {
  const step = currentStep(state);
  const current = phase(state);
  $("run").dataset.phase = current;
  const label = PHASE_WORDS[labelPhase(state)];
  $("phase").textContent = label;
  $("title").textContent = step ? step.title : "Finished";
  const side = step && ["left", "right"].includes(step.side);
  $("side").hidden = !side;
  $("side").textContent = side ? `${step.side[0].toUpperCase()}${step.side.slice(1)} side` : "";
  $("set").hidden = !(step && step.sets > 1);
  $("set").textContent = step && step.sets > 1 ? `Set ${step.set} of ${step.sets}` : "";
  $("cue").textContent = step && step.note ? step.note : "";
  const upcoming = nextStep(state);
  $("next").textContent = upcoming ? `Next: ${upcoming.title}${["left", "right"].includes(upcoming.side) ? ` (${upcoming.side})` : ""}` : "Next: your results";
  $("progress").value = state.index;
  $("progress-text").textContent = `Step ${Math.min(state.index + 1, state.steps.length)} of ${state.steps.length}`;
  $("assessment").hidden = current !== "assessment";
  if (current === "assessment") buildAssessment(step);
  $("too-much").hidden = current !== "too_much";
  if (current === "too_much") renderTooMuch(step);
  const offered = Boolean(step && step.too_much);
  $("too-much-button").hidden = !offered;
  $("end-now").hidden = offered || current === "done";
  $("too-much-ask").hidden = !(askingTooMuch && offered && current !== "too_much" && current !== "done");
  const busy = ["assessment", "too_much", "done"].includes(current) || !$("too-much-ask").hidden;
  $("controls").hidden = busy;
  $("controls-2").hidden = busy;
  renderControls(current);
  const figure = $("figure");
  if (figure) {
    const shown = step && step.exercise_id && step.figure_alt;
    figure.hidden = !shown;
    if (shown) {
      const side = ["left", "right"].includes(step.side) ? step.side : "left";
      const src = `/figures/${step.exercise_id}/${side}/animated.svg`;
      const img = $("figure-img");
      if (img.getAttribute("src") !== src) {
        $("figure-still").setAttribute("srcset", src.replace("/animated.svg", "/start.svg"));
        img.setAttribute("src", src);
        img.alt = step.figure_alt;
      }
    }
  }
  const how = $("how");
  if (how) how.hidden = !(step && step.exercise_id);
  if (how && step && step.exercise_id) {
    how.querySelector("summary").textContent = `How to do ${step.exercise_name}`;
  }
  $("announcer").textContent = `${label}. ${step ? step.title : ""}${side ? `, ${step.side} side` : ""}`;
  renderClock();
  if (state.ended !== null) {
    $("cue").textContent = "Saving your session…";
    if (!outbox.pending().length) window.location.assign(data.urls.results);
  }
}

// What "too much" leads to, by what was felt: numbness, tingling or shooting pain never
// offer "gentler" (the server's words, from data.tooMuch).
function renderTooMuch(step) {
  const said = data.tooMuch[symptomKind(state.tooMuch.symptom)];
  const section = $("too-much");
  section.dataset.kind = said.kind;
  $("too-much-title").textContent = said.heading;
  $("too-much-lines").replaceChildren(...said.lines.map((line) => {
    const p = document.createElement("p");
    p.textContent = line;
    return p;
  }));
  $("gentler-choice").hidden = !said.choices.includes("gentler");
  $("gentler-changes").replaceChildren(...(step ? step.gentler : []).map((line) => {
    const li = document.createElement("li");
    li.textContent = line;
    return li;
  }));
}

function button(text, cls, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = text;
  b.addEventListener("click", () => { sound.unlock(); onClick(); });
  return b;
}

function renderControls(current) {
  const box = $("controls");
  const step = currentStep(state);
  const buttons = [];
  if (state.startedAt === null) {
    buttons.push(button("Start", "button primary big", () => record("start")));
  } else if (step) {
    buttons.push(button("Back", "button", () => record("back", { step: state.index })));
    buttons.push(current === "paused"
      ? button("Resume", "button primary", () => record("resume"))
      : button("Pause", "button primary", () => record("pause")));
    buttons.push(button("Done", "button", () => record("complete", { step: state.index })));
    buttons.push(button("Skip", "button", () => record("skip", { step: state.index })));
  }
  box.replaceChildren(...buttons);
}

function scale(name, legendText) {
  const set = document.createElement("fieldset");
  set.className = "scale";
  const legend = document.createElement("legend");
  legend.textContent = legendText;
  const options = document.createElement("div");
  options.className = "scale-options";
  for (let n = 0; n <= 10; n += 1) {
    const labelEl = document.createElement("label");
    labelEl.className = "scale-option";
    const input = document.createElement("input");
    input.type = "radio"; input.name = name; input.value = String(n);
    const span = document.createElement("span");
    span.textContent = String(n);
    if (n === 0 || n === 10) {
      const hint = document.createElement("span");
      hint.className = "sr";
      hint.textContent = n === 0 ? " (none)" : " (worst imaginable)";
      span.append(hint);
    }
    labelEl.append(input, span);
    options.append(labelEl);
  }
  const anchors = document.createElement("p");
  anchors.className = "anchors";
  anchors.setAttribute("aria-hidden", "true");
  anchors.innerHTML = "<span>0 none</span><span>10 worst imaginable</span>";
  set.append(legend, options, anchors);
  return set;
}

function buildAssessment(step) {
  const section = $("assessment");
  if (section.dataset.step === String(state.index)) return;
  section.dataset.step = String(state.index);
  const form = document.createElement("form");
  form.className = "stack";
  form.noValidate = true;
  const a = step.assessment;
  if (a.squat_reps) {
    const p = document.createElement("p");
    p.textContent = `Do ${a.squat_reps} slow squats first, then rate what you feel.`;
    form.append(p);
  }
  for (const region of a.ratings) {
    const h = document.createElement("h3");
    const name = data.labels[region] || region;
    h.textContent = name[0].toUpperCase() + name.slice(1);
    const pair = document.createElement("div");
    pair.className = "pair";
    for (const side of ["left", "right"]) pair.append(scale(`${region}_${side}`, `${side[0].toUpperCase()}${side.slice(1)} ${name}`));
    form.append(h, pair);
  }
  if (a.pain) form.append(scale("pain", "Pain now"));
  if (a.knee_to_wall) {
    for (const side of ["left", "right"]) {
      const field = document.createElement("div");
      field.className = "field";
      const labelEl = document.createElement("label");
      labelEl.htmlFor = `ktw-${side}`;
      labelEl.textContent = `${side[0].toUpperCase()}${side.slice(1)} knee-to-wall, cm`;
      const input = document.createElement("input");
      input.id = `ktw-${side}`; input.name = `knee_to_wall_${side}`; input.inputMode = "decimal";
      field.append(labelEl, input);
      form.append(field);
    }
  }
  const error = document.createElement("p");
  error.className = "error";
  error.setAttribute("role", "alert");
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "button primary big";
  submit.textContent = "Save and go on";
  form.append(error, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sound.unlock();
    const values = new FormData(form);
    const missing = [];
    const ratings = {};
    for (const region of a.ratings) {
      const left = values.get(`${region}_left`);
      const right = values.get(`${region}_right`);
      if (left === null || right === null) missing.push(data.labels[region] || region);
      else ratings[region] = { left: Number(left), right: Number(right) };
    }
    const fields = { step: state.index, ratings };
    if (a.pain) {
      if (values.get("pain") === null) missing.push("pain now");
      else fields.pain = Number(values.get("pain"));
    }
    if (a.knee_to_wall) {
      const left = Number.parseFloat(values.get("knee_to_wall_left"));
      const right = Number.parseFloat(values.get("knee_to_wall_right"));
      if ([left, right].some((v) => Number.isNaN(v) || v < 0 || v > 25)) missing.push("knee-to-wall (0 to 25 cm)");
      else fields.knee_to_wall = { left, right };
    }
    if (missing.length) { error.textContent = `Please rate: ${missing.join(", ")}.`; return; }
    record("assessment", fields);
  });
  const heading = $("assessment-title");
  section.replaceChildren(heading, form);
}

// --- wiring ----------------------------------------------------------------------------
// A message under a fieldset's legend while its answer is missing; true when answered.
function showMissing(form, selector, missing, message) {
  const set = form.querySelector(selector);
  let error = set.querySelector(".error");
  if (!missing) { if (error) error.remove(); return true; }
  if (!error) {
    error = document.createElement("p");
    error.className = "error";
    error.setAttribute("role", "alert");
    set.querySelector("legend").after(error);
  }
  error.textContent = message;
  return false;
}

function wire() {
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form.act");
    if (!form) return;
    event.preventDefault();
    sound.unlock();
    const values = new FormData(form);
    const kind = form.dataset.kind;
    if (kind === "too_much") {
      const pain = values.get("pain");
      const symptom = values.get("symptom");
      // Say what is missing (a legend cannot take focus, so focusing it said nothing).
      const painOk = showMissing(form, "fieldset.scale", pain === null, "Choose your pain now, 0 to 10.");
      const symptomOk = showMissing(form, "fieldset.symptoms", symptom === null, "Choose what you feel.");
      if (!painOk || !symptomOk) {
        form.querySelector(painOk ? "input[name=symptom]" : "input[name=pain]").focus();
        return;
      }
      askingTooMuch = false;
      record("too_much", { step: state.index, pain: Number(pain), symptom });
      form.reset(); // the next "too much" must not offer this answer as already chosen
    } else if (kind === "too_much_choice") {
      record("too_much_choice", { choice: values.get("choice") });
    } else if (kind === "end") {
      record("end");
    }
  });
  $("too-much-cancel").addEventListener("click", (event) => {
    // Back to the running step; nothing is recorded.
    event.preventDefault();
    const form = $("too-much-ask").querySelector("form");
    form.reset();
    for (const error of form.querySelectorAll(".error")) error.remove();
    askingTooMuch = false;
    render();
    $("too-much-button").focus();
  });
  $("too-much-button").addEventListener("click", (event) => {
    event.preventDefault();
    askingTooMuch = true;
    render();
    $("too-much-ask").scrollIntoView({ block: "start" });
  });
  const voice = $("voice");
  $("voice-toggle").hidden = false;
  voice.checked = sound.voice;
  voice.addEventListener("change", () => sound.setVoice(voice.checked));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") { tick(); keepAwake(); scheduleSound(); }
  });
  document.addEventListener("pointerdown", () => sound.unlock(), { once: true });
  // Browsers start sound only after a tap on this page; say so while it is off.
  const soundOff = $("sound-off");
  const showSound = (running) => {
    soundOff.hidden = running || state.ended !== null;
    if (running) scheduleSound();
  };
  sound.onState = showSound;
  $("sound-on").addEventListener("click", () => sound.unlock());
  sound.unlock();
  showSound(sound.running());
  const status = document.createElement("p");
  status.id = "save-status";
  status.className = "muted";
  status.setAttribute("role", "status");
  $("run").append(status);
}

function restore() {
  const known = new Set();
  for (const event of data.events) { apply(state, event); known.add(event.id); }
  for (const event of outbox.pending()) if (!known.has(event.id)) apply(state, event);
  // The page was closed while a timed step ran past its end: start that step over
  // rather than marking as done what nobody saw.
  const due = deadline(state);
  if (due !== null && due < now()) record("restart");
}

wire();
restore();
changed();
outbox.flush();
window.sirelief = { state, outbox, sound, now };
