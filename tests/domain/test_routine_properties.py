"""Property tests: any valid routine loads, and survives dump -> load unchanged."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sirelief.catalogue.loader import (
    SourceFile,
    builtin_catalogue,
    check_routine_file,
    dump_routine,
)
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.routine import Routine
from sirelief.domain.vocabulary import SessionContext, words

CATALOGUE: Catalogue = builtin_catalogue()
WORK_IDS = sorted(e.id for e in CATALOGUE.exercises.values() if e.category != "assessment")
slugs = st.from_regex(r"[a-z][a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
words_ = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=8)
punctuation = st.sampled_from(["", ",", ":", " -", "'", ".", "?", " #", " &"])
texts = st.lists(st.tuples(words_, punctuation), min_size=1, max_size=6).map(
    lambda parts: " ".join(word + mark for word, mark in parts)
)


@st.composite
def exercise_steps(draw: st.DrawFn, exercise_id: str | None = None) -> dict[str, Any]:
    exercise_id = exercise_id or draw(st.sampled_from(WORK_IDS))
    kind = CATALOGUE.exercise(exercise_id).dose.kind
    step: dict[str, Any] = {"exercise": exercise_id}
    optional = {
        "hold": {"hold_s": st.integers(5, 300), "sets": st.integers(1, 30),
                 "rest_s": st.integers(0, 600)},
        "reps": {"reps": st.integers(1, 100), "sets": st.integers(1, 30),
                 "tempo": st.from_regex(r"\d-\d-\d", fullmatch=True),
                 "rest_s": st.integers(0, 600)},
        "timed": {},
    }[kind]  # fmt: skip
    for name, values in optional.items():
        if draw(st.booleans()):
            step[name] = draw(values)
    if kind == "timed" and draw(st.booleans()):
        minutes = draw(st.sampled_from([0.5, 1, 1.5, 2, 3, 4, 10]))
        times = draw(st.lists(st.integers(0, int(minutes * 60) - 1), max_size=4, unique=True))
        step["minutes"] = minutes
        step["cues"] = [{"at_s": t, "say": draw(texts)} for t in sorted(times)]
    if draw(st.booleans()):
        step["note"] = draw(texts)
    return step


@st.composite
def choice_steps(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(st.sampled_from(WORK_IDS), min_size=2, max_size=4, unique=True))
    return {
        "choose": draw(st.integers(1, len(ids))),
        "title": draw(texts),
        "options": [draw(exercise_steps(exercise_id)) for exercise_id in ids],
    }


@st.composite
def routines(draw: st.DrawFn) -> dict[str, Any]:
    measured = draw(st.booleans())
    block_ids = draw(st.lists(slugs, min_size=4, max_size=6, unique=True))
    blocks: list[dict[str, Any]] = []
    if measured:
        blocks.append(
            {"id": block_ids.pop(), "title": "Baseline", "steps": [{"assess": "baseline"}]}
        )
    mid_placed = False
    for _ in range(draw(st.integers(1, 2))):
        steps = draw(st.lists(st.one_of(exercise_steps(), choice_steps()), min_size=1, max_size=4))
        block: dict[str, Any] = {"id": block_ids.pop(), "title": draw(texts), "steps": steps}
        block["sides"] = draw(st.sampled_from(["both", "alternate", "tighter_first"]))
        if (
            measured
            and not mid_placed
            and block["sides"] == "tighter_first"
            and draw(st.booleans())
        ):
            block["between_sides"] = [{"assess": "mid", "squat_reps": draw(st.integers(1, 20))}]
            mid_placed = True
        if draw(st.booleans()):
            block["optional"] = True
            if draw(st.booleans()):
                block["priority"] = draw(st.integers(1, 9))
        blocks.append(block)
    if measured:
        blocks.append({"id": block_ids.pop(), "title": "Final", "steps": [{"assess": "final"}]})
    return {
        "id": draw(slugs),
        "version": draw(st.integers(1, 50)),
        "name": draw(texts),
        "summary": draw(texts),
        "contexts": draw(st.lists(st.sampled_from(words(SessionContext)), unique=True)),
        "blocks": blocks,
    }  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines())
def test_valid_routines_load_and_round_trip(data: dict[str, Any]) -> None:
    routine = Routine.model_validate(data)

    text = dump_routine(routine)
    check = check_routine_file(SourceFile("generated.yaml", text), CATALOGUE)

    assert check.ok, "\n".join(map(str, check.problems)) + "\n" + text
    assert check.routine == routine
    assert dump_routine(check.routine) == text


@settings(max_examples=100, deadline=None)
@given(routines())
def test_json_round_trip(data: dict[str, Any]) -> None:
    routine = Routine.model_validate(data)
    again = Routine.model_validate_json(routine.model_dump_json())
    assert again == routine
