// When each sound of a step plays, in seconds from the step's start. Pure, so the timer,
// its look-ahead and the timer benchmark all agree on the same moments.

export const REMINDER_S = 30;

// "N seconds left" every 30 s of a long hold, and a halfway mark.
export function reminders(total) {
  const times = [];
  if (total > REMINDER_S) {
    for (let left = total - REMINDER_S; left > 3; left -= REMINDER_S) times.push(total - left);
    const half = Math.round(total / 2);
    if (!times.some((t) => Math.abs(t - half) < 8)) times.push(half);
  }
  return times.sort((a, b) => a - b);
}

// The step's own cues (scaled to a gentler, shorter hold) and the reminders between them.
export function spokenCues(step, total) {
  const scale = total / step.duration_s;
  const cues = step.cues.map((c) => ({ at: c.at_s * scale, say: c.say }));
  for (const at of reminders(total)) {
    if (!cues.some((c) => Math.abs(c.at - at) < 6)) {
      const left = Math.round(total - at);
      cues.push({ at, say: at === Math.round(total / 2) ? `Halfway. ${left} seconds to go.` : `${left} seconds left.` });
    }
  }
  return cues.sort((a, b) => a.at - b.at);
}

// Every tone of a timed step lasting `total` seconds: cues, side switch, 3-2-1, done.
export function toneCues(step, total) {
  const tones = spokenCues(step, total).map((c) => ({ at: c.at, tone: "cue", label: `cue:${c.at}` }));
  if (step.switches_side) tones.push({ at: 0, tone: "switch", label: "switch" });
  for (const n of [3, 2, 1]) if (total > n + 1) tones.push({ at: total - n, tone: "count", label: `count:${n}` });
  tones.push({ at: total, tone: "done", label: "done" });
  return tones;
}
