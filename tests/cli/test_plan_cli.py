"""``sirelief plan`` and ``sirelief safety flags``: the JSON contract scripts rely on."""

import json
from pathlib import Path

import pytest

from sirelief.catalogue.loader import builtin_files, builtin_safety_rules
from sirelief.cli import main
from sirelief.services import Services
from tests.cli.test_insight_cli import finished_sessions

CHECKIN = {
    "pain": 4,
    "tightness": {"hip": {"left": 3, "right": 7},
                  "hamstrings_adductors": {"left": 2, "right": 5},
                  "ankle": {"left": 4, "right": 6}},
    "red_flags": [], "minutes": 30, "equipment": ["kettlebell", "mat", "strap"],
    "context": "repair",
}  # fmt: skip
ROUTINE_IDS = [s.name.removeprefix("routines/").removesuffix(".yaml")
               for s in builtin_files("routines")]  # fmt: skip
STEP_KEYS = {"kind", "exercise_id", "side", "set", "duration_s", "reps", "cues"}


@pytest.fixture(autouse=True)
def _isolated(settings) -> None:
    """Every test runs against an empty temporary data folder."""


def plan(capsys, tmp_path: Path, checkin: dict, *args: str) -> tuple[int, dict, str]:
    path = tmp_path / "checkin.json"
    path.write_text(json.dumps(checkin))
    status = main(["plan", *args, "--checkin", str(path), "--json"])
    captured = capsys.readouterr()
    return status, (json.loads(captured.out) if captured.out else {}), captured.err


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_plan_json_contract_for_every_builtin(capsys, tmp_path, routine_id) -> None:
    status, document, _ = plan(capsys, tmp_path, CHECKIN, routine_id)
    assert status == 0
    assert document["status"] == "ok"
    assert document["routine"] == routine_id
    assert {"first_side", "total_s", "reasons", "steps"} <= document.keys()
    assert document["first_side"] in {"left", "right", None}
    assert document["reasons"]
    assert all(isinstance(reason, str) for reason in document["reasons"])
    assert document["total_s"] == sum(step["duration_s"] for step in document["steps"])
    for step in document["steps"]:
        assert step.keys() >= STEP_KEYS
        assert step["kind"] in {"exercise", "assessment", "rest", "transition"}
        assert step["side"] in {"left", "right", "both", None}
        assert step["duration_s"] > 0


def test_smash_reset_plan_puts_the_tighter_side_first(capsys, tmp_path) -> None:
    _, document, _ = plan(capsys, tmp_path, CHECKIN, "kettlebell-smash-reset")
    assert document["first_side"] == "right"
    smash_sides = [
        s["side"]
        for s in document["steps"]
        if s["kind"] == "exercise" and s["exercise_id"].startswith("kb-")
    ]
    assert smash_sides == ["right"] * 3 + ["left"] * 3
    points = [s["assessment"]["assess"] for s in document["steps"] if s["kind"] == "assessment"]
    assert points == ["baseline", "mid", "final"]


RULES = builtin_safety_rules()


@pytest.mark.parametrize("flag", [f.id for f in RULES.flags if f.level != "review"])
def test_every_stopping_red_flag_gives_a_stop_at_its_level(capsys, tmp_path, flag) -> None:
    status, document, _ = plan(capsys, tmp_path, {**CHECKIN, "red_flags": [flag]},
                               "kettlebell-smash-reset")  # fmt: skip
    assert status == 4
    assert document["status"] == "stop"
    assert document["urgency"] == document["level"] == RULES.flag(flag).level
    assert document["badge"] == RULES.advice_for(document["urgency"]).badge
    assert "does not replace a clinician" in document["disclaimer"]
    assert document["reasons"]
    assert "steps" not in document


@pytest.mark.parametrize("flag", [f.id for f in RULES.flags if f.pattern == "inflammatory"])
def test_one_inflammatory_feature_plans_a_session(capsys, tmp_path, flag) -> None:
    status, document, _ = plan(capsys, tmp_path, {**CHECKIN, "red_flags": [flag]})
    assert status == 0
    assert document["status"] == "ok"
    assert not any("review" in reason.lower() for reason in document["reasons"])


def test_two_inflammatory_features_plan_a_session_with_review_advice(capsys, tmp_path) -> None:
    flags = ["morning-stiffness", "alternating-buttock-pain"]
    status, document, _ = plan(capsys, tmp_path, {**CHECKIN, "red_flags": flags})
    assert status == 0
    assert document["reasons"][0].startswith(RULES.advice_for("review").badge)


@pytest.mark.parametrize(
    "broken",
    [
        {"red_flags": ["saddle-numbness"]},
        {"red_flags": ["saddle-numbness"], "pain": "lots", "minutes": 0, "colour": "blue"},
        {**CHECKIN, "red_flags": ["saddle-numbness", "dizzy"], "tightness": None},
    ],
)
def test_a_flag_stops_even_when_the_rest_of_the_checkin_is_missing_or_wrong(
    capsys, tmp_path, broken
) -> None:
    status, document, _ = plan(capsys, tmp_path, broken)
    assert status == 4
    assert document["urgency"] == "emergency"


def test_a_review_flag_with_a_broken_checkin_still_names_the_field(capsys, tmp_path) -> None:
    status, _, err = plan(capsys, tmp_path, {"red_flags": ["morning-stiffness"]})
    assert status == 2
    assert "pain" in err


def test_context_picks_the_routine(capsys, tmp_path) -> None:
    _, document, _ = plan(capsys, tmp_path, {**CHECKIN, "context": "morning"})
    assert document["routine"] == "morning-loosen-up"
    assert "morning-loosen-up" in document["reasons"][0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"pain": 11}, "pain: must be at most 10, got 11"),
        ({"tightness": {**CHECKIN["tightness"], "knee": {"left": 1, "right": 1}}},
         "tightness.knee: unknown field 'knee'"),
        ({"equipment": ["kettlebell", "rope"]}, "equipment[1]: must be one of"),
        ({"red_flags": ["dizzy"]}, "red_flags[0]: unknown red flag 'dizzy'"),
        ({"minutes": 0}, "minutes: must be at least 1"),
        ({"colour": "blue"}, "colour: unknown field 'colour'"),
    ],
)  # fmt: skip
def test_bad_checkins_name_the_field(capsys, tmp_path, change, expected) -> None:
    status, document, err = plan(capsys, tmp_path, {**CHECKIN, **change})
    assert status == 2
    assert document == {}
    assert len(err.strip().splitlines()) == 1
    assert expected in err


def test_safety_flags_json(capsys) -> None:
    assert main(["safety", "flags", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "sirelief.flags.v2"
    assert document["levels"] == ["emergency", "same_day", "soon", "review"]
    flags = {flag["id"]: flag for flag in document["flags"]}
    assert set(flags) == {flag.id for flag in RULES.flags}
    assert flags["fever"]["level"] == "same_day"
    assert flags["swollen-calf"]["level"] == "same_day"
    assert flags["saddle-numbness"]["level"] == "emergency"
    assert flags["cancer-history"]["level"] == "soon"
    assert flags["onset-under-40"]["level"] == "review"
    assert all(flag["question"] and flag["why"] for flag in flags.values())
    assert {a["level"] for a in document["advice"]} == set(document["levels"])


@pytest.mark.parametrize("pain", [8, 9, 10])
def test_very_high_pain_plans_the_gentle_day_instead(capsys, tmp_path, pain) -> None:
    status, document, _ = plan(
        capsys, tmp_path, {**CHECKIN, "pain": pain}, "kettlebell-smash-reset"
    )
    assert status == 0
    assert document["routine"] == "gentle-day"
    assert document["reasons"][0].startswith("Kettlebell smash reset is set aside")
    assert any("see a clinician" in r for r in document["reasons"])
    exercises = {s["exercise_id"] for s in document["steps"] if s["kind"] == "exercise"}
    assert exercises == {"relaxed-breathing", "lower-trunk-rotation", "childs-pose-side-reach"}


def test_pain_seven_keeps_the_routine_asked_for(capsys, tmp_path) -> None:
    _, document, _ = plan(capsys, tmp_path, {**CHECKIN, "pain": 7}, "kettlebell-smash-reset")
    assert document["routine"] == "kettlebell-smash-reset"
    assert not [s for s in document["steps"] if (s["exercise_id"] or "").startswith("kb-")]


def test_plan_follows_the_first_side_setting_unless_told(capsys, tmp_path) -> None:
    """Issue 19: the terminal honours "first side at random" as the web check-in does."""
    assert main(["settings", "set", "randomise-first-side", "on"]) == 0
    capsys.readouterr()
    _, document, _ = plan(capsys, tmp_path, CHECKIN, "kettlebell-smash-reset", "--seed", "3")
    assert any("chosen at random" in reason for reason in document["reasons"])
    _, fixed, _ = plan(capsys, tmp_path, CHECKIN, "kettlebell-smash-reset", "--fixed-first-side")
    assert not any("chosen at random" in reason for reason in fixed["reasons"])
    assert fixed["first_side"] == "right"  # the tighter side, as without the setting


def test_at_random_draws_a_new_seed_each_plan_and_the_seed_replays_it(capsys, tmp_path) -> None:
    """Issue 19: "first side at random" with one fixed seed put the same side first every
    session (web and terminal alike); now each plan draws its seed, shown in the plan."""
    assert main(["settings", "set", "randomise-first-side", "on"]) == 0
    capsys.readouterr()
    plans = [plan(capsys, tmp_path, CHECKIN, "kettlebell-smash-reset")[1] for _ in range(8)]
    seeds = {document["seed"] for document in plans}
    assert len(seeds) > 1
    first = plans[0]
    _, again, _ = plan(capsys, tmp_path, CHECKIN, "kettlebell-smash-reset", "--seed",
                       str(first["seed"]))  # fmt: skip
    assert (again["first_side"], again["reasons"]) == (first["first_side"], first["reasons"])


def test_plan_is_the_plan_a_session_would_start_with_its_history(
    capsys, tmp_path, settings
) -> None:
    """``sirelief plan`` goes through the use case that starts a session (web or terminal),
    so last session's morning answer sets the dose here too."""
    finished_sessions(settings, (1,))
    assert main(["morning", "--settled", "no", "--pain", "6"]) == 0
    capsys.readouterr()
    _, document, _ = plan(capsys, tmp_path, CHECKIN, "kettlebell-smash-reset")
    assert document["dose_decision"] == "regress"
    assert any("had not settled by the next morning" in reason for reason in document["reasons"])
    library = Services(settings)
    try:
        answers = library.planning.read_checkin(json.dumps(CHECKIN))
        options = library.planning.options()
        started = library.sessions.start(answers, "kettlebell-smash-reset", options)
    finally:
        library.close()
    assert started.plan.to_json() == document


def test_plan_uses_my_kit_when_the_checkin_names_none(capsys, tmp_path) -> None:
    """A check-in without "equipment" starts from the kit in the person's settings."""
    bare = {key: value for key, value in CHECKIN.items() if key != "equipment"}
    _, before, _ = plan(capsys, tmp_path, bare, "kettlebell-smash-reset")
    assert main(["settings", "set", "equipment", "kettlebell,mat,strap"]) == 0
    capsys.readouterr()
    _, after, _ = plan(capsys, tmp_path, bare, "kettlebell-smash-reset")
    _, told, _ = plan(capsys, tmp_path, CHECKIN, "kettlebell-smash-reset")
    assert after["steps"] == told["steps"]
    assert before["steps"] != after["steps"]
