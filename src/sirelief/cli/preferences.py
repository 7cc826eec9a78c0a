"""``sirelief settings show|set``: the person's own settings, as on the settings page."""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import handled, print_json
from sirelief.domain.preferences import DAY_NAMES, KEYS, Preferences

GROUP = {
    "help": "Your settings: voice, sound, check-in kit, time zone, first side, reminders.",
    "no_args_is_help": True,
}
"""How ``sirelief settings --help`` reads."""
KEY_HELP = "; ".join(f"{key}: {what}" for key, what in KEYS.items())


def _lines(preferences: Preferences, zone: str) -> list[tuple[str, str]]:
    on = {True: "on", False: "off"}
    days = ", ".join(DAY_NAMES[day] for day in preferences.reminder_days) or "none"
    return [
        ("voice", on[preferences.voice]),
        ("voice-name", preferences.voice_name or "(the browser's usual voice)"),
        ("sound", on[preferences.sound]),
        ("equipment", ",".join(preferences.equipment) or "(none)"),
        ("time-zone", preferences.time_zone or f"(this machine's: {zone})"),
        ("randomise-first-side", on[preferences.randomise_first_side]),
        ("reminder-days", days),
        ("reminder-time", preferences.reminder_time.strftime("%H:%M")),
    ]


@command("show")
def show(
    context: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (sirelief.settings.v1)."),
) -> None:
    """Show your settings.

    Example: sirelief settings show --json
    """
    with handled():
        use_case = context.obj.preferences
        preferences = use_case.current()
        zone = use_case.zone_name(preferences)
    if as_json:
        print_json({"format": "sirelief.settings.v1", **preferences.to_json(),
                    "time_zone_used": zone})  # fmt: skip
        return
    for key, value in _lines(preferences, zone):
        print(f"{key:<21} {value}")


@command("set")
def set_setting(
    context: typer.Context,
    key: str = typer.Argument(..., metavar="KEY", help=f"The setting. {KEY_HELP}."),
    value: str = typer.Argument(..., metavar="VALUE", help="Its new value ('' to clear)."),
) -> None:
    """Change one setting.

    Example: sirelief settings set reminder-days mon,wed,fri

    \b
    More:
      sirelief settings set voice off
      sirelief settings set reminder-time 07:30
      sirelief settings set time-zone Europe/London
    """
    with handled():
        use_case = context.obj.preferences
        changed = use_case.set(key, value)
        zone = use_case.zone_name(changed)
    shown = dict(_lines(changed, zone))[key]
    print(f"Saved: {key} is now {shown}.")
