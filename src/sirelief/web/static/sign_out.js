// Signing out on a shared device leaves nothing of the person behind (ASVS 14.3.1): the
// session outboxes and event logs sirelief keeps in this browser's storage are cleared, and
// the service worker forgets the pages it kept. Recorded results are never thrown away
// silently: while an outbox still holds events the server has not acknowledged, sign-out
// first tries to send them; if some still cannot go, the page says how many and signs out
// only once they are saved or the person chooses to sign out anyway, knowing they are lost.
// Only this account's outboxes are sent or counted: outbox.js files a clinic account's under
// the page's sirelief-owner tag (an HMAC of the account), so an account signing in later on
// this device never sends an earlier one's. The sign-out answer's Clear-Site-Data clears
// the rest too, where the browser honours it (a secure context).
import { Outbox } from "./outbox.js";

const PREFIX = "sirelief:";
const OWNER = document.querySelector("meta[name=sirelief-owner]").content;
const OUTBOX = `${PREFIX}outbox:${OWNER}:`;  // as outbox.js files this account's

function keysOf(storage) {
  const keys = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key && key.startsWith(PREFIX)) keys.push(key);
  }
  return keys;
}

function outboxes() {
  // One per session with unsent events: its id and how many wait.
  return keysOf(localStorage).filter((key) => key.startsWith(OUTBOX)).map((key) => {
    let count = 0;
    try { count = JSON.parse(localStorage.getItem(key) || "[]").length; } catch { count = 0; }
    return { session: key.slice(OUTBOX.length), count };
  }).filter((box) => box.count > 0);
}

function unsent() {
  return outboxes().reduce((sum, box) => sum + box.count, 0);
}

async function forgetEverything() {
  for (const storage of [localStorage, sessionStorage]) {
    for (const key of keysOf(storage)) storage.removeItem(key);
  }
  const worker = navigator.serviceWorker;
  if (worker && worker.controller) worker.controller.postMessage({ kind: "forget-pages" });
  if (!window.caches) return;  // not a secure context: no worker kept any page
  try {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("sirelief-") && name.endsWith("-pages"))
      .map((name) => caches.delete(name)));
  } catch (error) {
    console.warn("sirelief: could not clear the kept pages", error);
  }
}

function results(count) {
  return `${count} result${count === 1 ? "" : "s"}`;
}

const form = document.querySelector("form.sign-out");
if (form) {
  const csrf = form.querySelector("input[name=csrf_token]").value;
  let leaving = false;
  let panel = null;

  const leave = async () => {
    leaving = true;
    await forgetEverything();
    form.submit();
  };

  const button = (text, className, onClick) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  };

  const SEND_WAIT_MS = 5000;
  const sendAll = async () => {
    // One try for each session's outbox, given a few seconds at most.
    const tries = outboxes().map(async (box) => {
      const outbox = new Outbox(box.session, `/sessions/${box.session}/events`, csrf, () => {}, OWNER);
      await outbox.flush();
      clearTimeout(outbox.timer);  // no retries from here: the button tries again
    });
    await Promise.race([Promise.all(tries), new Promise((done) => setTimeout(done, SEND_WAIT_MS))]);
    return unsent();
  };

  const sendNow = async (status) => {
    status.textContent = "Sending…";
    const left = await sendAll();
    if (left === 0) {
      status.textContent = "All results are saved. Signing you out…";
      leave();
    } else {
      status.textContent = `${results(left)} still not saved. Check the connection and try again.`;
      warn(left);
    }
  };

  const warn = (count) => {
    if (!panel) {
      panel = document.createElement("section");
      panel.className = "card danger-soft unsent-warning";
      panel.setAttribute("role", "alertdialog");
      panel.setAttribute("aria-labelledby", "unsent-title");
      panel.setAttribute("aria-describedby", "unsent-text");
      const title = document.createElement("h2");
      title.id = "unsent-title";
      title.tabIndex = -1;
      const text = document.createElement("p");
      text.id = "unsent-text";
      const status = document.createElement("p");
      status.className = "muted";
      status.setAttribute("role", "status");
      const actions = document.createElement("div");
      actions.className = "actions";
      actions.append(
        button("Try sending now", "button primary", () => sendNow(status)),
        button("", "button danger discard", leave),
        button("Stay signed in", "button", () => { panel.remove(); panel = null; }),
      );
      panel.append(title, text, status, actions);
      const main = document.getElementById("main");
      main.prepend(panel);
    }
    panel.querySelector("#unsent-title").textContent =
      `${results(count)} not yet saved on sirelief`;
    panel.querySelector("#unsent-text").textContent =
      `This device still holds ${results(count)} that have not reached sirelief. ` +
      "Stay online a moment and try sending them. Signing out now clears them from this " +
      "device, and they will be lost.";
    panel.querySelector(".discard").textContent =
      `Sign out anyway and lose ${count === 1 ? "it" : "them"}`;
    panel.querySelector("h2").focus();
    panel.scrollIntoView({ block: "start" });
  };

  form.addEventListener("submit", async (event) => {
    if (leaving) return;
    event.preventDefault();  // storage is cleared first; results wait to be sent
    if (unsent() === 0) {
      await leave();
      return;
    }
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    const left = await sendAll();
    submit.disabled = false;
    if (left === 0) leave();
    else warn(left);
  });
}
