"""Terminal prompts re-ask on bad answers instead of crashing."""

import pytest

from sirelief.cli import main
from sirelief.cli.checkin_prompts import ask_distance, ask_rating


def answers(monkeypatch: pytest.MonkeyPatch, *typed: str) -> None:
    queue = list(typed)
    monkeypatch.setattr("builtins.input", lambda _prompt: queue.pop(0))


def test_distance_re_asks_until_it_is_centimetres(monkeypatch, capsys) -> None:
    answers(monkeypatch, "far", "-3", "40", "8,5")
    assert ask_distance("Knee-to-wall, left side (cm)") == 8.5
    assert capsys.readouterr().out.count("Please type centimetres") == 3


def test_rating_re_asks_until_0_to_10(monkeypatch, capsys) -> None:
    answers(monkeypatch, "11", "seven", "7")
    assert ask_rating("Pain now") == 7
    assert capsys.readouterr().out.count("whole number from 0 to 10") == 2


def test_session_without_a_terminal_says_what_to_use(settings, capsys) -> None:
    assert main(["session"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "sirelief plan --checkin FILE --json" in err


def test_the_equipment_question_offers_the_persons_own_kit(monkeypatch) -> None:
    """Issue 19: Enter at the equipment question takes the kit from the settings."""
    from sirelief.catalogue.loader import builtin_safety_rules
    from sirelief.cli.checkin_prompts import ask_checkin

    prompts: list[str] = []
    queue = ["3", *["4"] * 6, "", "", "", ""]
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or queue.pop(0))
    checkin = ask_checkin(builtin_safety_rules(), [], ("kettlebell", "strap"))
    assert checkin.equipment == ["kettlebell", "strap"]
    assert any(p.startswith("Equipment at hand") and "[kettlebell, strap]" in p for p in prompts)
