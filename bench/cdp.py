"""A small Chrome DevTools Protocol client for a Chromium we start ourselves.

Playwright deliberately keeps every page it drives "visible and active", so it cannot show
what a background tab does to a timer. Here Chromium runs as a person's browser would, and
tabs are opened and brought forward through its own /json endpoints, so a tab behind
another is really hidden (and throttled).
"""

import itertools
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

import websocket
from support import CHROMIUM, CHROMIUM_ARGS, free_port


class ProtocolError(RuntimeError):
    pass


@dataclass
class Tab:
    """One page target, with its own websocket."""

    target_id: str
    socket: websocket.WebSocket
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def send(self, method: str, **params) -> dict:
        call_id = next(self.ids)
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise ProtocolError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str, await_promise: bool = False):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True,
            awaitPromise=await_promise,
        )  # fmt: skip
        if "exceptionDetails" in result:
            raise ProtocolError(f"page error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        self.socket.close()


class Browser:
    """Chromium with a fresh profile, driven over its debugging port."""

    def __init__(self, headless: bool = True, extra_args: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.profile = tempfile.TemporaryDirectory(prefix="sirelief-bench-chromium-")
        args = [
            str(CHROMIUM), *CHROMIUM_ARGS, f"--remote-debugging-port={self.port}",
            f"--user-data-dir={self.profile.name}", "--no-first-run",
            "--no-default-browser-check", "--disable-component-update", "--disable-sync",
            "--autoplay-policy=no-user-gesture-required", "--window-size=1280,800",
            *extra_args,
        ]  # fmt: skip
        if headless:
            args.append("--headless")
        args.append("about:blank")
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
        )
        give_up = time.monotonic() + 30
        while True:
            try:
                self.targets()
                break
            except OSError:
                if time.monotonic() > give_up or self.process.poll() is not None:
                    raise RuntimeError("chromium did not open its debugging port") from None
                time.sleep(0.1)

    def _json(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/json{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read().decode()
        try:
            return json.loads(body)
        except json.JSONDecodeError:
            return body

    def targets(self) -> list[dict]:
        return [t for t in self._json("/list") if t["type"] == "page"]

    def attach(self, target: dict) -> Tab:
        sock = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=120)
        return Tab(target["id"], sock)

    def first_tab(self) -> Tab:
        return self.attach(self.targets()[0])

    def open_in_front(self, url: str = "about:blank") -> str:
        """A new tab in front of the others, as a person opening another tab; its id."""
        return self._json(f"/new?{url}", method="PUT")["id"]

    def activate(self, target_id: str) -> None:
        self._json(f"/activate/{target_id}")

    def quit(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.profile.cleanup()
