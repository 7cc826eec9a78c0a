"""What the builder page draws: each field of the routine document, with its problems.

Every field, step and block gets an anchor named by its path; a problem from the checker
sits on the deepest anchor its path reaches, so "hold_s must be between 5 and 300" shows
under the hold field of that step, and "blocks: at most 30" above the blocks.
"""

from dataclasses import dataclass, field
from typing import Any, get_args

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.problems import Problem
from sirelief.domain.routine import ROUTINE_FORMAT
from sirelief.domain.vocabulary import (
    AssessmentPoint,
    EquipmentId,
    NextActivity,
    RatingRegion,
    SessionContext,
    SidePolicy,
)
from sirelief.web.builder_form import KINDS, Path, name_of, text_of

DOSE_BY_KIND = {
    "hold": ("hold_s", "sets", "rest_s"),
    "timed": ("minutes",),
    "reps": ("reps", "sets", "tempo", "rest_s"),
}
ALL_DOSE = ("hold_s", "sets", "minutes", "reps", "tempo", "rest_s")
LABELS = {
    "format": "Format", "id": "Id", "version": "Version", "name": "Name",
    "summary": "Summary", "author": "Author", "source": "Source", "contexts": "Moments it suits",
    "default_for": "Default for", "default_needs": "Default needs", "title": "Title",
    "purpose": "Purpose", "sides": "Sides", "optional": "Optional",
    "priority": "Priority (1 kept longest)", "exercise": "Exercise", "assess": "Assessment",
    "choose": "Pick how many", "squat_reps": "Slow squats first", "ratings": "Regions to rate",
    "pain": "Ask for pain", "knee_to_wall": "Knee-to-wall distance", "hold_s": "Hold (seconds)",
    "sets": "Sets", "minutes": "Minutes", "reps": "Repetitions", "tempo": "Tempo",
    "rest_s": "Rest between sets (seconds)", "note": "Note for the person",
    "for_activity": "Prepares for", "repeat": "Plan it even if done earlier",
    "at_s": "At (seconds)", "say": "Say",
}  # fmt: skip
TEXTAREAS = frozenset({"summary", "source", "purpose", "note"})
NUMBERS = frozenset({"version", "priority", "choose", "hold_s", "sets", "minutes", "reps",
                     "rest_s", "at_s", "squat_reps"})  # fmt: skip
CHECKBOXES = frozenset({"optional", "knee_to_wall", "repeat"})
SIDE_LABELS = {"both": "both: each side in turn", "tighter_first": "tighter side first",
               "left": "left only", "right": "right only",
               "alternate": "alternate sides set by set"}  # fmt: skip


@dataclass
class Field:
    name: str
    label: str
    widget: str
    value: str = ""
    values: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)
    hint: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(self.name)


@dataclass
class Node:
    """A block, step, cue or menu option: its fields and what sits inside it."""

    name: str
    kind: str = ""
    title: str = ""
    fields: list[Field] = field(default_factory=list)
    children: dict[str, list["Node"]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(self.name)


def anchor(name: str) -> str:
    return "f-" + (name.replace(".", "-") or "top")


@dataclass
class BuilderView:
    top: list[Field]
    blocks: list[Node]
    problems: list[tuple[Problem, str | None]]
    """Every problem, in the checker's order, with the anchor it sits on (None: the file
    as a whole, shown in the summary alone)."""


def build_view(document: dict, problems: list[Problem], catalogue: Catalogue) -> BuilderView:
    anchors: dict[str, Any] = {}
    top = [_field(document, (), key, anchors, catalogue) for key in (
        "id", "version", "name", "summary", "author", "source", "contexts", "format",
        "default_for", "default_needs")]  # fmt: skip
    blocks = [
        _block(block, ("blocks", i), anchors, catalogue)
        for i, block in enumerate(_items(document, "blocks"))
    ]
    anchors["blocks"] = None
    placed = []
    for problem in problems:
        where = None
        for end in range(len(problem.path), 0, -1):
            name = name_of(problem.path[:end])
            if name in anchors:
                where = name
                if anchors[name] is not None:
                    anchors[name].problems.append(problem)
                break
        placed.append((problem, anchor(where) if where else None))
    return BuilderView([f for f in top if f is not None], blocks, placed)


def _items(node: Any, key: str) -> list:
    value = node.get(key) if isinstance(node, dict) else None
    return (
        [item if isinstance(item, dict) else {} for item in value]
        if isinstance(value, list)
        else []
    )


def _block(block: dict, path: Path, anchors: dict, catalogue: Catalogue) -> Node:
    node = Node(name_of(path), "block", str(block.get("title") or "New block"))
    anchors[node.name] = node
    for key in ("id", "title", "purpose", "sides", "optional", "priority"):
        node.fields.append(_field(block, path, key, anchors, catalogue))
    for key in ("steps", "between_sides"):
        anchors[name_of((*path, key))] = node
        node.children[key] = [
            _step(step, (*path, key, i), anchors, catalogue)
            for i, step in enumerate(_items(block, key))
        ]
    return node


def _step(step: dict, path: Path, anchors: dict, catalogue: Catalogue) -> Node:
    kinds = [kind for kind in KINDS if kind in step]
    node = Node(name_of(path), kinds[0] if len(kinds) == 1 else "unknown")
    anchors[node.name] = node
    keys: list[str] = list(kinds)
    if node.kind == "exercise" or "exercise" in kinds:
        keys += [*_dose_keys(step, catalogue), "note", "repeat"]
        if "for_activity" in step:
            keys.append("for_activity")
        exercise_id = step.get("exercise")
        node.title = catalogue.exercise(exercise_id).name if _known(catalogue, exercise_id) else (
            "Exercise")  # fmt: skip
    elif node.kind == "assess":
        keys += ["squat_reps", "ratings", "pain", "knee_to_wall", "note"]
        node.title = f"Assessment: {step.get('assess') or 'choose when'}"
    elif node.kind == "choose":
        keys += ["title", "note"]
        node.title = f"Menu: {step.get('title') or 'pick from options'}"
    else:
        keys += [key for key in step if key not in keys]
        node.title = "Step of no known kind"
    node.fields = [_field(step, path, key, anchors, catalogue) for key in dict.fromkeys(keys)]
    if "cues" in step or (node.kind == "exercise" and _kind_of(step, catalogue) == "timed"):
        anchors[name_of((*path, "cues"))] = node
        node.children["cues"] = [
            _cue(cue, (*path, "cues", i), anchors, catalogue)
            for i, cue in enumerate(_items(step, "cues"))
        ]
    if node.kind == "choose" or "options" in step:
        anchors[name_of((*path, "options"))] = node
        node.children["options"] = [
            _option(option, (*path, "options", i), anchors, catalogue)
            for i, option in enumerate(_items(step, "options"))
        ]
    return node


def _option(option: dict, path: Path, anchors: dict, catalogue: Catalogue) -> Node:
    node = _step({**option, "exercise": option.get("exercise", "")}, path, anchors, catalogue)
    node.kind = "option"
    node.fields.append(_field(option, path, "for_activity", anchors, catalogue))
    node.fields = list({f.name: f for f in node.fields}.values())
    return node


def _cue(cue: dict, path: Path, anchors: dict, catalogue: Catalogue) -> Node:
    node = Node(name_of(path), "cue", "Cue")
    anchors[node.name] = node
    node.fields = [_field(cue, path, key, anchors, catalogue) for key in ("at_s", "say")]
    return node


def _known(catalogue: Catalogue, exercise_id: Any) -> bool:
    return isinstance(exercise_id, str) and exercise_id in catalogue


def _kind_of(step: dict, catalogue: Catalogue) -> str | None:
    exercise_id = step.get("exercise")
    return catalogue.exercise(exercise_id).dose.kind if _known(catalogue, exercise_id) else None


def _dose_keys(step: dict, catalogue: Catalogue) -> list[str]:
    kind = _kind_of(step, catalogue)
    wanted = DOSE_BY_KIND.get(kind or "", ())
    return [key for key in ALL_DOSE if key in wanted or key in step]


def _field(node: dict, path: Path, key: str, anchors: dict, catalogue: Catalogue) -> Field:
    name = name_of((*path, key))
    value = node.get(key)
    shown = "" if key not in node else text_of(value)
    made = Field(name, LABELS.get(key, key), "text", shown)
    anchors[name] = made
    words = _words(key, catalogue)
    if words is not None:
        values = [str(v) for v in value] if isinstance(value, list) else []
        made.widget, made.values = "words", values
        made.choices = words + [(v, v) for v in values if v not in dict(words)]
    elif key in ("sides", "assess", "exercise"):
        made.widget = "select"
        choices = _words(key + "_one", catalogue) or []
        if key == "sides" and not shown:
            choices = [
                ("", "both (the default)"),
                *(c for c in choices if c[0] != "both"),
            ]
        elif shown not in dict(choices):
            choices = [(shown, shown or "Choose…"), *choices]
        made.choices = choices
    elif key in ("pain", "format"):
        made.widget = "select"
        made.choices = (
            [("", "Yes (default)"), ("false", "No"), ("true", "Yes")] if key == "pain"
            else [("", "(left out)"), (ROUTINE_FORMAT, ROUTINE_FORMAT)]
        )  # fmt: skip
        if shown not in dict(made.choices):
            made.choices.append((shown, shown))
    elif key in CHECKBOXES and shown in ("", "true", "false"):
        made.widget = "checkbox"
    elif key in TEXTAREAS:
        made.widget = "textarea"
    elif key in NUMBERS:
        made.widget = "number"
    made.hint = _hint(node, key, catalogue)
    return made


def _words(key: str, catalogue: Catalogue) -> list[tuple[str, str]] | None:
    plain = {
        "contexts": get_args(SessionContext), "default_for": get_args(SessionContext),
        "default_needs": get_args(EquipmentId), "ratings": get_args(RatingRegion),
        "for_activity": get_args(NextActivity),
    }  # fmt: skip
    if key in plain:
        return [(word, word.replace("_", " ")) for word in plain[key]]
    if key == "sides_one":
        return [(word, SIDE_LABELS[word]) for word in get_args(SidePolicy)]
    if key == "assess_one":
        return [(word, word) for word in get_args(AssessmentPoint)]
    if key == "exercise_one":
        return sorted(((e.id, e.name) for e in catalogue.filter()), key=lambda c: c[1])
    return None


def _hint(node: dict, key: str, catalogue: Catalogue) -> str:
    """The exercise's default and usual range beside a dose field, as ``exercises show``
    prints them; a word on the fields whose meaning is not obvious."""
    if key == "exercise" and _known(catalogue, node.get("exercise")):
        exercise = catalogue.exercise(node["exercise"])
        names = [catalogue.exercise(a).name for a in exercise.alternatives if a in catalogue]
        if names:
            return f"Substitutes in the library (offer one with a menu): {', '.join(names)}."
        return ""
    if key in ALL_DOSE and _known(catalogue, node.get("exercise")):
        dose = catalogue.exercise(node["exercise"]).dose
        default = getattr(dose, key, None)
        if default is None:
            return ""
        span = getattr(dose, f"{key}_range", None)
        usual = f"; range {span[0]}-{span[1]}" if span else ""
        return f"Default {default}{usual}. Empty keeps the default."
    return {
        "id": "Lowercase words joined by hyphens, e.g. evening-stretch.",
        "squat_reps": "Empty for 8; write none to rate without squatting.",
        "tempo": "Seconds lowering-pausing-lifting, e.g. 3-1-2.",
        "priority": "Only for optional blocks.",
        "version": "Empty for 1.",
        "ratings": "None ticked: all three.",
        "for_activity": "For a menu option picked by what comes next.",
    }.get(key, "")
