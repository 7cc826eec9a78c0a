"""``sirelief session``: a guided session in the terminal, resumable after any crash."""

import sys

import typer
from rich.console import Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from sirelief.cli.checkin_prompts import (
    ask,
    ask_checkin,
    ask_distance,
    ask_morning,
    ask_rating,
    ask_red_flags,
)
from sirelief.cli.commands import command
from sirelief.cli.output import console, fail, handled
from sirelief.cli.planning import read_text, render_stop, review_hint
from sirelief.cli.terminal_io import Voice, big_time, make_clock, single_keys
from sirelief.domain import too_much
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin_reader import screen_first
from sirelief.domain.results import AnkleRow, ankle_results, session_results
from sirelief.domain.safety import StopDecision
from sirelief.domain.session import Event, due_completions
from sirelief.domain.vocabulary import label
from sirelief.services import Services
from sirelief.services.safety_care import SafetyCare
from sirelief.services.sessions import RunningSession, Sessions, new_event_id

PHASE_WORDS = {"get_ready": "GET READY", "work": "WORK", "switch_side": "SWITCH SIDE",
               "rest": "REST", "assessment": "CHECK", "too_much": "STOPPED", "paused": "PAUSED",
               "done": "DONE"}  # fmt: skip
KEYS = "[Enter] done  [space] {space}  [n] skip  [b] back  [x] {x}  [c] cues  [q] quit"
SYMPTOM_KEYS = {str(number): symptom for number, symptom in enumerate(too_much.OFFERED_SYMPTOMS, 1)}
CHOICE_KEYS = {"gentler": "g", "skip": "s", "end": "e"}


@command("session")
def session(
    context: typer.Context,
    routine_id: str | None = typer.Argument(
        None, metavar="[ROUTINE]", help="A routine id; omitted: by context."
    ),
    resume: bool = typer.Option(False, "--resume", help="Resume the unfinished session."),
    checkin: str | None = typer.Option(
        None, "--checkin", help="Check-in JSON file instead of questions."
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed for random choices; omitted: a new one when randomised."
    ),
    quiet: bool = typer.Option(
        False, "--quiet", help="Bell only, no spoken cues (as 'sirelief settings set voice off')."
    ),
    randomise: bool | None = typer.Option(
        None,
        "--randomise-first-side/--fixed-first-side",
        help="Pick the first side at random (fairer test); default: your setting.",
    ),
) -> None:
    """Run a guided session: check-in, timer with cues, reassessments, results.

    Example: sirelief session kettlebell-smash-reset
    """
    services: Services = context.obj
    if not sys.stdin.isatty():
        raise fail(
            "sirelief session needs an interactive terminal; for scripts use "
            "sirelief plan --checkin FILE --json"
        )
    sessions = services.sessions
    with handled():
        speaks = services.preferences.current().voice  # sirelief settings set voice off
        if resume:
            running = sessions.latest_unfinished()
        else:
            if checkin:
                text = read_text(checkin)
                stop = sessions.planning.prescreen(text)
                if stop is not None:
                    sessions.record_stop(stop)
                    render_stop(stop)
                    raise typer.Exit(4)
                answers = sessions.planning.read_checkin(text)
            else:
                ask_morning_if_due(sessions)
                rules = sessions.planning.safety
                flags = ask_red_flags(rules, services.safety.questions())
                stop = screen_first(flags, rules)
                if stop is not None:
                    sessions.record_stop(stop)
                    render_stop(stop)
                    raise typer.Exit(4)
                kit = services.preferences.current().equipment
                answers = ask_checkin(rules, flags, kit)
            options = sessions.planning.options(seed, randomise)  # your settings, as on the web
            started = sessions.start(answers, routine_id, options)
            if isinstance(started, StopDecision):
                render_stop(started)
                raise typer.Exit(4)
            running = started
    Runner(
        running,
        Voice(speak=not quiet and speaks),
        make_clock(services.settings.clock_speed),
        services.catalogue,
        services.safety,
    ).run(resumed=resume)


def ask_morning_if_due(sessions: Sessions) -> None:
    """Ask how the last session settled before planning: the answer sets today's dose."""
    due = sessions.morning_question_due()
    if due is None:
        return
    answer = ask_morning(due, sessions.clock(), sessions.zone())
    if answer is not None:
        sessions.answer_morning(due.id, answer.settled, answer.pain)
        print("  Saved. It shapes today's dose.\n")


class Runner:
    """The interactive loop: show the state, read keys, record events, announce changes."""

    def __init__(
        self,
        running: RunningSession,
        voice: Voice,
        clock,
        catalogue: Catalogue,
        safety: SafetyCare | None = None,
    ) -> None:
        self.running, self.voice, self.clock, self.catalogue = running, voice, clock, catalogue
        self.safety = safety
        self.out = console()
        self.show_cues = False
        self.announced: tuple[int, str | None] | None = None

    def record(self, kind: str, **fields) -> None:
        self.running.record(Event(id=new_event_id(), at=self.clock(), kind=kind, **fields))

    def run(self, resumed: bool) -> None:
        state = self.running.state
        if resumed:
            self.out.print(
                f"Resuming at step {state.index + 1} of {len(state.plan.steps)}: "
                f"{state.step.title if state.step else 'the end'}."
            )
            self.record("restart")
        else:
            self._show_plan()
            input("Press Enter to start. ")
            self.record("start")
        while self.running.state.ended is None:
            if not self._run_timer():
                self.out.print("Paused and saved. Resume with: sirelief session --resume")
                return
        self._show_results()

    def _show_plan(self) -> None:
        plan = self.running.plan
        self.out.print(
            Text(f"{plan.routine_name}: about {round(plan.total_s / 60)} min", style="bold")
        )
        for reason in plan.reasons:
            self.out.print(f" - {reason}")
        pending = (
            self.safety.pending_reviews(self.running.plan.reasons, self.running.created_at)
            if self.safety
            else []
        )
        if pending:
            self.out.print(review_hint(pending))
        self.out.print(
            Text(
                "sirelief coaches; it does not replace a clinician. Stop at any "
                "sharp pain, numbness or tingling.",
                style="dim",
            )
        )

    def _run_timer(self) -> bool:
        """Run until an assessment or "too much" needs typed answers; False on quit."""
        with single_keys() as read_key, Live(self._view(), console=self.out,
                                             auto_refresh=False) as live:  # fmt: skip
            while True:
                state = self.running.state
                for event in due_completions(state, self.clock(), new_event_id):
                    self.running.record(event)
                state = self.running.state
                if state.ended is not None or (
                    state.step and state.step.kind == "assessment" and state.phase != "paused"
                ):
                    break
                self._announce()
                live.update(self._view(), refresh=True)
                key = read_key(0.1)
                if key == "q":
                    self.record("pause")
                    return False
                if key == "x" and state.step and state.step.kind != "assessment":
                    break
                self._handle(key)
        state = self.running.state
        if state.ended is None and state.step and state.step.kind == "assessment":
            self._assess()
        elif state.ended is None and state.step and too_much.offers_too_much(state.step.kind):
            self._too_much()
        elif state.ended is None:
            self._between()
        return True

    def _handle(self, key: str | None) -> None:
        state = self.running.state
        if key == " ":
            self.record("resume" if state.paused_at is not None else "pause")
        elif key == "\n":
            self.record("complete", step=state.index)
        elif key == "n":
            self.record("skip", step=state.index)
        elif key == "b":
            self.record("back", step=state.index)
        elif key == "c":
            self.show_cues = not self.show_cues

    def _announce(self) -> None:
        state = self.running.state
        step = state.step
        if step is None:
            return
        cue = state.current_cue(self.clock())
        marker = (state.index, cue)
        if marker == self.announced:
            return
        if self.announced is None or self.announced[0] != state.index:
            side = f"{step.side} side. " if step.side in ("left", "right") else ""
            self.voice.say(f"{side}{step.title}" if step.kind != "rest" else "Rest")
        elif cue:
            self.voice.say(cue)
        self.announced = marker

    def _view(self) -> Group:
        state = self.running.state
        step = state.step
        now = self.clock()
        if step is None:
            return Group(Text("Done."))
        total = len(state.plan.steps)
        header = Text(f"{state.plan.routine_name} - step {state.index + 1} of {total}", style="dim")
        phase = Text(PHASE_WORDS[state.phase], style="bold reverse")
        title = Text(step.title, style="bold")
        where = []
        if step.side in ("left", "right"):
            where.append(f"{step.side.upper()} SIDE")
        if step.set and step.sets:
            where.append(f"set {step.set} of {step.sets}")
        if step.reps and step.kind == "exercise":
            counter = Text(
                f"{step.reps} reps, tempo {step.tempo} - press Enter when done", style="bold"
            )
        else:
            counter = Text(big_time(state.remaining_s(now)), style="bold green")
        parts = [header, phase, title, Text("   ".join(where), style="bold cyan"), counter]
        cue = state.current_cue(now)
        if cue:
            parts.append(Text(f"> {cue}", style="yellow"))
        if step.note:
            parts.append(Text(step.note, style="italic"))
        upcoming = state.next_step
        parts.append(Text(f"Next: {upcoming.title}" if upcoming else "Next: results", style="dim"))
        if self.show_cues and step.exercise_id and step.exercise_id in self.catalogue:
            exercise = self.catalogue.exercise(step.exercise_id)
            parts.extend(Text(f" - {line}") for line in (*exercise.cues, *exercise.stop_signs))
        stop = "too much" if too_much.offers_too_much(step.kind) else "end or pause"
        space = "resume" if state.paused_at is not None else "pause"
        parts.append(Text(KEYS.format(space=space, x=stop), style="dim"))
        return Group(*parts)

    def _assess(self) -> None:
        step = self.running.state.step
        point = step.assessment
        self.voice.say(f"{step.title}. Squats, then rate each side.")
        self.out.print(Text(step.title, style="bold"))
        if point.squat_reps:
            self.out.print(
                f"Do {point.squat_reps} slow body-weight squats, then rate how tight "
                "each side feels: 0 = none, 10 = worst imaginable."
            )
        if step.note:
            self.out.print(Text(step.note, style="italic"))
        ratings = {}
        for region in point.ratings:
            left = ask_rating(f"{label(region).capitalize()}, left side")
            right = ask_rating(f"{label(region).capitalize()}, right side")
            ratings[region] = {"left": left, "right": right}
        pain = ask_rating("Pain now (0 = none, 10 = worst imaginable)") if point.pain else None
        knee = None
        if point.knee_to_wall:
            knee = {side: ask_distance(f"Knee-to-wall, {side} side (cm)")
                    for side in ("left", "right")}  # fmt: skip
        self.running.record(Event.model_validate({
            "id": new_event_id(), "at": self.clock(), "kind": "assessment",
            "step": self.running.state.index, "ratings": ratings, "pain": pain,
            "knee_to_wall": knee,
        }))  # fmt: skip

    def _too_much(self) -> None:
        """What was felt decides the ways on (SPEC 5.5); "c" goes back, recording nothing."""
        state = self.running.state
        self.voice.say("What do you feel?")
        menu = ", ".join(
            f"{key} {too_much.SYMPTOM_WORDS[s].lower()}" for key, s in SYMPTOM_KEYS.items()
        )
        key = ask(f"What do you feel? {menu}, or c to cancel and go back", None,
                  choices=(*SYMPTOM_KEYS, "c"))  # fmt: skip
        if key == "c":
            self.out.print("Back to the exercise; nothing was recorded.")
            return
        symptom = SYMPTOM_KEYS[key]
        pain = ask_rating("Pain right now (0 = none, 10 = worst imaginable)")
        self.record("too_much", step=state.index, pain=pain, symptom=symptom)
        said = too_much.advice(too_much.kind_of(symptom))
        style = "bold red" if too_much.kind_of(symptom) == "nerve" else "bold"
        self.out.print(Text(said.heading, style=style))
        for line in said.lines:
            self.out.print(f" {line}")
        if "gentler" in said.choices:
            self.out.print("Gentler means:")
            for line in self._gentler_lines(state.index):
                self.out.print(f" - {line}")
        offered = too_much.choices_for(symptom)
        menu = ", ".join(f"{CHOICE_KEYS[c]} {too_much.CHOICE_WORDS[c].lower()}" for c in offered)
        keys = {CHOICE_KEYS[c]: c for c in offered}
        choice = keys[ask(menu, "e", choices=tuple(keys))]
        self.record("too_much_choice", choice=choice)

    def _gentler_lines(self, index: int) -> tuple[str, ...]:
        step = too_much.worked_step(self.running.plan.steps, index)
        if step is None:
            return ()
        exercise = self.catalogue.exercises.get(step.exercise_id or "")
        easier = [(v.name, v.how) for v in exercise.easier] if exercise else []
        category = exercise.category if exercise else None
        return too_much.gentler_changes(step.duration_s, step.reps, category, easier)

    def _between(self) -> None:
        """On a side switch or transition nothing is being worked: end or pause only."""
        key = ask("Between exercises: p pause, e end the session, r go on", "p",
                  choices=("p", "e", "r"))  # fmt: skip
        if key == "p":
            self.record("pause")
        elif key == "e":
            self.record("end")

    @staticmethod
    def _results_table(rows) -> Table:
        table = Table()
        for header in ("region", "side", "baseline", "mid", "final", "change"):
            table.add_column(header)
        for row in rows:
            change = "" if row.change is None else f"{row.change:+d}"
            table.add_row(
                label(row.region),
                row.side,
                *(str(v) if v is not None else "-" for v in (row.baseline, row.mid, row.final)),
                change,
            )
        return table

    @staticmethod
    def _ankle_table(rows: tuple[AnkleRow, ...]) -> Table:
        table = Table(title="Ankle range: knee-to-wall (more is more range)")
        for header in ("side", "unit", "baseline", "mid", "final", "change"):
            table.add_column(header)
        for row in rows:
            change = "" if row.change is None else f"{row.change:+g}"
            if row.change and row.within_error:
                change += " (within error)"
            values = (row.baseline, row.mid, row.final)
            unit = "cm" if row.unit == "cm" else "degrees"
            table.add_row(row.side, unit, *(f"{v:g}" if v is not None else "-" for v in values),
                          change)  # fmt: skip
        return table

    def _show_results(self) -> None:
        state = self.running.state
        results = session_results(state, self.running.checkin.pain)
        self.voice.say("Session done.")
        self.out.print(Text(f"\nResults - {state.plan.routine_name}", style="bold"))
        if results.rows:
            self.out.print(self._results_table(results.rows))
        elif any(step.kind == "assessment" for step in state.plan.steps):
            self.out.print("No check was recorded, so there is nothing to compare this time.")
        else:
            self.out.print("This routine has no checks, so there is no before-and-after to show.")
        ankle = ankle_results(state)
        if ankle:
            self.out.print(self._ankle_table(ankle))
        for line in results.summary():
            self.out.print(f" - {line}")
        if state.ended == "stopped":
            self.out.print("The session was ended early; what was done is saved.")
        self.out.print(
            Text(
                "sirelief coaches; it does not diagnose and does not replace a clinician.",
                style="dim",
            )
        )
        self.out.print(
            Text(
                f"Saved (session {self.running.session_id[:8]}); see it later with: "
                "sirelief history",
                style="dim",
            )
        )
