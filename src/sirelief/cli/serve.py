"""``sirelief serve``: the web app on this machine."""

import sys
import threading
import webbrowser

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import fail, handled
from sirelief.services import Services
from sirelief.services.demo import demo_settings, fill_demo
from sirelief.settings import Settings, pass_on
from sirelief.web.secret import SecretError, make_secret_file

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PROXY_ADDRESS = "127.0.0.1"
"""The one address whose X-Forwarded-Proto/For headers ``--proxy-headers`` trusts."""
WORKER_SILENCE_S = 30
"""How long a worker of ``--workers N`` may leave uvicorn's health check unanswered before
it is restarted. Uvicorn's 5 s is shorter than a busy machine takes to start a worker (it
imports all of sirelief first), so workers were killed and restarted over and over."""


@command("serve")
def serve(
    context: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
    allow_network: bool = typer.Option(
        False,
        "--allow-network",
        help="Personal mode only: listen on an address other devices reach, with no sign-in "
        "(clinic mode needs no such flag).",
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Server processes (clinic mode with many people)."
    ),
    proxy_headers: bool = typer.Option(
        False,
        "--proxy-headers",
        help="Behind a TLS reverse proxy on this machine (Caddy, tailscale serve): trust "
        f"its X-Forwarded-Proto and X-Forwarded-For headers, from {PROXY_ADDRESS} only.",
    ),
    send_reminders: bool = typer.Option(
        False,
        "--send-reminders",
        help="Also send the due Web Push reminders every minute, as 'sirelief reminders "
        "send' does from cron (needs the internet; each reminder is sent once, also with "
        "--workers).",
    ),
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Show made-up demo data, kept in its own SQLite database in the demo folder "
        "of your data folder (filled on first use); your own data and any "
        "--database-url are left alone.",
    ),
) -> None:
    """Start the web app at http://127.0.0.1:8000 and open it in your browser.

    Example: sirelief serve --port 8080 --no-browser

    Clinic mode (after sirelief setup), several processes: sirelief serve --workers 4
    --proxy-headers --no-browser

    Behind HTTPS (docs/deploy.md): SIRELIEF_ALLOWED_HOSTS=sirelief.example.org
    sirelief serve --proxy-headers --no-browser
    """
    import uvicorn

    from sirelief.web.app import served_app

    services: Services = context.obj
    with handled():  # the demo's own database is always personal
        clinic_mode = not demo and services.accounts.clinic_mode()
    check_host(host, clinic_mode, allow_network, proxy_headers)
    if demo:
        services = open_demo(services)
    settings = with_host(services.settings, host)
    if send_reminders:
        settings = settings.model_copy(update={"send_reminders": True})
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
    print(f"sirelief is running at {url} (data: {services.data.where()})")
    print("Press Ctrl+C to stop.")
    if not no_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    if workers > 1:
        try:  # made now, before the workers race to make it
            make_secret_file(settings)
        except SecretError as error:
            raise fail(str(error)) from None
        pass_on(settings)  # each worker builds its own app from these (served_app)
        web = f"{served_app.__module__}:{served_app.__name__}"
    else:
        web = served_app(settings)
    try:
        uvicorn.run(
            web,
            factory=workers > 1,
            workers=workers,
            timeout_worker_healthcheck=WORKER_SILENCE_S,
            host=host,
            port=port,
            log_level="warning",
            server_header=False,
            proxy_headers=proxy_headers,
            forwarded_allow_ips=PROXY_ADDRESS if proxy_headers else None,
        )
    except OSError as error:
        raise fail(f"cannot listen on {host}:{port}: {error.strerror}") from None


def check_host(host: str, clinic_mode: bool, allow_network: bool, proxy_headers: bool) -> None:
    """Refuse, or warn about, listening where other devices reach the server."""
    if host in LOOPBACK:
        return
    if not clinic_mode and not allow_network:
        raise fail(
            f"--host {host} would let other devices reach your health data, and a personal "
            "installation has no sign-in; 'sirelief setup' turns on clinic mode with accounts "
            "(see docs/deploy.md), or add --allow-network if you really mean it"
        )
    if not clinic_mode:
        print(
            f"WARNING: listening on {host}: anyone who can reach this address can read "
            "and change your sirelief data. A personal installation has no accounts or "
            "passwords ('sirelief setup' adds them; see docs/deploy.md).",
            file=sys.stderr,
        )
    elif not proxy_headers:
        print(
            f"WARNING: plain HTTP on {host}: passwords and the login cookie travel "
            "unencrypted, readable by anyone on the network. Put a TLS proxy in front and "
            "use --proxy-headers (docs/deploy.md).",
            file=sys.stderr,
        )


def with_host(settings: Settings, host: str) -> Settings:
    """The settings with ``--host`` among the names the app answers to (a page addressed
    to any other name, as after DNS rebinding, is refused)."""
    if host in LOOPBACK or host in ("0.0.0.0", "::"):
        return settings
    names = ",".join([*settings.host_names(), host])
    return settings.model_copy(update={"allowed_hosts": names})


def open_demo(services: Services) -> Services:
    """The demo database beside (never in place of) the person's own, filled on first use."""
    demo = Services(demo_settings(services.settings), services.clock)
    with handled():
        where = demo.data.where()
        if demo.data.is_empty():
            print(f"Writing 12 weeks of made-up demo history to {where} ...", flush=True)
            fill_demo(demo)
    demo.close()
    print(f"Demo mode: this is made-up data, not yours, kept apart from yours in {where}")
    return demo
