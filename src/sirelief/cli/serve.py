"""``sirelief serve``: the web app on this machine."""

import sys
import threading
import webbrowser

import typer

from sirelief.cli.output import fail, handled
from sirelief.services import Services
from sirelief.services.demo import demo_settings, fill_demo
from sirelief.settings import Settings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PROXY_ADDRESS = "127.0.0.1"
"""The one address whose X-Forwarded-Proto/For headers ``--proxy-headers`` trusts."""


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        context: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
        allow_network: bool = typer.Option(
            False, "--allow-network", help="Required to listen on an address other devices reach."
        ),
        proxy_headers: bool = typer.Option(
            False,
            "--proxy-headers",
            help="Behind a TLS reverse proxy on this machine (Caddy, tailscale serve): trust "
            f"its X-Forwarded-Proto and X-Forwarded-For headers, from {PROXY_ADDRESS} only.",
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

        Behind HTTPS (docs/deploy.md): SIRELIEF_ALLOWED_HOSTS=sirelief.example.org
        sirelief serve --proxy-headers --no-browser
        """
        import uvicorn

        from sirelief.web.app import create_app

        services: Services = context.obj
        if host not in LOOPBACK and not allow_network:
            raise fail(
                f"--host {host} would let other devices reach your health data, and sirelief "
                "has no accounts yet; add --allow-network if you really mean it"
            )
        if host not in LOOPBACK:
            print(
                f"WARNING: listening on {host}: anyone who can reach this address can read "
                "and change your sirelief data. There are no accounts or passwords yet.",
                file=sys.stderr,
            )
        if demo:
            services = open_demo(services)
        web = create_app(with_host(services.settings, host))
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
        print(f"sirelief is running at {url} (data: {services.data.where()})")
        print("Press Ctrl+C to stop.")
        if not no_browser:
            threading.Timer(1.0, lambda: webbrowser.open(url)).start()
        try:
            uvicorn.run(
                web,
                host=host,
                port=port,
                log_level="warning",
                server_header=False,
                proxy_headers=proxy_headers,
                forwarded_allow_ips=PROXY_ADDRESS if proxy_headers else None,
            )
        except OSError as error:
            raise fail(f"cannot listen on {host}:{port}: {error.strerror}") from None


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
