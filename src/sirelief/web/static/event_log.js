// The browser's own copy of every event it recorded, kept in localStorage per session
// (beside the outbox, which forgets an event once the server has it).

export function newEventId() {
  return crypto.randomUUID ? crypto.randomUUID().replaceAll("-", "") : `${Date.now()}${Math.random()}`.replace(".", "");
}

export function readLog(sessionId) {
  try { return JSON.parse(localStorage.getItem(`sirelief:log:${sessionId}`) || "[]"); } catch { return []; }
}

export function keepInLog(sessionId, event) {
  const log = readLog(sessionId);
  log.push(event);
  localStorage.setItem(`sirelief:log:${sessionId}`, JSON.stringify(log));
}
