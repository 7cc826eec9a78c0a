// Injected by bench/timer.py before any page script runs (never shipped with the app).
// It listens to what actually comes out of Web Audio, notes every change of the big
// countdown, and runs beside the real timer a naive one that counts setInterval ticks.
// Everything is kept in localStorage, so the results page after the session keeps it.
(() => {
  const KEY = "bench:probe";
  const probe = JSON.parse(localStorage.getItem(KEY) || "null") || {
    onsets: [], display: [], naive: [], visibility: [], startedAt: null, steps: null,
  };
  window.benchProbe = probe;
  const epochMs = () => performance.timeOrigin + performance.now();
  const save = () => localStorage.setItem(KEY, JSON.stringify(probe));
  setInterval(save, 5000);
  addEventListener("pagehide", save);
  document.addEventListener("visibilitychange", () => {
    probe.visibility.push([document.visibilityState, epochMs()]);
    save();
  });

  // --- what Web Audio really played: an onset detector on the audio thread ---------------
  const ONSET = `class Onset extends AudioWorkletProcessor {
    constructor() { super(); this.quiet = 1e9; }
    process(inputs) {
      const channel = inputs[0] && inputs[0][0];
      if (!channel) { this.quiet += 128; return true; }
      for (let i = 0; i < channel.length; i += 1) {
        if (Math.abs(channel[i]) > 2e-4) {
          if (this.quiet > 0.03 * sampleRate) this.port.postMessage(currentTime + i / sampleRate);
          this.quiet = 0;
        } else this.quiet += 1;
      }
      return true;
    }
  }
  registerProcessor("bench-onset", Onset);`;
  const Base = window.AudioContext;
  const realDestination = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, "destination").get;
  class ProbedAudioContext extends Base {
    constructor(...args) {
      super(...args);
      const out = realDestination.call(this);
      this.benchBus = this.createGain();
      this.benchBus.connect(out);
      const url = URL.createObjectURL(new Blob([ONSET], { type: "text/javascript" }));
      this.audioWorklet.addModule(url).then(() => {
        const tap = new AudioWorkletNode(this, "bench-onset");
        tap.port.onmessage = (message) => {
          // Audio time -> wall clock through the output timestamp: when it left the speaker.
          const stamp = this.getOutputTimestamp();
          probe.onsets.push({
            audio: message.data, contextTime: stamp.contextTime,
            epochAtStamp: performance.timeOrigin + stamp.performanceTime,
          });
        };
        this.benchBus.connect(tap);
        tap.connect(out);
      });
    }
    get destination() { return this.benchBus; }
  }
  window.AudioContext = ProbedAudioContext;

  document.addEventListener("DOMContentLoaded", () => {
    const clock = document.getElementById("countdown");
    if (!clock) return;
    new MutationObserver(() => probe.display.push([clock.textContent, epochMs()]))
      .observe(clock, { childList: true, characterData: true, subtree: true });

    // --- the naive timer: count one-second ticks and beep when the count says so --------
    const cuesModule = import("/static/cues.js");
    cuesModule.then(({ toneCues }) => { const waitForStart = setInterval(() => {
      const app = window.sirelief;
      if (!app || app.state.startedAt === null || probe.startedAt !== null) return;
      clearInterval(waitForStart);
      probe.startedAt = app.state.startedAt;
      probe.steps = app.state.steps.map((s) => ({ kind: s.kind, duration_s: s.duration_s, reps: s.reps }));
      const offsets = [];
      let begin = 0;
      for (const step of app.state.steps) {
        if (step.kind === "assessment" || step.reps) break;
        for (const cue of toneCues(step, step.duration_s)) offsets.push(begin + cue.at);
        begin += step.duration_s;
      }
      offsets.sort((a, b) => a - b);
      let ticks = 0;
      let next = 0;
      const naiveStartMs = probe.startedAt * 1000;
      setInterval(() => {
        ticks += 1;
        while (next < offsets.length && offsets[next] <= ticks) {
          probe.naive.push([naiveStartMs + offsets[next] * 1000, epochMs()]);
          next += 1;
        }
      }, 1000);
      save();
    }, 5); });
  });
})();
