// The browser's own copy of every event it recorded, kept in localStorage per session
// (beside the outbox, which forgets an event once the server has it).

export function newEventId() {
  return crypto.randomUUID ? crypto.randomUUID().replaceAll("-", "") : `${Date.now()}${Math.random()}`.replace(".", "");
}

export function keepInLog(sessionId, event) {
  const key = `sirelief:log:${sessionId}`;
  const log = JSON.parse(localStorage.getItem(key) || "[]");
  log.push(event);
  localStorage.setItem(key, JSON.stringify(log));
}
