// Keep the screen on while a session runs, and let it sleep again when it does not.
// Outside a secure context (plain HTTP on a LAN address) browsers offer no wake lock, and
// a browser may refuse one (battery saver); then `onRefused` lets the page say so.
let lock = null;
let asking = false;

export function canKeepAwake() {
  return window.isSecureContext && "wakeLock" in navigator;
}

export async function keepAwake(running, onRefused = () => {}) {
  if (!canKeepAwake()) {
    onRefused();
    return;
  }
  if (asking) return;
  asking = true;
  try {
    if (running && !lock && document.visibilityState === "visible") {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => { lock = null; });
    } else if (!running && lock) {
      await lock.release();
      lock = null;
    }
  } catch {
    // Refused while the page is shown (battery saver, a policy): say so. A hidden page
    // asks again when it returns (visibilitychange).
    if (document.visibilityState === "visible") onRefused();
  } finally {
    asking = false;
  }
}
