"""Hypothesis strategies for hostile input: every form, the event API, query strings,
routine files and import files. Shared by the test suite and ``bench/fuzz.py``.

Each strategy mixes values the app must accept with values a person (or an attacker)
might send instead. ``known_bugs=False`` leaves out the inputs that other branches of
issue 14 fix (superscript digits, lone surrogates, non-finite numbers, deep nesting,
huge forms), so the rest can be asserted strictly meanwhile.
"""

import copy
import json
import string
from typing import Any, get_args
from urllib.parse import quote

from hypothesis import strategies as st

from sirelief.catalogue.loader import builtin_safety_rules
from sirelief.domain.findings import FORTIN_ANSWERS, FORTIN_SIDES, RESULTS, SLOT_IDS
from sirelief.domain.too_much import Symptom
from sirelief.domain.vocabulary import EquipmentId, words

NASTY = [
    "", " ", "0", "-1", "10", "11", "180", "181", "007", "1.5", "1e3", "+5", " 5", "5 ",
    "0x1", "NaN", "nan", "inf", "-Infinity", "9" * 40, "\u0661\u0660", "\x00", "\t", "\n", "%00",
    "<script>alert(1)</script>", "<!--<script", "</script>", "'\"", "{{7*7}}", "${x}",
    "../../etc/passwd", "a" * 3000, "\ufeff", "\u202e", "\uff53", "😀", "None", "null", "[]",
    "true", "on", "left", "right", "both", "repair", "yes", "no",
]  # fmt: skip
"""Strings that have broken form handlers somewhere: look-alike numbers, markup, control
characters, long text, words that are valid in another field."""

KNOWN_BUG_STRINGS = ["²", "³", "¹⁰", "①", "৭²"]
"""``str.isdigit()`` is true, ``int()`` fails: issue 14 item 3 (branch http-hardening)."""

RATING_FIELDS = [
    "pain", "hip_left", "hip_right", "hamstrings_adductors_left",
    "hamstrings_adductors_right", "ankle_left", "ankle_right",
]  # fmt: skip
EVENT_KINDS = ["start", "complete", "skip", "back", "pause", "resume", "end", "too_much",
               "too_much_choice", "assessment"]  # fmt: skip
REGIONS = ["hip", "hamstrings_adductors", "ankle"]
SYMPTOMS = list(get_args(Symptom))
"""What "too much" can say was felt: the five offered now and the older "too_intense"."""


def _no_known_bug(text: str) -> bool:
    return not any(c.isdigit() and not c.isdecimal() for c in text)


def hostile_text(known_bugs: bool = False, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text a browser can send (no lone surrogates: a form cannot carry them)."""
    typed = st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size)
    if known_bugs:  # often enough that a few dozen examples meet them
        bugs = st.sampled_from(KNOWN_BUG_STRINGS)
        return st.one_of(bugs, bugs, bugs, st.sampled_from(NASTY), typed)
    typed = typed.filter(_no_known_bug)
    return st.one_of(st.sampled_from(NASTY), typed, st.integers(-20, 300).map(str))


def field_value(valid: st.SearchStrategy, known_bugs: bool) -> st.SearchStrategy:
    """Mostly a valid value, sometimes hostile text, sometimes left out (None)."""
    return st.one_of(valid, valid, hostile_text(known_bugs), st.none())


def _form(fields: dict[str, st.SearchStrategy], known_bugs: bool) -> st.SearchStrategy:
    extra = st.dictionaries(
        st.text(string.ascii_letters + "_[].", min_size=1, max_size=12),
        hostile_text(known_bugs),
        max_size=3,
    )

    def build(values: dict, more: dict) -> dict:
        return {**more, **{k: v for k, v in values.items() if v is not None}}

    return st.builds(build, st.fixed_dictionaries(fields), extra)


def checkin_form(known_bugs: bool = False, routines: list[str] = ()) -> st.SearchStrategy:
    rating = st.integers(0, 10).map(str)
    fields = {name: field_value(rating, known_bugs) for name in RATING_FIELDS}
    fields["minutes"] = field_value(st.integers(1, 180).map(str), known_bugs)
    fields["context"] = field_value(
        st.sampled_from(["repair", "before_activity", "after_activity", "after_sitting"]),
        known_bugs,
    )
    fields["pain_side"] = field_value(st.sampled_from(["", "left", "right", "both"]), known_bugs)
    fields["equipment"] = st.lists(
        st.one_of(st.sampled_from(sorted(words(EquipmentId))), hostile_text(known_bugs)),
        max_size=6,
    )
    fields["red_flags"] = st.lists(hostile_text(known_bugs), max_size=2)
    fields["routine"] = field_value(st.sampled_from(["", *routines]), known_bugs)
    fields["randomise_first_side"] = field_value(st.just("on"), known_bugs)
    fields.update(knee_to_wall_fields(known_bugs))
    return _form(fields, known_bugs)


def knee_to_wall_fields(known_bugs: bool) -> dict[str, st.SearchStrategy]:
    """Distance (0-25 cm) and phone angle (0-60 degrees) per side, each a little past its
    range too, so both the numbers and the messages naming the field are tried."""
    fields = {}
    for side in ("left", "right"):
        fields[f"knee_to_wall_{side}"] = field_value(
            st.floats(0, 26, allow_nan=False).map(lambda x: f"{x:.1f}"), known_bugs
        )
        fields[f"knee_to_wall_deg_{side}"] = field_value(
            st.floats(-1, 61, allow_nan=False).map(lambda x: f"{x:.1f}"), known_bugs
        )
    return fields


def act_form(known_bugs: bool = False) -> st.SearchStrategy:
    """The no-JavaScript session buttons, the assessment form included."""
    rating = st.integers(0, 10).map(str)
    fields = {name: field_value(rating, known_bugs) for name in RATING_FIELDS}
    fields["kind"] = field_value(st.sampled_from(EVENT_KINDS), known_bugs)
    fields["event_id"] = field_value(st.uuids().map(lambda u: u.hex), known_bugs)
    fields["step"] = field_value(st.integers(0, 80).map(str), known_bugs)
    fields.update(knee_to_wall_fields(known_bugs))
    fields["symptom"] = field_value(st.sampled_from(SYMPTOMS), known_bugs)
    fields["choice"] = field_value(st.sampled_from(["gentler", "skip", "end"]), known_bugs)
    return _form(fields, known_bugs)


def morning_form(known_bugs: bool = False) -> st.SearchStrategy:
    fields = {
        "settled": field_value(st.sampled_from(["yes", "no"]), known_bugs),
        "pain": field_value(st.integers(0, 10).map(str), known_bugs),
        "session": hostile_text(known_bugs),
    }
    return _form(fields, known_bugs)


def tour_end_form(known_bugs: bool = False) -> st.SearchStrategy:
    """The first-run tour's Skip and Start buttons (``how``: done or skipped)."""
    return _form({"how": field_value(st.sampled_from(["done", "skipped"]), known_bugs)},
                 known_bugs)  # fmt: skip


REVIEW_FLAGS = [flag.id for flag in builtin_safety_rules().at("review")]
"""The review-level red flags: the only ones a review can be recorded for."""


def review_form(known_bugs: bool = False) -> st.SearchStrategy:
    """'I have had this reviewed' (the plan's button and the reviews page)."""
    day = st.dates().map(lambda d: d.isoformat())
    flag = st.sampled_from([*REVIEW_FLAGS, "weight-loss", "saddle-numbness"])
    fields = {
        "flag": st.lists(st.one_of(flag, hostile_text(known_bugs)), max_size=4),
        "reviewed_on": field_value(day, known_bugs),
        "session": field_value(st.sampled_from(["", "0" * 32]), known_bugs),
    }
    return _form(fields, known_bugs)


def settings_form(known_bugs: bool = False) -> st.SearchStrategy:
    """The settings page: switches, a voice name, kit, a time zone, reminder days and time."""
    switch = field_value(st.sampled_from(["on", "off", ""]), known_bugs)
    zone = st.sampled_from(["", "Europe/London", "America", "America/New_York", "Etc/GMT+5",
                            "UTC", "Europe/", "../etc/passwd", "posixrules"])  # fmt: skip
    days = st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun", "Sunday", "sunday"])
    kit = st.sampled_from(["mat", "wall", "strap", "kettlebell", "band", "foam_roller", "chair"])
    fields = {
        "voice": switch, "sound": switch, "randomise_first_side": switch,
        "voice_name": field_value(st.sampled_from(["", "Daniel", "Google UK English Female"]),
                                  known_bugs),
        "time_zone": field_value(zone, known_bugs),
        "reminder_time": field_value(st.times().map(lambda t: t.strftime("%H:%M")), known_bugs),
        "reminder_days": st.lists(st.one_of(days, hostile_text(known_bugs)), max_size=8),
        "equipment": st.lists(st.one_of(kit, hostile_text(known_bugs)), max_size=8),
    }  # fmt: skip
    return _form(fields, known_bugs)


def note_form(known_bugs: bool = False) -> st.SearchStrategy:
    """A note on a session: words, blank space, invisible characters, far too much."""
    words = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
    long = st.integers(1990, 2100).map(lambda n: "a" * n)
    fields = {"note": st.one_of(words, words, long, hostile_text(known_bugs), st.none())}
    return _form(fields, known_bugs)


def findings_form(known_bugs: bool = False) -> st.SearchStrategy:
    """A clinician's findings: a date (often in the future or far past), an examiner's
    name, a result per test, the Fortin answer and a side."""
    day = st.dates().map(lambda d: d.isoformat())
    result = st.sampled_from([*RESULTS, "Positive", "yes", ""])
    fields = {slot: field_value(result, known_bugs) for slot in SLOT_IDS}
    fields |= {
        "examined_on": field_value(day, known_bugs),
        "examiner": st.one_of(st.none(), hostile_text(known_bugs, max_size=260),
                              st.integers(195, 260).map(lambda n: "D" * n)),
        "fortin": field_value(st.sampled_from([*FORTIN_ANSWERS, "maybe"]), known_bugs),
        "fortin_side": field_value(st.sampled_from([*FORTIN_SIDES, "", "centre"]), known_bugs),
    }  # fmt: skip
    return _form(fields, known_bugs)


# --- JSON ------------------------------------------------------------------------------
def json_values(finite: bool = True) -> st.SearchStrategy:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**70), 2**70),
        st.floats(allow_nan=not finite, allow_infinity=not finite),
        hostile_text(),
    )  # fmt: skip
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(hostile_text(), inner, max_size=4)
        ),
        max_leaves=12,
    )


def event(session_clock: float, known_bugs: bool = False) -> st.SearchStrategy[dict]:
    """One event as the timer sends it, each field sometimes replaced by any JSON value."""
    at = st.one_of(
        st.floats(session_clock - 3600, session_clock + 7200, allow_nan=False),
        st.integers(-(2**40), 2**40),
        st.floats(allow_nan=False, allow_infinity=False),
    )
    if known_bugs:  # "at": Infinity was acknowledged, then the export could not be imported
        at = st.sampled_from([float("inf"), float("-inf"), float("nan")])
    side = st.fixed_dictionaries({"left": st.integers(0, 10), "right": st.integers(0, 10)})
    fields = {
        "id": st.one_of(st.uuids().map(lambda u: u.hex), hostile_text()),
        "at": at,
        "kind": st.sampled_from(EVENT_KINDS),
        "step": st.integers(-2, 80),
        "ratings": st.dictionaries(st.sampled_from(REGIONS), side, max_size=3),
        "pain": st.integers(-1, 11),
        "knee_to_wall": st.fixed_dictionaries(
            {"left": st.floats(0, 25), "right": st.floats(0, 25)}
        ),
        "knee_to_wall_deg": st.fixed_dictionaries(
            {"left": st.floats(-5, 65), "right": st.floats(-5, 65)}
        ),
        "symptom": st.sampled_from([*SYMPTOMS, "other"]),
        "choice": st.sampled_from(["gentler", "skip", "end", "more"]),
    }
    required = {"id", "at", "kind"}

    def build(present: dict, replaced: dict) -> dict:
        return {**present, **replaced}

    optional = st.fixed_dictionaries(
        {k: v for k, v in fields.items() if k in required},
        optional={k: v for k, v in fields.items() if k not in required},
    )
    swaps = st.dictionaries(st.sampled_from(sorted(fields)), json_values(), max_size=1)
    return st.builds(build, optional, st.one_of(st.just({}), st.just({}), swaps))


def event_body(session_clock: float, known_bugs: bool = False) -> st.SearchStrategy[bytes]:
    """The bytes of a POST to the event API: mostly well-formed batches."""
    batch = st.lists(event(session_clock, known_bugs), max_size=6).map(
        lambda events: {"events": events}
    )
    documents = st.one_of(batch, batch, batch, json_values(finite=not known_bugs))
    encoded = documents.map(lambda doc: json.dumps(doc, allow_nan=known_bugs).encode())
    broken = st.one_of(st.binary(max_size=60), hostile_text().map(str.encode))
    return st.one_of(encoded, encoded, encoded, broken)


def deep_json() -> st.SearchStrategy[bytes]:
    """Nesting far past any recursion limit (issue 14 item 3, branch http-hardening)."""
    return st.integers(1_000, 100_000).map(lambda n: b'{"events":' + b"[" * n + b"]" * n + b"}")


def surrogate_ids() -> st.SearchStrategy[bytes]:
    """Event ids with lone surrogates, written as JSON escapes (branch http-hardening)."""
    lone = st.integers(0xD800, 0xDFFF).map(lambda c: f"\\u{c:04x}")
    return lone.map(
        lambda s: ('{"events": [{"id": "ab' + s + 'cdefgh", "at": 1, "kind": "start"}]}').encode()
    )


# --- addresses -------------------------------------------------------------------------
def get_request(known_bugs: bool = False) -> st.SearchStrategy[str]:
    """A page address with hostile query values and path parts."""
    value = hostile_text(known_bugs).map(lambda s: quote(s, safe=""))
    pages = st.sampled_from([
        "/", "/checkin", "/history", "/insights", "/exercises", "/routines",
        "/exercises/gallery", "/exercises/{x}", "/routines/{x}", "/sessions/{x}",
        "/sessions/{x}/run", "/sessions/{x}/results", "/figures/{x}/left/start.svg",
        "/figures/standing-lunge/{x}/{x}.svg", "/static/{x}", "/sign-in",
        "/icons/{x}.png", "/manifest.webmanifest", "/sw.js", "/offline",
        "/settings", "/settings/calendar.ics", "/calendar/{x}.ics", "/welcome", "/welcome/{x}",
        "/routines/{x}/sheet", "/routines/{x}/sheet.pdf", "/routines/gentle-day/sheet.pdf",
    ])  # fmt: skip
    names = st.sampled_from(["region", "weeks", "added", "saved", "routine", "ask", "v",
                             "view", "from", "next", "paper", "version", "x"])  # fmt: skip
    query = st.lists(st.tuples(names, value), max_size=3).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)
    )
    return st.builds(
        lambda page, part, q: page.replace("{x}", part or "x") + (f"?{q}" if q else ""),
        pages,
        value,
        query,
    )


def sheet_query() -> st.SearchStrategy[str]:
    """The query of a printable sheet (issue 18 item 7): ``version`` and ``paper``, right,
    near misses or hostile, repeated or missing."""
    value = st.one_of(
        st.sampled_from(["1", "2", "01", "0", "-1", "999999", "1e3", "a4", "A4", "letter",
                         "legal", ""]),
        hostile_text(),
    ).map(lambda s: quote(s, safe=""))  # fmt: skip
    pairs = st.tuples(st.sampled_from(["version", "paper", "x"]), value)
    return st.lists(pairs, max_size=3).map(lambda ps: "&".join(f"{k}={v}" for k, v in ps))


# --- data files ------------------------------------------------------------------------
def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replace(document: Any, path: tuple, value: Any, delete: bool) -> Any:
    if not path:
        return value
    result = copy.deepcopy(document)
    parent = result
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return result


def mutated(document: Any, values: st.SearchStrategy, max_changes: int = 3):
    """The document with a few places replaced by other values or removed."""
    # Every example starts from its own copy, and a drawn value is copied before it goes in:
    # a value shared between examples (sampled_from's [] or {}) that a later change edited
    # would make the next example's paths differ from Hypothesis's replay of it.
    snapshot = copy.deepcopy(document)
    paths = _paths(snapshot)

    @st.composite
    def build(draw) -> Any:
        result = copy.deepcopy(snapshot)
        for _ in range(draw(st.integers(0, max_changes))):
            here = _paths(result)
            path = draw(st.sampled_from(here if here else paths))
            delete = bool(path) and draw(st.booleans()) and draw(st.booleans())
            result = _replace(result, path, copy.deepcopy(draw(values)), delete)
        return result

    return build()


def routine_value() -> st.SearchStrategy:
    """Values that make a routine file wrong in every way the checker must name."""
    return st.one_of(
        json_values(),
        st.sampled_from([0, -1, 1, 600, 10**9, 1.5, "", "x", "standing-lunge", "left",
                         "baseline", "mid", "post", [], {}, None, True]),
    )  # fmt: skip


def routine_text(routines: list[dict], dump) -> st.SearchStrategy[str]:
    """A routine file: a built-in one mutated, renamed, and sometimes its text cut or spliced.

    Only plain YAML: anchors, aliases and tags (the YAML bombs) belong to branch yaml-limits.
    """
    renamed = st.sampled_from(routines).map(lambda r: {**r, "id": "fuzzed-" + r["id"]})
    documents = renamed.flatmap(lambda r: mutated(r, routine_value()))
    texts = documents.map(dump)

    @st.composite
    def spliced(draw) -> str:
        text = draw(texts)
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 40))
        insert = draw(st.sampled_from(["", ":", "- ", "\t", "  ", "#", "'", '"', "{", "]"]))
        return text[:at] + insert + text[at + cut :]

    safe = st.text(st.characters(exclude_categories=("Cs",)), max_size=200).filter(
        lambda t: "&" not in t and "*" not in t and "!" not in t and "<<" not in t
    )
    return st.one_of(texts, texts, spliced(), safe)


def import_document(export: dict) -> st.SearchStrategy[dict]:
    """A real export with a few records changed, removed or given unexpected values."""
    values = st.one_of(
        json_values(),
        st.sampled_from([0, -1, 11, 10**12, "", "x" * 300, "2026-13-40T99:00:00",
                         "1970-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00",
                         "sideways", "start", [], {}, None]),
    )  # fmt: skip
    return mutated(export, values, max_changes=3)


# --- clinic mode -------------------------------------------------------------------------
OFF_SITE = [
    "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "/\\/evil.example", "https://evil.example/", "http:evil.example", "HTTPS://evil.example",
    "//evil.example/%2e%2e", "/%2F%2Fevil.example", "%2F%2Fevil.example", "/%5Cevil.example",
    " //evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
    "\x00//evil.example", "//evil.example@127.0.0.1", "/@evil.example", "javascript:alert(1)",
    "data:text/html,x", "\uff0f\uff0fevil.example", "/\u3002/evil.example",
    "\u2215\u2215evil.example", "/sign-in?next=//evil.example", "/history#//evil.example",
    "/history", "/sessions/x?y=1", "/", "",
]  # fmt: skip
"""``next`` values that have sent people to another site somewhere, and a few local ones."""


def next_target() -> st.SearchStrategy[str]:
    """Where a sign-in is asked to lead afterwards."""
    spliced = st.tuples(st.sampled_from(OFF_SITE), hostile_text(max_size=12)).map("".join)
    return st.one_of(st.sampled_from(OFF_SITE), st.sampled_from(OFF_SITE), spliced,
                     hostile_text(), st.just("/" + "a" * 3000))  # fmt: skip


VALID_CODE = "<the code the app shows now>"
"""Stands for a right TOTP code: the harness makes it for the user name at the time."""


ODD_USER_NAMES = ["cl\x00eo", "\ufb03" * 64, "\u0390" * 30, "x" * 200, "cleo\u200b", "\u212aa"]
"""A NUL, names that grow when folded ("\ufb03" is "ffi"), past the longest, look-alikes."""


def sign_in_form(
    user_names: list[str], password: str, right: bool = False
) -> st.SearchStrategy[dict]:
    """The sign-in form: real and hostile user names, passwords, codes and ``next``;
    ``right``: a real user name, the password and the code (staff), with a hostile ``next``."""
    names = st.sampled_from([*user_names, *(f" {n.upper()} " for n in user_names), "nobody"])
    if right:
        fields = {"user_name": names.filter(lambda n: n != "nobody"),
                  "password": st.just(password), "next": next_target()}  # fmt: skip
        return _form(fields, known_bugs=False).map(lambda form: {**form, "code": VALID_CODE})
    fields = {
        "user_name": st.one_of(names, names, hostile_text(max_size=80),
                               st.sampled_from(ODD_USER_NAMES), st.lists(names, max_size=2)),
        "password": st.one_of(st.just(password), st.just(password), hostile_text(),
                              st.just("x" * 5000), st.just(password + "\x00")),
        "code": st.one_of(st.just(VALID_CODE), st.sampled_from(["000000", "123 456", "1" * 40]),
                          hostile_text(max_size=20)),
        "next": next_target(),
    }  # fmt: skip
    sometimes_left_out = {name: st.one_of(value, value, value, st.none())
                          for name, value in fields.items()}  # fmt: skip
    return _form(sometimes_left_out, known_bugs=False)


def reset_form(good_password: str) -> st.SearchStrategy[dict]:
    """The password-reset form: a good new password typed twice, or hostile, different,
    very long or missing values."""
    password = st.one_of(st.just(good_password), hostile_text(), st.just("x" * 5000),
                         st.just("password1"), st.just(good_password + "\x00"))  # fmt: skip
    same = password.map(lambda p: {"password": p, "password_again": p})
    fields = {"password": password, "password_again": password}
    sometimes_left_out = {name: st.one_of(value, value, st.none())
                          for name, value in fields.items()}  # fmt: skip
    return st.one_of(same, same, _form(sometimes_left_out, known_bugs=False))


def login_cookie(real_token: str) -> st.SearchStrategy[bytes]:
    """A ``sirelief_login`` value no login has: garbage, very long, non-ASCII, raw bytes,
    and a real token changed by a character."""
    near = [real_token + "x", real_token[:-1], real_token.upper(), f'"{real_token}x"',
            real_token[:-1] + "\u00e9", " " + real_token + "x"]  # fmt: skip
    return st.one_of(
        hostile_text(max_size=80).map(lambda s: s.encode("utf-8")),
        st.binary(max_size=80).filter(lambda b: b";" not in b),
        st.integers(4_000, 200_000).map(lambda n: b"a" * n),
        st.sampled_from(["", "=", '""', "deleted", "null", "\u00e9\u00e8", "😀" * 500,
                         *near]).map(lambda s: s.encode("utf-8")),
    )  # fmt: skip


def object_id(known: list[str]) -> st.SearchStrategy[str]:
    """A path part naming a client or a session: real ones, others' ones, near misses and
    hostile text (never empty: "/templates/" is another address, not an unknown id)."""
    near = [f(known_id) for known_id in known for f in (str.upper, lambda i: i + " ",
            lambda i: i[:-1], lambda i: i + "%00", lambda i: "0" + i)]  # fmt: skip
    return st.one_of(st.sampled_from(known), st.sampled_from(near),
                     hostile_text(max_size=80).filter(bool),
                     st.just("a" * 65), st.just("0" * 32))  # fmt: skip


def assign_form(templates: list[str], known_bugs: bool = False) -> st.SearchStrategy:
    """The assign form on a client's page (issue 18 item 2): a template and version,
    days, a moment, a time and a note, each sometimes hostile, missing or far too long."""
    days = st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    note = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
    fields = {
        "template": field_value(st.sampled_from([*templates, "0" * 32]), known_bugs),
        "version": field_value(st.sampled_from(["", "1", "2", "0", "-1", "9" * 12]), known_bugs),
        "days": st.lists(st.one_of(days, days, hostile_text(known_bugs)), max_size=9),
        "moment": field_value(st.sampled_from(["morning", "midday", "evening", "at"]), known_bugs),
        "time": field_value(st.sampled_from(["07:30", "23:59", "24:00", "7:5", ""]), known_bugs),
        "note": st.one_of(
            note, st.integers(990, 1200).map(lambda n: "a" * n), hostile_text(known_bugs), st.none()
        ),
    }
    return _form(fields, known_bugs)
