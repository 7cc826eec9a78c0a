"""Check-in questions asked in the terminal, one validated answer at a time.

The answers go to the same reader as the web form and the JSON check-in
(``domain/checkin_reader.py``), in the vocabulary's order of regions and sides.
"""

from datetime import datetime, tzinfo

from sirelief.domain import checkin_reader as reader
from sirelief.domain.checkin import MINUTES_RANGE, RATING_RANGE, CheckIn
from sirelief.domain.local_time import local
from sirelief.domain.records import MorningAnswer, SessionRecord
from sirelief.domain.safety import SafetyRules
from sirelief.domain.vocabulary import RATED_REGIONS, SIDES, label


def ask(question: str, default: str | None, choices: tuple[str, ...] | None = None) -> str:
    """One answer; ``default`` (None: an answer is needed) is taken on a bare Enter."""
    while True:
        shown = f" [{default}]" if default else ""
        answer = input(f"{question}{shown}: ").strip() or default or ""
        if choices is None or answer in choices:
            return answer
        print(f"  Please answer one of: {', '.join(choices)}")


def ask_rating(question: str) -> int:
    while True:
        value = reader.whole_number(input(f"{question}: ").strip(), *RATING_RANGE)
        if value is not None:
            return value
        print("  Please type a whole number from 0 to 10.")


def ask_distance(question: str) -> float:
    """Knee-to-wall distance in centimetres, 0-25 (the check-in's range)."""
    while True:
        answer = input(f"{question}: ").strip().replace(",", ".")
        try:
            value = float(answer)
        except ValueError:
            value = -1.0
        if 0 <= value <= 25:
            return value
        print("  Please type centimetres from 0 to 25, for example 8.5.")


def ask_number(question: str, default: int, low: int, high: int) -> int:
    while True:
        value = reader.whole_number(
            input(f"{question} [{default}]: ").strip() or str(default), low, high
        )
        if value is not None:
            return value
        print(f"  Please type a whole number from {low} to {high}.")


def ask_red_flags(rules: SafetyRules, questions: dict[str, str] | None = None) -> list[str]:
    """Red flags come first: a stopping "yes" ends the questions, so nothing else is asked.

    ``questions`` rewords a flag (a cleared one is asked as "new or worse since ...").
    """
    questions = questions or {}
    print("First, safety. Does any of these apply to you today?")
    for flag in rules.flags:
        print(f"  - {questions.get(flag.id, flag.question)}")
    flags: list[str] = []
    if ask("Any of them? (y/n)", "n", choices=("y", "n")) == "y":
        flags = [
            flag.id
            for flag in rules.flags
            if ask(questions.get(flag.id, flag.question) + " (y/n)", "n", choices=("y", "n")) == "y"
        ]
        if not flags:
            print("  No single question was answered yes, so no red flag is recorded.")
    return flags


def ask_checkin(
    rules: SafetyRules,
    red_flags: list[str] | None = None,
    kit: tuple[str, ...] = ("mat", "wall", "chair"),
) -> CheckIn:
    """The rest of the check-in, once no red flag stopped the session; the equipment
    question offers ``kit`` (the person's own setting) as its answer on Enter."""
    pain = ask_rating("Pain now (0 = none, 10 = worst imaginable)")
    print("How tight does each area feel? 0 = none, 10 = worst imaginable.")
    tightness = {
        region: {side: ask_rating(f"  {label(region).capitalize()}, {side}") for side in SIDES}
        for region in RATED_REGIONS
    }  # fmt: skip
    minutes = ask_number("Minutes you have", 30, *MINUTES_RANGE)
    known = ", ".join(reader.EQUIPMENT)
    while True:
        chosen = [
            item.strip()
            for item in ask(f"Equipment at hand ({known})", ", ".join(kit) or None).split(",")
            if item.strip()
        ]
        unknown = [item for item in chosen if item not in reader.EQUIPMENT]
        if not unknown:
            break
        print(f"  Unknown: {', '.join(unknown)}")
    context = ask("Moment (" + ", ".join(reader.CONTEXTS) + ")", "repair", choices=reader.CONTEXTS)
    activity = ask(
        "What comes next (" + ", ".join(reader.NEXT_ACTIVITIES) + ")", "none",
        choices=reader.NEXT_ACTIVITIES,
    )  # fmt: skip
    return reader.read_checkin({
        "pain": pain, "tightness": tightness, "red_flags": red_flags or [], "minutes": minutes,
        "equipment": list(dict.fromkeys(chosen)), "context": context,
        "next_activity": activity,
    }, rules)  # fmt: skip


def ask_morning(record: SessionRecord, now: datetime, zone: tzinfo) -> MorningAnswer | None:
    """The next-morning question (SPEC 5), the day said in the person's ``zone``; None
    when the person skips it."""
    when = local(record.created_at, zone).strftime("%a %d %b")
    print(f"Your last session was {record.plan.routine_name} on {when}.")
    answer = ask(
        "Had the pain from it settled by this morning? (y = yes, n = no, s = skip)",
        "s", choices=("y", "n", "s"),
    )  # fmt: skip
    if answer == "s":
        return None
    pain = ask_rating("Pain now (0 = none, 10 = worst imaginable)")
    return MorningAnswer(settled=answer == "y", pain=pain, answered_at=now)
