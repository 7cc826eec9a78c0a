// Hands the app to sirelief's service worker (/sw.js): it keeps the app's files and the
// pages of a session in progress on this device, so a session started online runs to its
// end with the network gone (its events wait in the outbox). Browsers allow a worker only
// in a secure context (HTTPS, or this computer itself).
const worker = navigator.serviceWorker;

if (worker && window.isSecureContext) {
  // Once the page has loaded and the browser is idle: the worker's start and its first
  // fetches never compete with the page's own work.
  const idle = window.requestIdleCallback || ((job) => setTimeout(job, 1));
  window.addEventListener("load", () => idle(() => {
    worker.register("/sw.js", { scope: "/", updateViaCache: "none" }).catch((error) => {
      console.warn("sirelief: this browser would not keep the app for offline use", error);
    });
  }, { timeout: 5000 }), { once: true });
  worker.ready.then((registration) => {
    // On a session screen: keep every figure its steps will show, before they are needed.
    const data = document.getElementById("session-data");
    if (data && registration.active) {
      const urls = new Set();
      for (const step of JSON.parse(data.textContent).steps) {
        if (!step.exercise_id) continue;
        const side = ["left", "right"].includes(step.side) ? step.side : "left";
        for (const pose of ["animated", "start"]) urls.add(`/figures/${step.exercise_id}/${side}/${pose}.svg`);
      }
      registration.active.postMessage({ kind: "keep-figures", urls: [...urls] });
    }
  });
  // Signing out forgets the kept pages: sign_out.js asks the worker (which also does it
  // when it sees the form go), after checking no result is left unsent.
}
