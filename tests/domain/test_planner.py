"""The planner: from a routine and a check-in to a timed plan, with a reason for each choice."""

from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sirelief.catalogue.loader import builtin_catalogue, builtin_files, load_routines
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin import CheckIn
from sirelief.domain.monitoring import PastSession
from sirelief.domain.pain_rules import PainRule
from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.planner import (
    CONTEXT_ROUTINES,
    PlanOptions,
    _equip,
    choose_routine,
    plan_session,
    substitute_step,
)
from sirelief.domain.routine import AssessmentStep, ExerciseStep, Routine
from sirelief.domain.vocabulary import EquipmentId, SessionContext, words

# Loaded once at import, for the hypothesis strategies; the tests use the fixture's
# catalogue where they can, which is the same shipped data.
CATALOGUE: Catalogue = builtin_catalogue()
ROUTINES: dict[str, Routine] = {
    r.id: r for r in load_routines(builtin_files("routines"), CATALOGUE)
}
SMASH = "kettlebell-smash-reset"
STRETCHES = "si-joint-stretches"
GENEROUS = 180
ALL_EQUIPMENT = list(words(EquipmentId))
PROGRESS = (PastSession(1, True),)
REPEAT = (PastSession(4, True),)
REGRESS = (PastSession(7, False),)


def checkin(
    left: int = 3,
    right: int = 3,
    minutes: int = GENEROUS,
    equipment: list[str] | None = None,
    **extra: Any,
) -> CheckIn:
    """A check-in whose summed tightness is ``left`` and ``right`` (hip rating only varies)."""
    data: dict[str, Any] = {
        "pain": 3,
        "tightness": {
            "hip": {"left": left, "right": right},
            "hamstrings_adductors": {"left": 0, "right": 0},
            "ankle": {"left": 0, "right": 0},
        },
        "minutes": minutes,
        "equipment": ALL_EQUIPMENT if equipment is None else equipment,
        **extra,
    }
    return CheckIn.model_validate(data)


def plan(
    routine_id: str,
    check: CheckIn,
    seed: int = 0,
    randomise: bool = False,
    history: tuple[PastSession, ...] = (),
) -> Plan:
    return plan_session(
        ROUTINES[routine_id],
        CATALOGUE,
        check,
        PlanOptions(seed=seed, randomise_first_side=randomise),
        history,
    )


def other(side: str) -> str:
    return "right" if side == "left" else "left"


def fmt_minutes(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def block_work(p: Plan, block_id: str) -> list[PlanStep]:
    """The exercise and assessment steps of one block, in order."""
    return [s for s in p.steps if s.block_id == block_id and s.kind in ("exercise", "assessment")]


def routine_assessments(routine: Routine) -> list[str]:
    """The assessment points a routine asks for, in the order they run."""
    points: list[str] = []

    def assess(steps) -> list[str]:
        return [s.assess for s in steps if isinstance(s, AssessmentStep)]

    for block in routine.blocks:
        if block.sides == "tighter_first":
            points += assess(block.steps) + assess(block.between_sides) + assess(block.steps)
        else:
            points += assess(block.steps) + assess(block.between_sides)
    return points


def plan_assessments(p: Plan) -> list[str]:
    return [s.assessment.assess for s in p.steps if s.kind == "assessment" and s.assessment]


def first_set_durations(p: Plan) -> dict[tuple[str, str | None, str | None], int]:
    """Seconds of the first set of each exercise, per block and side."""
    return {
        (s.block_id, s.exercise_id, s.side): s.duration_s
        for s in p.steps
        if s.kind == "exercise" and s.set == 1
    }


def sets_done(p: Plan) -> dict[tuple[str, str | None, str | None], int]:
    counts: dict[tuple[str, str | None, str | None], int] = defaultdict(int)
    for s in p.steps:
        if s.kind == "exercise":
            counts[(s.block_id, s.exercise_id, s.side)] += 1
    return dict(counts)


# --- the first side -------------------------------------------------------------------------


@pytest.mark.parametrize(("left", "right", "first"), [(7, 2, "left"), (1, 6, "right")])
def test_the_tighter_side_goes_first(left: int, right: int, first: str) -> None:
    p = plan(SMASH, checkin(left, right))
    assert p.first_side == first
    work = block_work(p, "smash")
    kinds_sides = [(s.kind, s.side) for s in work]
    mid = kinds_sides.index(("assessment", None))
    before, after = work[:mid], work[mid + 1 :]
    assert before
    assert after
    assert all(s.kind == "exercise" and s.side == first for s in before)
    assert all(s.kind == "exercise" and s.side == other(first) for s in after)
    assert work[mid].assessment is not None
    assert work[mid].assessment.assess == "mid"
    # the same smashes, in the same order, on each side
    assert [s.exercise_id for s in before] == [s.exercise_id for s in after]
    assert [s.exercise_id for s in before] == [
        "kb-hip-flexor-smash",
        "kb-adductor-smash",
        "kb-calf-smash",
    ]
    assert any(f"{first} side feels tighter" in r for r in p.reasons)


def test_tighter_side_is_found_from_the_sum_of_all_regions() -> None:
    data = {
        "pain": 2,
        "tightness": {
            "hip": {"left": 9, "right": 2},
            "hamstrings_adductors": {"left": 0, "right": 5},
            "ankle": {"left": 0, "right": 5},
        },
        "minutes": GENEROUS,
        "equipment": ["kettlebell"],
    }
    assert plan(SMASH, CheckIn.model_validate(data)).first_side == "right"  # 9 < 12


@pytest.mark.parametrize("pain_side", ["left", "right"])
def test_a_tie_goes_to_the_painful_side(pain_side: str) -> None:
    for seed in range(5):
        p = plan(SMASH, checkin(4, 4, pain_side=pain_side), seed=seed)
        assert p.first_side == pain_side
        assert any("where the pain is" in r for r in p.reasons)
        assert block_work(p, "smash")[0].side == pain_side


def test_a_tie_without_a_painful_side_is_random_but_fixed_by_the_seed() -> None:
    sides = {}
    for seed in range(20):
        p = plan(SMASH, checkin(4, 4), seed=seed)
        assert p.first_side in ("left", "right")
        assert p == plan(SMASH, checkin(4, 4), seed=seed)
        assert any("random" in r and f"seed {seed}" in r for r in p.reasons)
        assert block_work(p, "smash")[0].side == p.first_side
        sides[seed] = p.first_side
    assert set(sides.values()) == {"left", "right"}


def test_randomise_option_ignores_tightness_and_uses_the_seed() -> None:
    sides = set()
    for seed in range(20):
        p = plan(SMASH, checkin(9, 0, pain_side="left"), seed=seed, randomise=True)
        again = plan(SMASH, checkin(9, 0, pain_side="left"), seed=seed, randomise=True)
        assert p.first_side == again.first_side
        assert any("at random" in r and f"seed {seed}" in r for r in p.reasons)
        assert block_work(p, "smash")[0].side == p.first_side
        sides.add(p.first_side)
    assert sides == {"left", "right"}


def test_routines_without_a_tighter_first_block_have_no_first_side() -> None:
    for routine_id, routine in ROUTINES.items():
        if any(b.sides == "tighter_first" for b in routine.blocks):
            continue
        p = plan(routine_id, checkin(8, 1))
        assert p.first_side is None
        assert not any("feels tighter" in r for r in p.reasons)


# --- property tests -------------------------------------------------------------------------

ratings = st.integers(0, 10)


@st.composite
def checkins(draw: st.DrawFn, max_minutes: int = 90) -> CheckIn:
    def sides() -> dict[str, int]:
        return {"left": draw(ratings), "right": draw(ratings)}

    data: dict[str, Any] = {
        "pain": draw(ratings),
        "tightness": {"hip": sides(), "hamstrings_adductors": sides(), "ankle": sides()},
        "minutes": draw(st.integers(1, max_minutes)),
        "equipment": draw(st.lists(st.sampled_from(ALL_EQUIPMENT), unique=True)),
        "context": draw(st.sampled_from(words(SessionContext))),
        "pain_side": draw(st.sampled_from([None, "left", "right"])),
    }
    return CheckIn.model_validate(data)


histories = st.sampled_from([(), PROGRESS, REPEAT, REGRESS])
options = st.builds(PlanOptions, seed=st.integers(0, 2**32), randomise_first_side=st.booleans())
FAST = settings(deadline=None, max_examples=40)


@FAST
@given(check=checkins(), opts=options, history=histories)
def test_a_plan_that_fits_fits_and_totals_add_up(
    catalogue: Catalogue, check: CheckIn, opts: PlanOptions, history
) -> None:
    for routine in ROUTINES.values():
        p = plan_session(routine, catalogue, check, opts, history)
        assert p.total_s == sum(s.duration_s for s in p.steps)
        assert p.to_json()["total_s"] == sum(s["duration_s"] for s in p.to_json()["steps"])
        assert all(s.duration_s > 0 for s in p.steps)
        for s in p.steps:
            times = [cue.at_s for cue in s.cues]
            assert times == sorted(set(times))
            assert all(0 <= t < s.duration_s for t in times)
        assert p.minutes_available == check.minutes
        if p.fits:
            assert p.total_s <= check.minutes * 60


@FAST
@given(check=checkins(), opts=options, history=histories)
def test_assessments_are_never_dropped(
    catalogue: Catalogue, check: CheckIn, opts: PlanOptions, history
) -> None:
    for routine in ROUTINES.values():
        p = plan_session(routine, catalogue, check, opts, history)
        assert plan_assessments(p) == routine_assessments(routine)


@FAST
@given(check=checkins(), opts=options, history=histories)
def test_the_second_side_is_never_dropped(
    catalogue: Catalogue, check: CheckIn, opts: PlanOptions, history
) -> None:
    for routine in ROUTINES.values():
        p = plan_session(routine, catalogue, check, opts, history)
        for block in routine.blocks:
            if block.sides != "tighter_first":
                continue
            if p.first_side is None:  # no one-sided work possible: nothing to compare
                assert not any(s.block_id == block.id and s.kind == "exercise" and
                               s.side != "both" for s in p.steps)  # fmt: skip
                continue
            done: dict[str, list[str | None]] = defaultdict(list)
            for s in p.steps:
                if s.block_id == block.id and s.kind == "exercise" and s.side != "both":
                    done[s.side or "none"].append(s.exercise_id)
            first, second = done[p.first_side], done[other(p.first_side)]
            assert set(done) <= {"left", "right"}
            assert sorted(first) == sorted(second)


@FAST
@given(check=checkins(), opts=options, history=histories)
def test_plans_only_ask_for_equipment_at_hand(
    catalogue: Catalogue, check: CheckIn, opts: PlanOptions, history
) -> None:
    for routine in ROUTINES.values():
        p = plan_session(routine, catalogue, check, opts, history)
        for s in p.steps:
            if s.kind != "exercise" or s.exercise_id is None:
                continue
            # a substitute is planned as itself, so what is planned needs only kit at hand
            needs = catalogue.exercise(s.exercise_id).needs
            assert all(check.has(item) for item in needs), (s.exercise_id, needs)


@settings(deadline=None, max_examples=20)
@given(check=checkins(), opts=options, history=histories)
def test_plans_are_deterministic(
    catalogue: Catalogue, check: CheckIn, opts: PlanOptions, history
) -> None:
    for routine in ROUTINES.values():
        first = plan_session(routine, catalogue, check, opts, history)
        again = plan_session(routine, catalogue, check.model_copy(), opts, history)
        assert first == again
        assert first.to_json() == again.to_json()


# --- time -----------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [1, 5, 10])
def test_when_time_cannot_be_met_the_shortest_safe_version_is_named(minutes: int) -> None:
    p = plan(SMASH, checkin(5, 2, minutes=minutes, equipment=["kettlebell"]))
    assert p.fits is False
    assert p.total_s > minutes * 60
    shortest = [r for r in p.reasons if "shortest safe version" in r]
    assert len(shortest) == 1
    assert fmt_minutes(p.total_s) in shortest[0]
    assert f"{minutes} min" in shortest[0]
    # it still keeps every assessment and both sides of the smashes
    assert plan_assessments(p) == ["baseline", "mid", "final"]
    assert {s.side for s in p.steps if s.block_id == "smash" and s.kind == "exercise"} == {
        "left",
        "right",
    }
    assert not any(r.startswith("Planned for") for r in p.reasons)


def test_the_shortest_safe_version_is_what_fits_in_its_own_time() -> None:
    short = plan(SMASH, checkin(5, 2, minutes=5, equipment=["kettlebell"]))
    just_enough = -(-short.total_s // 60)
    fitting = plan(SMASH, checkin(5, 2, minutes=just_enough, equipment=["kettlebell"]))
    assert fitting.fits
    assert fitting.steps == short.steps


def test_a_tight_budget_gives_lower_doses_than_a_generous_one() -> None:
    generous = plan(STRETCHES, checkin(minutes=GENEROUS))
    shortest_full = plan(STRETCHES, checkin(minutes=GENEROUS), history=REGRESS).total_s
    tight_minutes = -(-shortest_full // 60)  # everything still fits at the shortest doses
    tight = plan(STRETCHES, checkin(minutes=tight_minutes))
    assert generous.fits
    assert tight.fits
    assert tight.total_s < generous.total_s
    assert {s.block_id for s in tight.steps} == {s.block_id for s in generous.steps}
    big, small = first_set_durations(generous), first_set_durations(tight)
    assert big.keys() == small.keys()
    assert all(small[k] <= big[k] for k in big)
    assert any(small[k] < big[k] for k in big)
    big_sets, small_sets = sets_done(generous), sets_done(tight)
    assert all(small_sets[k] <= big_sets[k] for k in big_sets)
    assert any("shortened" in r for r in tight.reasons)
    assert not any("Left out the optional block" in r for r in tight.reasons)


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_optional_blocks_are_dropped_only_after_shrinking(routine_id: str) -> None:
    routine = ROUTINES[routine_id]
    # The whole routine at the bottom of every range: what shrinking alone can reach.
    shortest_full = plan(routine_id, checkin(minutes=GENEROUS), history=REGRESS).total_s
    all_blocks = {b.id for b in routine.blocks}
    for minutes in range(1, 61):
        p = plan(routine_id, checkin(minutes=minutes))
        kept = {s.block_id for s in p.steps}
        dropped = [b for b in routine.blocks if b.id not in kept]
        if minutes * 60 >= shortest_full:
            assert kept == all_blocks, (minutes, dropped)
        for block in dropped:
            if block.optional:
                assert any(f"'{block.title}'" in r and "Left out" in r for r in p.reasons), (
                    minutes,
                    block.id,
                )
                continue
            # A required block goes only when each of its stretches was left out by name.
            for step in block.steps:
                name = CATALOGUE.exercise(step.exercise).name
                assert any(r.startswith("Left out") and name in r for r in p.reasons), (
                    minutes,
                    block.id,
                    name,
                )


def hold_steps(p: Plan) -> list[PlanStep]:
    return [
        s
        for s in p.steps
        if s.kind == "exercise"
        and s.exercise_id
        and CATALOGUE.exercise(s.exercise_id).dose.kind == "hold"
    ]


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_holds_are_never_cut_below_30_s_to_fit_the_time(routine_id: str) -> None:
    """SPEC 5.7: whole stretches go instead of holds too short to do anything."""
    for minutes in (*range(1, 31), 45, 60, 90, 180):
        for history in ((), REGRESS):
            p = plan(routine_id, checkin(6, 2, minutes=minutes), history=history)
            assert all(s.duration_s >= 30 for s in hold_steps(p)), (minutes, history)
            assert all(s.sets >= 1 for s in hold_steps(p))


def test_stretches_for_the_least_tight_regions_are_left_out_first() -> None:
    generous = plan(STRETCHES, checkin(minutes=GENEROUS))
    exercises = {s.exercise_id for s in generous.steps if s.kind == "exercise"}
    tight_hamstrings = {
        "pain": 3,
        "tightness": {
            "hip": {"left": 0, "right": 0},
            "hamstrings_adductors": {"left": 8, "right": 7},
            "ankle": {"left": 0, "right": 0},
        },
        "equipment": ALL_EQUIPMENT,
    }
    kept_by_minutes = []
    for minutes in range(1, 31):
        p = plan(STRETCHES, CheckIn.model_validate({**tight_hamstrings, "minutes": minutes}))
        kept = {s.exercise_id for s in p.steps if s.kind == "exercise"}
        kept_by_minutes.append(kept)
        gone = exercises - kept
        assert any("hamstrings_adductors" in CATALOGUE.exercise(e).rated_regions for e in kept), (
            minutes
        )
        for exercise_id in gone - {"foam-roll"}:
            name = CATALOGUE.exercise(exercise_id).name
            assert any(r.startswith("Left out") and name in r for r in p.reasons), minutes
    # Some budget in that range needs whole stretches left out, and more time keeps more.
    assert any(len(kept) < len(exercises) - 1 for kept in kept_by_minutes)
    sizes = [len(kept) for kept in kept_by_minutes]
    assert sizes == sorted(sizes)


def test_the_last_exercise_is_never_left_out() -> None:
    p = plan(STRETCHES, checkin(minutes=1))
    assert p.fits is False
    assert [s for s in p.steps if s.kind == "exercise"]


def test_optional_blocks_go_in_priority_order() -> None:
    """9 is dropped first, 1 is kept longest: activation (4), ankle prep (3), stretches (2)."""
    order = ["activation", "ankle-prep", "stretch-menu"]
    seen_drops = set()
    for minutes in range(1, 61):
        p = plan(SMASH, checkin(6, 2, minutes=minutes))
        kept = {s.block_id for s in p.steps}
        dropped = [b for b in order if b not in kept]
        assert dropped == order[: len(dropped)], (minutes, dropped)
        seen_drops.add(len(dropped))
    assert seen_drops == {0, 1, 2, 3}


# --- equipment ------------------------------------------------------------------------------


def exercise_steps(p: Plan, exercise_id: str) -> list[PlanStep]:
    return [s for s in p.steps if s.exercise_id == exercise_id and s.kind == "exercise"]


def hamstring_steps(p: Plan) -> list[PlanStep]:
    return exercise_steps(p, "supine-hamstring-strap")


def test_hamstring_strap_without_a_strap_plans_the_towel_stretch_as_itself(
    catalogue: Catalogue,
) -> None:
    p = plan(STRETCHES, checkin(equipment=["towel", "mat"]))
    assert hamstring_steps(p) == []
    steps = exercise_steps(p, "supine-hamstring-towel")
    towel = catalogue.exercise("supine-hamstring-towel")
    assert steps
    assert all(s.title == towel.name for s in steps)
    assert {s.side for s in steps} == {"left", "right"}
    assert not any(s.note and "strap" in s.note.lower() for s in p.steps)
    assert "No strap at hand, so: Lying hamstring stretch with a towel." in p.reasons


def test_hamstring_strap_with_a_strap_needs_no_substitute() -> None:
    p = plan(STRETCHES, checkin(equipment=["strap"]))
    assert hamstring_steps(p)
    assert all(s.note is None for s in hamstring_steps(p))
    assert not any(r.startswith("No strap at hand") for r in p.reasons)


def test_hamstring_strap_without_strap_or_towel_plans_the_hands_version() -> None:
    p = plan(STRETCHES, checkin(equipment=[]))
    assert hamstring_steps(p) == exercise_steps(p, "supine-hamstring-towel") == []
    steps = exercise_steps(p, "supine-hamstring-hands")
    assert steps
    assert all(s.title == "Lying hamstring stretch, hands behind the thigh" for s in steps)
    assert "No strap at hand, so: Lying hamstring stretch, hands behind the thigh." in p.reasons


def test_smashes_without_a_kettlebell_become_foam_roller_releases(catalogue: Catalogue) -> None:
    p = plan(SMASH, checkin(5, 1, equipment=["foam_roller"]))
    smashes = ("kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash")
    assert not any(s.exercise_id in smashes for s in p.steps)
    release = catalogue.exercise("roller-calf-release")
    calf = exercise_steps(p, "roller-calf-release")
    assert {s.side for s in calf} == {"left", "right"}
    assert all(s.title == "Foam-roller calf release" for s in calf)
    # its own timed cues, none of the kettlebell's
    assert [c.say for c in calf[0].cues] == [c.say for c in release.dose.cues]
    assert not any("kettlebell" in (s.title + " ".join(c.say for c in s.cues)).lower()
                   for s in p.steps)  # fmt: skip
    for name in ("Foam-roller hip-flexor release", "Foam-roller inner-thigh release",
                 "Foam-roller calf release"):  # fmt: skip
        assert f"No kettlebell at hand, so: {name}." in p.reasons
    # the side policy and the assessment points are those of the routine
    assert plan_assessments(p) == ["baseline", "mid", "final"]
    assert p.first_side == "left"
    first = [s.side for s in p.steps if s.kind == "exercise" and s.block_id == "smash"]
    assert first[: len(first) // 2] == ["left"] * (len(first) // 2)


def test_a_substitute_keeps_the_routine_dose_within_its_own_range(catalogue: Catalogue) -> None:
    """The routine asks 3 min of each smash; the release's range allows it, so 3 min it is."""
    p = plan(SMASH, checkin(5, 1, equipment=["foam_roller"]))
    hip = exercise_steps(p, "roller-hip-flexor-release")
    assert {s.duration_s for s in hip} == {180}


def test_a_substitute_the_pain_rule_leaves_out_is_not_planned(catalogue: Catalogue) -> None:
    """The substitute's own category counts: a rule without rolling gets no roller release."""
    no_rolling = PainRule("test", "No rolling.", left_out_categories=frozenset({"foam_rolling"}))
    step = ExerciseStep(exercise="kb-hip-flexor-smash", minutes=3)
    reasons: list[str] = []
    smash = catalogue.exercise("kb-hip-flexor-smash")
    kit = checkin(equipment=["foam_roller"])
    assert _equip(smash, step, kit, reasons, catalogue, no_rolling) is None
    assert reasons == [
        "Left out Kettlebell hip flexor smash: it needs a kettlebell, which you do not have "
        "at hand."
    ]
    work = _equip(smash, step, kit, reasons, catalogue, PainRule("test", "Fine."))
    assert work is not None
    assert work.exercise.id == "roller-hip-flexor-release"
    assert work.step.exercise == "roller-hip-flexor-release"
    assert work.step.minutes == 3


def test_a_substitute_step_keeps_numbers_inside_its_ranges(catalogue: Catalogue) -> None:
    towel = catalogue.exercise("supine-hamstring-towel")
    step = ExerciseStep(exercise="supine-hamstring-strap", hold_s=90, sets=1, note="Slowly.")
    moved = substitute_step(step, towel)
    assert (moved.exercise, moved.hold_s, moved.sets, moved.note) == (
        "supine-hamstring-towel",
        towel.dose.hold_s_range[1],
        1,
        "Slowly.",
    )
    timed = ExerciseStep(exercise="supine-hamstring-strap", minutes=2)
    assert substitute_step(timed, towel).minutes is None  # a hold has no minutes


def test_an_exercise_with_no_possible_equipment_is_left_out_with_a_reason() -> None:
    p = plan(SMASH, checkin(5, 1, equipment=["mat", "band"]))
    smashes = ("kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash")
    assert not any(s.exercise_id in smashes for s in p.steps)
    for name in ("Kettlebell hip flexor smash", "Kettlebell adductor smash",
                 "Kettlebell calf smash"):  # fmt: skip
        assert any(r.startswith(f"Left out {name}") and "kettlebell" in r for r in p.reasons)
    # the assessments still run
    assert plan_assessments(p) == ["baseline", "mid", "final"]


# --- choosing a routine ---------------------------------------------------------------------


@pytest.mark.parametrize(("context", "routine_id"), sorted(CONTEXT_ROUTINES.items()))
def test_each_context_has_its_routine(context: str, routine_id: str) -> None:
    chosen, why = choose_routine(checkin(context=context))
    assert chosen == routine_id
    assert chosen in ROUTINES
    assert context in ROUTINES[chosen].contexts
    assert why.strip()


def test_every_context_is_covered() -> None:
    assert set(CONTEXT_ROUTINES) | {"repair"} == set(words(SessionContext))


def test_repair_with_a_kettlebell_is_the_smash_reset() -> None:
    chosen, why = choose_routine(checkin(context="repair", equipment=["kettlebell", "mat"]))
    assert chosen == SMASH
    assert "kettlebell" in why


@pytest.mark.parametrize("equipment", [[], ["mat", "strap"], ["foam_roller"]])
def test_repair_without_a_kettlebell_is_the_stretches(equipment: list[str]) -> None:
    chosen, why = choose_routine(checkin(context="repair", equipment=equipment))
    assert chosen == STRETCHES
    assert "no kettlebell" in why


def test_repair_is_the_default_context() -> None:
    data = {
        "pain": 1,
        "tightness": {
            "hip": {"left": 1, "right": 1},
            "hamstrings_adductors": {"left": 1, "right": 1},
            "ankle": {"left": 1, "right": 1},
        },
        "minutes": 20,
    }
    assert choose_routine(CheckIn.model_validate(data))[0] == STRETCHES


# --- dose decisions from history ------------------------------------------------------------


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_progress_holds_longer_and_regress_shorter_than_repeat(routine_id: str) -> None:
    base = plan(routine_id, checkin(4, 2), history=REPEAT)
    up = plan(routine_id, checkin(4, 2), history=PROGRESS)
    down = plan(routine_id, checkin(4, 2), history=REGRESS)
    assert base.fits
    assert up.fits
    assert down.fits
    durations = first_set_durations(base)
    assert first_set_durations(up).keys() == durations.keys()
    assert first_set_durations(down).keys() == durations.keys()
    for key, seconds in durations.items():
        assert first_set_durations(up)[key] >= seconds, key
        assert first_set_durations(down)[key] <= seconds, key
        assert sets_done(up)[key] >= sets_done(base)[key], key
        assert sets_done(down)[key] <= sets_done(base)[key], key
    # Holds already at 30 s cannot shrink (SPEC 5.7), so a regression may change nothing.
    assert up.total_s > base.total_s >= down.total_s


@pytest.mark.parametrize(
    ("history", "decision", "words_"),
    [
        (PROGRESS, "progress", "progresses"),
        (REPEAT, "repeat", "repeats"),
        (REGRESS, "regress", "low end"),
        ((PastSession(8, True),), "regress", "lighter"),
    ],
)
def test_dose_decision_is_recorded_with_a_reason(
    history: tuple[PastSession, ...], decision: str, words_: str
) -> None:
    p = plan(STRETCHES, checkin(), history=history)
    assert p.dose_decision == decision
    assert p.to_json()["dose_decision"] == decision
    assert any(words_ in r for r in p.reasons)


def test_no_history_means_no_dose_decision() -> None:
    p = plan(STRETCHES, checkin())
    assert p.dose_decision is None
    assert plan(STRETCHES, checkin(), history=(PastSession(9, None),)).dose_decision is None


def test_no_history_is_the_routine_dose_as_written() -> None:
    """Without history the dose is the routine's, the same as a 'repeat' decision."""
    assert plan(STRETCHES, checkin()).steps == plan(STRETCHES, checkin(), history=REPEAT).steps


# --- the JSON contract ----------------------------------------------------------------------

PLAN_KEYS = {"status", "routine", "first_side", "total_s", "reasons", "steps"}
STEP_KEYS = {"kind", "exercise_id", "side", "set", "duration_s", "reps", "cues"}


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_plan_json_has_the_contract_keys(routine_id: str) -> None:
    p = plan(routine_id, checkin(6, 2, minutes=30))
    document = p.to_json()
    assert document.keys() >= PLAN_KEYS
    assert document["status"] == "ok"
    assert document["routine"] == routine_id
    assert document["first_side"] in ("left", "right", None)
    assert document["total_s"] == p.total_s
    assert isinstance(document["reasons"], list)
    assert all(isinstance(r, str) and r for r in document["reasons"])
    assert document["steps"]
    for step in document["steps"]:
        assert step.keys() >= STEP_KEYS
        assert step["kind"] in {"exercise", "assessment", "rest", "transition"}
        assert step["side"] in {"left", "right", "both", None}
        assert step["exercise_id"] is None or isinstance(step["exercise_id"], str)
        assert step["set"] is None or step["set"] >= 1
        assert isinstance(step["duration_s"], int)
        assert step["duration_s"] > 0
        assert step["reps"] is None or step["reps"] >= 1
        assert isinstance(step["cues"], list)
        for cue in step["cues"]:
            assert set(cue) == {"at_s", "say"}
            assert 0 <= cue["at_s"] < step["duration_s"]
        if step["kind"] == "exercise":
            assert step["exercise_id"]
            assert step["set"] is not None
            assert step["side"] is not None


def test_smash_plan_json_marks_first_side_and_assessments() -> None:
    document = plan(SMASH, checkin(2, 7, minutes=60)).to_json()
    assert document["first_side"] == "right"
    assessments = [s for s in document["steps"] if s["kind"] == "assessment"]
    assert [s["assessment"]["assess"] for s in assessments] == ["baseline", "mid", "final"]
    assert all(s["side"] is None for s in assessments)


# --- behaviour that looks wrong (kept as strict xfails: they pass once src is fixed) --------


def test_shortening_reason_reads_well() -> None:
    p = plan(SMASH, checkin(5, 2, minutes=5, equipment=["kettlebell"]))
    shortened = [r for r in p.reasons if "shortened" in r]
    assert shortened
    assert all(r.count("range") == 1 for r in shortened), shortened


def test_a_plan_shrunk_to_fit_does_not_claim_to_progress() -> None:
    written = first_set_durations(plan(STRETCHES, checkin()))
    p = plan(STRETCHES, checkin(minutes=15), history=PROGRESS)
    assert p.fits
    assert any(v < written[k] for k, v in first_set_durations(p).items())  # it shrank
    assert not any("progresses a little" in r for r in p.reasons), p.reasons


@pytest.mark.parametrize("routine_id", ["morning-loosen-up", "before-activity"])
def test_progress_is_a_little(routine_id: str) -> None:
    base = plan(routine_id, checkin(), history=REPEAT)
    up = plan(routine_id, checkin(), history=PROGRESS)
    assert up.total_s <= 1.5 * base.total_s, (base.total_s, up.total_s)


def test_no_side_is_said_to_be_treated_when_nothing_can_be_done() -> None:
    p = plan(SMASH, checkin(5, 1, equipment=[]))
    assert not any(s.block_id == "smash" and s.kind == "exercise" for s in p.steps)
    assert not any("treated first" in r for r in p.reasons), p.reasons


# --- protocol fidelity ----------------------------------------------------------------------


def test_the_smash_reset_starts_with_the_baseline_check() -> None:
    p = plan(SMASH, checkin(5, 2, equipment=ALL_EQUIPMENT))
    assert p.steps[0].kind in {"assessment", "transition"}
    first_real = next(s for s in p.steps if s.kind in {"assessment", "exercise"})
    assert first_real.assessment is not None
    assert first_real.assessment.assess == "baseline"


@settings(deadline=None, max_examples=25)
@given(check=checkins(), history=histories)
def test_an_exercise_is_planned_once_per_session(check: CheckIn, history) -> None:
    for routine in ROUTINES.values():
        p = plan_session(routine, CATALOGUE, check, PlanOptions(), history)
        blocks_of: dict[str, set[str]] = defaultdict(set)
        for s in p.steps:
            if s.kind == "exercise" and s.exercise_id:
                blocks_of[s.exercise_id].add(s.block_id)
        assert all(len(blocks) == 1 for blocks in blocks_of.values()), (routine.id, blocks_of)


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("walk_run_sport", {"banded-side-steps"}),
        ("lifting", {"banded-glute-bridge"}),
        ("deep_knee_bends", set()),  # the assisted squat is already in the ankle preparation
        ("none", set()),
    ],
)
def test_the_activation_follows_the_next_activity(activity: str, expected: set[str]) -> None:
    p = plan(SMASH, checkin(5, 2, next_activity=activity))
    activation = {s.exercise_id for s in p.steps if s.block_id == "activation"}
    assert activation == expected
    assert any(r.startswith("Pick one for your activity") for r in p.reasons)
    if expected:
        stretches = {s.exercise_id for s in p.steps if s.block_id == "stretch-menu"}
        assert not stretches & expected


def test_a_deliberate_repeat_is_kept() -> None:
    routine = Routine.model_validate(
        {
            "id": "twice",
            "version": 1,
            "name": "Twice on purpose",
            "summary": "The same stretch three times, the third on purpose.",
            "blocks": [
                {"id": "first", "title": "First", "steps": [{"exercise": "lower-trunk-rotation"}]},
                {"id": "again", "title": "Again", "steps": [{"exercise": "lower-trunk-rotation"}]},
                {
                    "id": "once-more",
                    "title": "Once more",
                    "steps": [{"exercise": "lower-trunk-rotation", "repeat": True}],
                },
            ],
        }
    )
    p = plan_session(routine, CATALOGUE, checkin())
    assert {s.block_id for s in p.steps if s.kind == "exercise"} == {"first", "once-more"}
    assert any("already in this session" in r for r in p.reasons)
