// Injected by bench/timer.py before any page script runs (never shipped with the app).
// It listens to what actually comes out of Web Audio, notes every change of the big
// countdown, and runs beside the real timer a naive one that counts setInterval ticks.
// Everything is kept in localStorage, so the results page after the session keeps it.
(() => {
  const KEY = "bench:probe";
  const probe = JSON.parse(localStorage.getItem(KEY) || "null") || {
    onsets: [], display: [], naive: [], naiveOnsets: [], visibility: [], startedAt: null,
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
  // Connect an onset detector between `bus` and the speakers of `context`; onsets go to `list`.
  function tap(context, bus, out, list) {
    const url = URL.createObjectURL(new Blob([ONSET], { type: "text/javascript" }));
    context.audioWorklet.addModule(url).then(() => {
      const node = new AudioWorkletNode(context, "bench-onset");
      node.port.onmessage = (message) => {
        // Audio time -> wall clock through the output timestamp: when it left the speaker.
        const stamp = context.getOutputTimestamp();
        list.push({
          audio: message.data, contextTime: stamp.contextTime,
          epochAtStamp: performance.timeOrigin + stamp.performanceTime,
        });
      };
      bus.connect(node);
      node.connect(out);
    });
  }
  const realDestination = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, "destination").get;
  class ProbedAudioContext extends Base {
    constructor(...args) {
      super(...args);
      const out = realDestination.call(this);
      this.benchBus = this.createGain();
      this.benchBus.connect(out);
      tap(this, this.benchBus, out, probe.onsets);
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
    // It starts on the press of Start, as such an app would (captured before the app sees it).
    let toneCues = null;
    import("/static/cues.js").then((module) => { toneCues = module.toneCues; });
    document.addEventListener("click", (event) => {
      const app = window.sirelief;
      if (probe.naiveFrom || !toneCues || !app || !event.target.closest("#controls button")) return;
      probe.naiveFrom = epochMs();
      // Its own audio, played the moment a tick says a tone is due.
      const naiveAudio = new Base();
      const naiveBus = naiveAudio.createGain();
      naiveBus.connect(naiveAudio.destination);
      tap(naiveAudio, naiveBus, naiveAudio.destination, probe.naiveOnsets);
      const beep = () => {
        const when = naiveAudio.currentTime;
        const gain = naiveAudio.createGain();
        gain.gain.setValueAtTime(0.0001, when);
        gain.gain.exponentialRampToValueAtTime(0.2, when + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, when + 0.1);
        gain.connect(naiveBus);
        const osc = naiveAudio.createOscillator();
        osc.connect(gain);
        osc.start(when);
        osc.stop(when + 0.12);
      };
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
      setInterval(() => {
        ticks += 1;
        let due = false;
        while (next < offsets.length && offsets[next] <= ticks) {
          probe.naive.push([probe.naiveFrom + offsets[next] * 1000, epochMs()]);
          next += 1;
          due = true;
        }
        if (due) beep();
      }, 1000);
    }, true);
    const waitForStart = setInterval(() => {
      const app = window.sirelief;
      if (!app || app.state.startedAt === null) return;
      clearInterval(waitForStart);
      probe.startedAt = app.state.startedAt;
      save();
    }, 5);
  });
})();
