// Sound and voice. Beeps are scheduled ahead on the Web Audio clock, so they sound on
// time even when the page's timers are slowed (a locked screen, a tab in the back).

const TONES = {
  count: { freq: 880, length: 0.12, gain: 0.25 },
  done: { freq: 660, length: 0.6, gain: 0.3 },
  switch: { freq: 523, length: 0.25, gain: 0.3, second: 784 },
  cue: { freq: 740, length: 0.08, gain: 0.12 },
};

const KEEP_WITHIN_S = 0.005;
// A kept tone whose audio time has moved more than this (the audio clock drifting from the
// system clock) is scheduled again.

// `settings` are the person's (the settings page): { beeps, voice, voiceName }.
export class Sound {
  constructor(speed, settings = {}) {
    this.speed = speed;
    this.context = null;
    this.scheduled = new Map(); // "tone@session time" -> { osc, when }
    this.beeps = settings.beeps !== false;
    this.voice = settings.voice !== false;
    this.voiceName = settings.voiceName || null;
    this.log = [];
    this.spoken = []; // what was said, and in which voice (the browser tests read it)
  }

  // Whether this session makes any sound at all (beeps or a voice).
  wanted() {
    return this.beeps || this.voice;
  }

  unlock() {
    if (!this.context) {
      const AudioContext = window.AudioContext || window.webkitAudioContext;
      if (!AudioContext) return;
      this.context = new AudioContext();
      this.context.addEventListener("statechange", () => this.onState && this.onState(this.running()));
    }
    if (this.context.state === "suspended") this.context.resume();
  }

  running() {
    return this.context !== null && this.context.state === "running";
  }

  // For this page only; the settings page keeps the person's choice.
  setVoice(on) {
    this.voice = on;
    if (!on && window.speechSynthesis) window.speechSynthesis.cancel();
  }

  // Drop every tone that has not started yet; one already sounding plays to its end.
  cancel() {
    this.keepOnly(new Set());
  }

  keepOnly(keys) {
    const started = this.context ? this.context.currentTime : Infinity;
    for (const [key, { osc, when }] of this.scheduled) {
      if (keys.has(key)) continue;
      if (when > started) { try { osc.stop(0); } catch { /* already done */ } }
      this.scheduled.delete(key);
    }
  }

  // The audio-clock time at which a sound must start to be heard `delay` seconds from now:
  // through the output timestamp, so the output latency (tens of ms) is taken off.
  audioTimeIn(delay) {
    const ctx = this.context;
    const stamp = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
    if (stamp && stamp.performanceTime > 0) {
      return stamp.contextTime + (performance.now() - stamp.performanceTime) / 1000 + delay;
    }
    return ctx.currentTime + delay - (ctx.outputLatency || 0) - (ctx.baseLatency || 0);
  }

  // Schedule tones at session-clock times (seconds). Calling it again with an overlapping
  // list keeps the tones already in place (never cutting one that is sounding) and
  // cancels only those no longer wanted.
  schedule(cues, now) {
    if (!this.context || !this.beeps) return;
    const wanted = new Set();
    for (const { at, tone, label } of cues) {
      const delay = (at - now) / this.speed;
      if (delay < -0.05) continue;
      const key = `${tone}@${at.toFixed(3)}`;
      const when = Math.max(this.context.currentTime, this.audioTimeIn(delay));
      const kept = this.scheduled.get(key);
      if (kept && (kept.when <= this.context.currentTime || Math.abs(kept.when - when) < KEEP_WITHIN_S)) {
        wanted.add(key);
        continue;
      }
      if (kept) { try { kept.osc.stop(0); } catch { /* already done */ } }
      wanted.add(key);
      this.scheduled.set(key, { osc: this.tone(TONES[tone], when), when });
      this.log.push({ label, tone, sessionAt: at, audioAt: when });
      if (this.log.length > 2000) this.log.shift();
    }
    this.keepOnly(wanted);
  }

  tone(spec, when) {
    const ctx = this.context;
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.setValueAtTime(0.0001, when);
    gain.gain.exponentialRampToValueAtTime(spec.gain, when + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, when + spec.length);
    const osc = ctx.createOscillator();
    osc.frequency.setValueAtTime(spec.freq, when);
    if (spec.second) osc.frequency.setValueAtTime(spec.second, when + spec.length / 2);
    osc.connect(gain);
    osc.start(when);
    osc.stop(when + spec.length + 0.02);
    return osc;
  }

  say(text) {
    if (!this.voice || !window.speechSynthesis || !text) return;
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.rate = 1;
    const chosen = this.voiceName && window.speechSynthesis.getVoices().find((v) => v.name === this.voiceName);
    if (chosen) utterance.voice = chosen;
    this.spoken.push({ text, voice: chosen ? chosen.name : null });
    if (this.spoken.length > 200) this.spoken.shift();
    window.speechSynthesis.speak(utterance);
  }
}
