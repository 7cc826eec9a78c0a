// Every event goes to the server at once; when it cannot, it waits here (in
// localStorage, so a closed tab keeps it) and is sent, in order, when the server is back.
export class Outbox {
  constructor(sessionId, url, csrf, onChange, owner) {
    this.key = `sirelief:outbox:${owner ? `${owner}:` : ""}${sessionId}`;
    this.url = url;
    this.csrf = csrf;
    this.onChange = onChange;
    this.sending = false;
    this.retryMs = 1000;
    this.timer = null;
    window.addEventListener("online", () => this.flush());
  }

  pending() {
    try { return JSON.parse(localStorage.getItem(this.key) || "[]"); } catch { return []; }
  }

  save(events) {
    if (events.length) localStorage.setItem(this.key, JSON.stringify(events));
    else localStorage.removeItem(this.key);
    this.onChange(events.length);
  }

  add(event) {
    this.save([...this.pending(), event]);
    this.flush();
  }

  async flush() {
    if (this.sending) return;
    const batch = this.pending();
    if (!batch.length) { this.onChange(0); return; }
    this.sending = true;
    clearTimeout(this.timer);
    try {
      const body = JSON.stringify({ events: batch });
      const response = await fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": this.csrf },
        body,
        credentials: "same-origin",
        // A pause sent while leaving the page still arrives; browsers cap such bodies at 64 KB.
        keepalive: body.length < 60000,
      });
      if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 403 && response.status !== 408 && response.status !== 429)) {
        if (!response.ok) console.error("sirelief: the server refused events", await response.text());
        const sent = new Set(batch.map((e) => e.id));
        this.save(this.pending().filter((e) => !sent.has(e.id)));
        this.retryMs = 1000;
      } else {
        throw new Error(`status ${response.status}`);
      }
    } catch {
      this.timer = setTimeout(() => this.flush(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15000);
    } finally {
      this.sending = false;
    }
    if (this.pending().length && this.retryMs === 1000) this.flush();
  }
}
