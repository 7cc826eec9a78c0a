// Keep the screen on while a session runs, and let it sleep again when it does not.
let lock = null;

export async function keepAwake(running) {
  if (!("wakeLock" in navigator)) return;
  try {
    if (running && !lock && document.visibilityState === "visible") {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => { lock = null; });
    } else if (!running && lock) {
      await lock.release();
      lock = null;
    }
  } catch { /* not allowed now (battery saver, hidden page): try again later */ }
}
