// The guided session: each event recorded at once (folded, kept on this device, sent or
// queued), then the screen, the sounds and the wake lock follow the new state; a tick
// completes timed steps at their deadlines. Each of those jobs has its own module.
import { readAssessment } from "./assessment.js";
import { sessionClock, untilNextTickMs } from "./clock.js";
import { apply, deadline, newState } from "./engine.js";
import { keepInLog, newEventId, readLog } from "./event_log.js";
import { Outbox } from "./outbox.js";
import { Prompts } from "./prompts.js";
import { Sound } from "./sound.js";
import { clearTooMuch, readTooMuch } from "./too_much.js";
import { renderClock, renderStep } from "./view.js";
import { canKeepAwake, keepAwake } from "./wake_lock.js";

const data = JSON.parse(document.getElementById("session-data").textContent);
const speed = data.clockSpeed;
const now = sessionClock(data.clockBase, speed);
const $ = (id) => document.getElementById(id);
const words = { phases: data.phaseWords, tooMuch: data.tooMuch };

const state = newState(data.steps);
const sound = new Sound(speed, data.sound);
const prompts = new Prompts(sound, (text) => { $("cue").textContent = text; });
let tickTimer = null;
let askingTooMuch = !$("too-much-ask").hidden; // shown by the server (?ask=too_much)

const outbox = new Outbox(data.session, data.urls.events, data.csrf, (waiting) => {
  const status = $("save-status");
  if (status) status.textContent = waiting ? `${waiting} change${waiting === 1 ? "" : "s"} saved on this device, waiting to reach sirelief…` : "";
  if (!waiting && state.ended !== null) window.location.assign(data.urls.results);
}, data.owner);

function record(kind, fields = {}) {
  recordEvent({ id: newEventId(), at: now(), kind, ...fields });
}

// A person's action: sound may start only after a tap, so every press allows it.
function press(kind, fields) {
  sound.unlock();
  record(kind, fields);
}

function recordEvent(event) {
  if (!apply(state, event)) return;
  keepInLog(data.session, event);
  outbox.add(event);
  changed();
}

function changed() {
  prompts.forget();
  prompts.scheduleTones(state, now);
  render();
  keepAwake(running(), screenMaySleep);
  tick();
}

// The screen cannot be kept on: say so, and what the person can do instead.
function screenMaySleep() {
  const notice = $("awake-notice");
  if (window.isSecureContext) $("awake-why").textContent = "This browser would not keep the screen on: it may go to sleep during a hold.";
  notice.hidden = false;
}

function running() {
  return state.startedAt !== null && state.ended === null && state.pausedAt === null;
}

// Each timed step that ran out completes at its own deadline, however late the page wakes.
function catchUp() {
  let due = deadline(state);
  while (due !== null && due <= now()) {
    recordEvent({ id: newEventId(), at: due, kind: "complete", step: state.index });
    due = deadline(state);
  }
}

function tick() {
  clearTimeout(tickTimer);
  catchUp();
  prompts.speakDue(state, now);
  renderClock(state, now);
  if (state.ended !== null) return;
  tickTimer = setTimeout(tick, untilNextTickMs(state, now(), speed));
}

function render() {
  renderStep(state, now, { words, asking: askingTooMuch, press });
  if (state.ended !== null) {
    $("cue").textContent = "Saving your session…";
    if (!outbox.pending().length) window.location.assign(data.urls.results);
  }
}

// Every form on the screen is answered here; without JavaScript each posts to the server.
function submitted(form) {
  const kind = form.dataset.kind;
  if (kind === "assessment") {
    const fields = readAssessment(form, state.steps[state.index], state.index, data.labels);
    if (fields) record("assessment", fields);
  } else if (kind === "too_much") {
    const answer = readTooMuch(form);
    if (!answer) return;
    askingTooMuch = false;
    record("too_much", { step: state.index, ...answer });
    form.reset(); // the next "too much" must not offer this answer as already chosen
  } else if (kind === "too_much_choice") {
    record("too_much_choice", { choice: new FormData(form).get("choice") });
  } else if (kind === "end") {
    record("end");
  }
}

function wire() {
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form.act");
    if (!form) return;
    event.preventDefault();
    sound.unlock();
    submitted(form);
  });
  $("too-much-cancel").addEventListener("click", (event) => {
    // Back to the running step; nothing is recorded.
    event.preventDefault();
    clearTooMuch($("too-much-ask").querySelector("form"));
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
    if (document.visibilityState === "visible") { tick(); keepAwake(running(), screenMaySleep); prompts.scheduleTones(state, now); }
  });
  if (!canKeepAwake()) screenMaySleep();
  // Leaving through the menu pauses the session: the clock does not run on unseen.
  document.querySelector("header.top").addEventListener("click", (event) => {
    if (event.target.closest("a[href], button") && running()) record("pause");
  });
  document.addEventListener("pointerdown", () => sound.unlock(), { once: true });
  // Browsers start sound only after a tap on this page; say so while it is off.
  const soundOff = $("sound-off");
  const showSound = (playing) => {
    soundOff.classList.toggle("held", sound.wanted() && !(playing || state.ended !== null));
    if (playing) prompts.scheduleTones(state, now);
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
  // Then what this browser recorded that the page does not hold: events still waiting to
  // be sent, and, when this page is the copy kept for offline use (sw.js), everything
  // recorded since that copy was made. The engine ignores an event it has already seen.
  for (const event of [...readLog(data.session), ...outbox.pending()]) if (!known.has(event.id)) apply(state, event);
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
