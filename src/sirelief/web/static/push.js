// Web Push reminders on this device (the settings page). Permission is asked only when
// the person taps "Remind me on this device"; the browser then subscribes through
// sirelief's service worker with the server's public key, and the subscription is sent
// to the server, which pushes "Time for your session" at the chosen days and time.
// Where the browser cannot (no secure connection, no push, notifications blocked) the
// page says so instead of offering the button. Without this module the page says that
// turning reminders on needs JavaScript, and "Stop reminders on every device" is a form.
const $ = (id) => document.getElementById(id);
const section = $("push");
const note = $("push-note");
const onButton = $("push-on");
const offButton = $("push-off");
const devices = $("push-devices");

const CALENDAR = "The calendar above works in every browser.";

function say(text) {
  note.textContent = text;
  note.hidden = !text;
}

function supportProblem() {
  if (!window.isSecureContext) {
    return "This page is not on a secure connection, so this browser will not show reminders "
      + "from it. Open sirelief over https:// (or on this computer itself) to turn them on. " + CALENDAR;
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return "This browser cannot show reminders from a web page. On an iPhone or iPad, add "
      + "sirelief to the Home Screen, open it from there and look here again. " + CALENDAR;
  }
  if (Notification.permission === "denied") {
    return "Notifications from sirelief are blocked in this browser's settings. Allow them "
      + "there to get reminders on this device. " + CALENDAR;
  }
  return null;
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const have = new Uint8Array(buffer);
  return have.length === bytes.length && have.every((value, index) => value === bytes[index]);
}

function showDevices(count) {
  if (typeof count !== "number") return;
  devices.textContent = count
    ? `${count} device${count === 1 ? " gets" : "s get"} these reminders.`
    : "No device gets these reminders yet.";
}

function showState(subscribed) {
  onButton.hidden = subscribed;
  offButton.hidden = !subscribed;
}

async function send(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": section.dataset.csrf },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `the server answered ${response.status}`);
  return answer;
}

async function turnOn() {
  onButton.disabled = true;
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("Reminders need your permission to show notifications, so nothing was turned on. " + CALENDAR);
      return;
    }
    say("Turning reminders on...");
    const keyAnswer = await fetch("/settings/push/key", { credentials: "same-origin" });
    if (!keyAnswer.ok) throw new Error(`the server answered ${keyAnswer.status}`);
    const key = keyBytes((await keyAnswer.json()).public_key);
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe(); // made for another installation's key
      subscription = null;
    }
    subscription ||= await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: key,
    });
    const answer = await send("/settings/push", subscription.toJSON());
    showState(true);
    showDevices(answer.devices);
    say("Reminders are on for this device.");
  } catch (error) {
    say(`Reminders could not be turned on here (${error.message}). Try again later. ${CALENDAR}`);
  } finally {
    onButton.disabled = false;
  }
}

async function turnOff() {
  offButton.disabled = true;
  try {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      const endpoint = subscription.endpoint;
      await subscription.unsubscribe();
      showDevices((await send("/settings/push/remove", { endpoint })).devices);
    }
    showState(false);
    say("Reminders are off for this device.");
  } catch (error) {
    say(`Reminders could not be turned off here (${error.message}). "Stop reminders on every device" below always works.`);
  } finally {
    offButton.disabled = false;
  }
}

async function start() {
  if (!section) return;
  const problem = supportProblem();
  if (problem) {
    say(problem);
    return;
  }
  say("");
  onButton.addEventListener("click", turnOn);
  offButton.addEventListener("click", turnOff);
  const registration = await navigator.serviceWorker.getRegistration("/");
  const subscription = registration && await registration.pushManager.getSubscription();
  showState(Boolean(subscription));
}

start();
