// Sound and voice. Beeps are scheduled ahead on the Web Audio clock, so they sound on
// time even when the page's timers are slowed (a locked screen, a tab in the back).

const TONES = {
  count: { freq: 880, length: 0.12, gain: 0.25 },
  done: { freq: 660, length: 0.6, gain: 0.3 },
  switch: { freq: 523, length: 0.25, gain: 0.3, second: 784 },
  cue: { freq: 740, length: 0.08, gain: 0.12 },
};

export class Sound {
  constructor(speed) {
    this.speed = speed;
    this.context = null;
    this.scheduled = [];
    this.voice = localStorage.getItem("sirelief:voice") !== "off";
    this.log = [];
  }

  unlock() {
    if (!this.context) {
      const AudioContext = window.AudioContext || window.webkitAudioContext;
      if (!AudioContext) return;
      this.context = new AudioContext();
    }
    if (this.context.state === "suspended") this.context.resume();
  }

  setVoice(on) {
    this.voice = on;
    localStorage.setItem("sirelief:voice", on ? "on" : "off");
    if (!on && window.speechSynthesis) window.speechSynthesis.cancel();
  }

  cancel() {
    for (const node of this.scheduled) { try { node.stop(0); } catch { /* already done */ } }
    this.scheduled = [];
  }

  // Schedule tones at session-clock times (seconds), converted to the audio clock.
  schedule(cues, now) {
    this.cancel();
    if (!this.context) return;
    const base = this.context.currentTime;
    for (const { at, tone, label } of cues) {
      const delay = (at - now) / this.speed;
      if (delay < -0.05) continue;
      const when = base + Math.max(0, delay);
      this.tone(TONES[tone], when);
      this.log.push({ label, tone, sessionAt: at, audioAt: when });
      if (this.log.length > 2000) this.log.shift();
    }
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
    this.scheduled.push(osc);
  }

  say(text) {
    if (!this.voice || !window.speechSynthesis || !text) return;
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.rate = 1;
    window.speechSynthesis.speak(utterance);
  }
}
