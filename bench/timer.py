"""How close to its moment each cue sounds, in a real browser, in real time.

A 20-minute session (the SI joint stretches, planned from a 20-minute check-in: 60 timed
holds, rests and side switches, hands-free) runs in Debian's Chromium at the real clock
speed. An onset detector on the Web Audio thread notes when each tone really left the
audio output; a MutationObserver notes when the big countdown changed; beside the real
timer a naive one counts `setInterval` ticks, the way many timer apps do. The tab is
visible, then hidden behind another tab for 8 minutes (long enough for Chrome's intensive
throttling of hidden pages, which starts after 5), then visible again. For one minute of
the hidden time the tab is also frozen (CDP Page.setWebLifecycleState), as Chrome does to
background tabs to save power and a phone does to a page behind its lock screen.

Run by hand: make bench-timer   (or, for a short look, .venv/bin/python bench/timer.py
--minutes 10 --hide 1-3 --freeze 2-2.5 --stop-after 4; the figures then say so).
Writes bench/results/timer.json.
"""

import argparse
import http.cookiejar
import json
import re
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cdp import Browser
from support import ensure_chromium, percentile, running_server, summary_ms, write_results

PROBE = (Path(__file__).parent / "timer_probe.js").read_text()
CHECKIN = {
    "pain": "3", "hip_left": "3", "hip_right": "5", "hamstrings_adductors_left": "2",
    "hamstrings_adductors_right": "4", "ankle_left": "2", "ankle_right": "3",
    "context": "repair", "routine": "si-joint-stretches",
}  # fmt: skip
EQUIPMENT = ["mat", "strap", "wall", "foam_roller"]
TIMED = ("transition", "exercise", "rest")
RAW = Path(__file__).resolve().parents[1] / "build" / "bench-timer-probe.json"
"""Everything the probe noted, to analyse again without another 20-minute run."""


def plan_session(url: str, minutes: int) -> str:
    """Check in through the app's own form, as a person would; the session's id."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/checkin").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    fields = [*CHECKIN.items(), ("minutes", str(minutes)), ("csrf_token", token)]
    fields += [("equipment", item) for item in EQUIPMENT]
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url + "/checkin", data=body, headers={"Origin": url})
    with opener.open(request) as response:
        final = response.geturl()
    match = re.search(r"/sessions/([0-9a-f]+)$", final)
    if not match:
        raise SystemExit(f"the check-in did not lead to a plan (ended at {final})")
    return match.group(1)


def expected_tones(steps: list[dict], started_at: float, tone_offsets) -> list[float]:
    """Epoch seconds at which every tone is due, from the plan alone (hands-free steps)."""
    due, begin = [], started_at
    for index, step in enumerate(steps):
        if step["kind"] not in TIMED or step["reps"]:
            break
        due += [begin + offset for offset in tone_offsets[index]]
        begin += step["duration_s"]
    return sorted(due)


def expected_display(steps: list[dict], started_at: float) -> list[tuple[int, float]]:
    """(seconds shown, epoch second it should appear) for every whole second of every step."""
    shown, begin = [], started_at
    for step in steps:
        if step["kind"] not in TIMED or step["reps"]:
            break
        end = begin + step["duration_s"]
        shown += [(left, end - left) for left in range(step["duration_s"], 0, -1)]
        begin = end
    return shown


def hidden_spans(visibility: list, finished: float) -> list[tuple[float, float]]:
    spans, hidden_from = [], None
    for state, at_ms in visibility:
        if state == "hidden" and hidden_from is None:
            hidden_from = at_ms / 1000
        elif state == "visible" and hidden_from is not None:
            spans.append((hidden_from, at_ms / 1000))
            hidden_from = None
    if hidden_from is not None and hidden_from < finished:
        spans.append((hidden_from, finished))
    return spans


def is_hidden(at: float, spans) -> bool:
    return any(start <= at < end for start, end in spans)


def tone_errors(due: list[float], onsets: list[float]) -> tuple[list[float], list[float]]:
    """Each due tone's error (first onset from 0.3 s before it until the next tone's
    window): the errors, and the due times of tones that never sounded."""
    merged = []
    for at in due:  # tones within 50 ms of each other sound as one onset
        if not merged or at - merged[-1] > 0.05:
            merged.append(at)
    errors, missed, cursor = [], [], 0
    for index, at in enumerate(merged):
        window_end = merged[index + 1] - 0.3 if index + 1 < len(merged) else at + 120
        while cursor < len(onsets) and onsets[cursor] < at - 0.3:
            cursor += 1
        if cursor < len(onsets) and onsets[cursor] < window_end:
            errors.append((at, onsets[cursor] - at))
            cursor += 1
        else:
            missed.append(at)
    return errors, missed


def display_errors(expected, changes) -> list[tuple[float, float]]:
    """Each countdown change matched to the same number's nearest due moment."""
    by_value: dict[int, list[float]] = {}
    for left, at in expected:
        by_value.setdefault(left, []).append(at)
    errors = []
    for text, at_ms in changes:
        match = re.fullmatch(r"(\d+):(\d\d)", text.strip())
        if not match:
            continue
        left = int(match.group(1)) * 60 + int(match.group(2))
        candidates = by_value.get(left)
        if candidates:
            at = at_ms / 1000
            due = min(candidates, key=lambda d: abs(d - at))
            errors.append((due, at - due))
    return errors


def split(errors, spans, frozen) -> dict:
    """Errors by what the tab was when the moment was due: visible, hidden, or frozen."""
    views: dict[str, list[float]] = {"visible": [], "hidden": [], "frozen": []}
    for at, error in errors:
        view = "hidden" if is_hidden(at, spans) else "visible"
        views["frozen" if is_hidden(at, frozen) else view].append(error)
    return {view: summary_ms(found) for view, found in views.items() if found or view != "frozen"}


@dataclass(frozen=True)
class Schedule:
    """When, in minutes from Start, the session tab goes behind another and is frozen."""

    hide: tuple[float, float] = (7, 15)
    freeze: tuple[float, float] | None = (12, 13)
    stop_after: float = 1e9


def run(minutes: int, schedule: Schedule) -> dict:
    ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="sirelief-bench-timer-") as folder:
        folder = Path(folder)
        with running_server(folder / "data") as server:
            session = plan_session(server.url, minutes)
            browser = Browser(headless=True)
            try:
                return drive(browser, server.url, session, schedule)
            finally:
                browser.quit()


def drive(browser, url: str, session: str, schedule: Schedule) -> dict:
    tab = browser.first_tab()
    tab.send("Page.enable")
    tab.send("Page.setBypassCSP", enabled=True)  # the probe's worklet is a blob: URL
    tab.send("Page.addScriptToEvaluateOnNewDocument", source=PROBE)
    tab.send("Page.navigate", url=f"{url}/sessions/{session}/run")
    wait_for(tab, "window.sirelief !== undefined")
    steps = tab.evaluate("window.sirelief.state.steps.map(s => ({kind: s.kind,"
                         " duration_s: s.duration_s, reps: s.reps}))")  # fmt: skip
    offsets = tab.evaluate(
        "import('/static/cues.js').then(({toneCues}) => window.sirelief.state.steps.map("
        "s => toneCues(s, s.duration_s).map(c => c.at)))",
        await_promise=True,
    )
    planned_s = sum(s["duration_s"] for s in steps if s["kind"] in TIMED and not s["reps"])
    print(f"session {session}: {len(steps)} steps, {planned_s / 60:.1f} min; pressing Start")
    tab.send("Runtime.evaluate", expression="document.querySelector('#controls button').click()",
             userGesture=True)  # fmt: skip
    wait_for(tab, "window.benchProbe.startedAt !== null")
    started = time.time()
    shown, frozen_at, frozen = "visible", None, []
    while True:
        elapsed_min = (time.time() - started) / 60
        if shown == "visible" and schedule.hide[0] <= elapsed_min < schedule.hide[1]:
            browser.open_in_front()
            shown = "hidden"
            say(elapsed_min, "another tab in front (session tab hidden)")
        freeze = schedule.freeze
        if freeze and frozen_at is None and not frozen and freeze[0] <= elapsed_min < freeze[1]:
            # What Chrome does to a background tab to save power (and a phone to a locked one).
            tab.send("Page.setWebLifecycleState", state="frozen")
            frozen_at = time.time()
            say(elapsed_min, "session tab frozen")
        if frozen_at is not None and elapsed_min >= freeze[1]:
            tab.send("Page.setWebLifecycleState", state="active")
            frozen.append((frozen_at, time.time()))
            frozen_at = None
            say(elapsed_min, "session tab active again")
        if shown == "hidden" and elapsed_min >= schedule.hide[1]:
            browser.activate(tab.target_id)
            shown = "visible again"
            say(elapsed_min, "session tab in front again")
        if frozen_at is None:
            state = tab.evaluate("window.sirelief ? window.sirelief.state.ended : 'left'")
            if state is not None or elapsed_min > min(planned_s / 60 + 3, schedule.stop_after):
                break
        time.sleep(1)
    time.sleep(3)  # the results page loads; the probe saved on pagehide
    raw = tab.evaluate("localStorage.getItem('bench:probe')")
    tab.close()
    RAW.parent.mkdir(parents=True, exist_ok=True)
    RAW.write_text(json.dumps({"steps": steps, "offsets": offsets, "frozen": frozen,
                               "planned_s": planned_s, "probe": json.loads(raw)}))  # fmt: skip
    probe = json.loads(raw)
    measured_s = min(planned_s, (time.time() - started) - 5)
    return analyse(probe, steps, offsets, planned_s, measured_s, frozen)


def say(elapsed_min: float, what: str) -> None:
    print(f"{elapsed_min:5.1f} min: {what}", flush=True)


def wait_for(tab, condition: str, limit_s: float = 60) -> None:
    give_up = time.monotonic() + limit_s
    probe = f"(() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }})()"
    while not tab.evaluate(probe):
        if time.monotonic() > give_up:
            raise SystemExit(f"the page never reached: {condition}")
        time.sleep(0.05)


def naive_heard(ticks, onsets: list[float], finished: float):
    """Each naive tone's error: its beep (the first onset from its tick on) minus its due
    moment; and how many of its beeps were never heard."""
    errors, missed, cursor = [], 0, 0
    for due_ms, tick_ms in sorted(ticks, key=lambda tick: tick[1]):
        due, tick = due_ms / 1000, tick_ms / 1000
        if due > finished:
            continue
        while cursor < len(onsets) and onsets[cursor] < tick - 0.005:
            cursor += 1
        if cursor < len(onsets) and onsets[cursor] < tick + 0.5:
            errors.append((due, onsets[cursor] - due))
        else:
            missed += 1
    return errors, missed


def heard(onsets: list[dict]) -> list[float]:
    """Onsets (audio-thread times) as wall-clock seconds, by each one's output timestamp."""
    return sorted(o["epochAtStamp"] / 1000 + (o["audio"] - o["contextTime"]) for o in onsets)


def analyse(probe: dict, steps, offsets, planned_s: float, measured_s: float, frozen) -> dict:
    started = probe["startedAt"]
    finished = started + measured_s
    spans = hidden_spans(probe["visibility"], finished)
    due = [at for at in expected_tones(steps, started, offsets) if at <= finished]
    onsets = heard(probe["onsets"])
    cue, missed = tone_errors(due, onsets)
    display = display_errors(expected_display(steps, started), probe["display"])
    naive = [(due_ms / 1000, (at_ms - due_ms) / 1000) for due_ms, at_ms in probe["naive"]
             if due_ms / 1000 <= finished]  # fmt: skip
    naive_sound, naive_missed = naive_heard(probe["naive"], heard(probe["naiveOnsets"]), finished)
    late = [error for _, error in cue if error > 0]
    figures = {
        "session_minutes": round(planned_s / 60, 2),
        "measured_minutes": round(measured_s / 60, 2),
        "hidden_minutes": round(sum(end - start for start, end in spans) / 60, 2),
        "frozen_minutes": round(sum(end - start for start, end in frozen) / 60, 2),
        "tones_due": len(due),
        "tones_heard": len(cue),
        "tones_missed": {
            "visible": sum(not is_hidden(a, spans) for a in missed),
            "hidden": sum(is_hidden(a, spans) and not is_hidden(a, frozen) for a in missed),
            "frozen": sum(is_hidden(a, frozen) for a in missed),
        },
        "cue_error": split(cue, spans, frozen),
        "cue_latest_ms": round(max(late) * 1000, 1) if late else 0,
        "display_error": split(display, spans, frozen),
        "naive_cue_error": split(naive_sound, spans, frozen),
        "naive_tones_missed": naive_missed,
        "naive_tick_error": split(naive, spans, frozen),
        "naive_tick_late_at_end_ms": round(naive[-1][1] * 1000, 1) if naive else None,
    }
    ours, theirs = figures["cue_error"], figures["naive_cue_error"]
    for view in ("visible", "hidden", "frozen"):
        mine, naive_view = ours.get(view, {}), theirs.get(view, {})
        if mine.get("n") and naive_view.get("n") and mine["p95_ms"] > 0:
            figures.setdefault("naive_over_ours_p95", {})[view] = round(
                naive_view["p95_ms"] / mine["p95_ms"], 1
            )
    if frozen:  # the same figures up to the first freeze, which the naive timer never recovers
        before = frozen[0][0]
        figures["until_frozen"] = {
            "cue_error": summary_ms([e for at, e in cue if at < before]),
            "naive_cue_error": summary_ms([e for at, e in naive_sound if at < before]),
        }
    if cue:
        figures["cue_error_signed_p50_ms"] = round(percentile([e for _, e in cue], 0.5) * 1000, 2)
    return figures


def minutes_span(text: str) -> tuple[float, float]:
    first, last = (float(part) for part in text.split("-"))
    return first, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=20, help="check-in minutes (10-60)")
    parser.add_argument("--hide", default="7-15", help="minutes from Start the tab is hidden")
    parser.add_argument(
        "--freeze", default="12-13", help="minutes the hidden tab is frozen ('none': never)"
    )
    parser.add_argument(
        "--stop-after", type=float, default=1e9, help="end after this many minutes (a quick look)"
    )
    options = parser.parse_args()
    schedule = Schedule(
        hide=minutes_span(options.hide),
        freeze=None if options.freeze == "none" else minutes_span(options.freeze),
        stop_after=options.stop_after,
    )
    figures = run(options.minutes, schedule)
    print(json.dumps(figures, indent=2))
    command = "make bench-timer"
    if (options.minutes, schedule) != (20, Schedule()):
        command = (f"bench/timer.py --minutes {options.minutes} --hide {options.hide}"
                   f" --freeze {options.freeze} --stop-after {options.stop_after}")  # fmt: skip
    write_results("timer", figures, command)


if __name__ == "__main__":
    main()
