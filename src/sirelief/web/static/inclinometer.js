// The phone as an inclinometer for the knee-to-wall test. The sums mirror
// sirelief.domain.inclinometer (keep them alike): the phone lies flat on the shin, so the
// lean of its plane from vertical is asin(|cos(beta) * cos(gamma)|); a try counts once every
// reading of the last 2 seconds lies within 1 degree; three tries, their mean to one decimal.
// Without this script the page still asks for the distance and a typed angle.

const WINDOW_MS = 2000;
const TOLERANCE_DEG = 1;
const TRIES = 3;
const NO_SENSOR_MS = 3000;
const RAD = Math.PI / 180;

export function shinAngle(beta, gamma) {
  const vertical = Math.cos(beta * RAD) * Math.cos(gamma * RAD);
  return Math.asin(Math.min(1, Math.abs(vertical))) / RAD;
}

// samples: [ms, angle] oldest first. The mean of a still window, or null; also drops
// samples older than the window needs.
export function steadyAngle(samples) {
  const newest = samples[samples.length - 1][0];
  let start = -1;
  for (let i = samples.length - 1; i >= 0; i--) {
    if (samples[i][0] <= newest - WINDOW_MS) { start = i; break; }
  }
  if (start < 0) return null;
  samples.splice(0, start);
  const angles = samples.map((s) => s[1]);
  if (Math.max(...angles) - Math.min(...angles) > TOLERANCE_DEG) return null;
  return angles.reduce((a, b) => a + b, 0) / angles.length;
}

export const meanOfTries = (tries) => Math.round((tries.reduce((a, b) => a + b, 0) / tries.length) * 10) / 10;

let running = null; // one measurement at a time

function stop(message) {
  if (!running) return;
  window.removeEventListener("deviceorientation", running.listen);
  clearTimeout(running.timer);
  running.button.disabled = false;
  if (message) running.status.textContent = message;
  running = null;
}

function fallback(status) {
  stop();
  status.dataset.state = "no-sensor";
  status.textContent = "No motion sensor answered (a laptop has none). Measure the distance " +
    "from big toe to wall with a tape instead and type it in cm, or type an angle you measured.";
}

async function start(button) {
  const field = button.closest(".knee-to-wall");
  const status = field.querySelector(".phone-measure-status");
  const input = field.querySelector(`input[name="knee_to_wall_deg_${button.dataset.inclinometer}"]`);
  stop();
  if (typeof DeviceOrientationEvent === "undefined") return fallback(status);
  if (typeof DeviceOrientationEvent.requestPermission === "function") {
    // iOS asks only from a tap, which this is.
    let answer = "denied";
    try { answer = await DeviceOrientationEvent.requestPermission(); } catch { /* denied */ }
    if (answer !== "granted") {
      status.textContent = "Motion sensor access was not allowed, so the phone cannot measure. " +
        "Type the distance in cm instead (or allow motion access in the browser's settings and tap again).";
      return;
    }
  }
  const tries = [];
  const samples = [];
  const listen = (event) => {
    if (event.beta === null || event.gamma === null) return; // no real sensor behind it
    clearTimeout(running.timer);
    samples.push([event.timeStamp, shinAngle(event.beta, event.gamma)]);
    const angle = steadyAngle(samples);
    if (angle === null) {
      status.textContent = `Try ${tries.length + 1} of ${TRIES}: ${samples[samples.length - 1][1].toFixed(1)}°. Hold still…`;
      return;
    }
    tries.push(angle);
    samples.length = 0;
    status.dataset.tries = String(tries.length);
    if (navigator.vibrate) navigator.vibrate(80);
    const list = tries.map((t) => `${t.toFixed(1)}°`).join(", ");
    if (tries.length < TRIES) {
      status.textContent = `Got ${list}. Step back, lunge again and hold still for try ${tries.length + 1} of ${TRIES}.`;
      return;
    }
    const mean = meanOfTries(tries);
    input.value = mean.toFixed(1);
    status.dataset.state = "done";
    stop(`Done: ${list}. Their average, ${mean.toFixed(1)}°, is in the angle box.`);
  };
  running = { button, status, listen, timer: setTimeout(() => fallback(status), NO_SENSOR_MS) };
  button.disabled = true;
  status.dataset.state = "measuring";
  status.dataset.tries = "0";
  status.textContent = `Lay the phone on your ${button.dataset.inclinometer} shin, lunge and hold still.`;
  window.addEventListener("deviceorientation", listen);
}

document.documentElement.classList.add("inclinometer-ready");
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-inclinometer]");
  if (button) start(button);
});
