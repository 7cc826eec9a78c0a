"""``sirelief serve --send-reminders`` (issue 19 item 3b): the app's own sender sends a due
reminder, keeps going after a failure, and two servers on one database (as the workers
of ``--workers 2`` are) send each reminder once."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time

from starlette.testclient import TestClient

from sirelief.domain.preferences import Preferences
from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.app import create_app
from sirelief.web.reminder_loop import send_every_minute
from tests.clock import MovableClock
from tests.push_service import BrowserKeys, PushService

MONDAY_1800 = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def test_the_loop_goes_on_after_a_failure() -> None:
    calls: list[int] = []

    def send_due() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database is away")

    async def run_three_times() -> None:
        task = asyncio.create_task(send_every_minute(send_due, every_s=0))
        while len(calls) < 3:
            await asyncio.sleep(0)
        task.cancel()

    # in a thread of its own: a browser test before this one may leave its event loop here
    with ThreadPoolExecutor(1) as apart:
        apart.submit(lambda: asyncio.run(run_three_times())).result()
    assert len(calls) >= 3


def test_two_servers_on_one_database_send_the_reminder_once(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, push_allow_http_loopback=True, send_reminders=True)
    setup = Services(settings, MovableClock(MONDAY_1800))
    setup.preferences.save(Preferences(reminder_days=(0,), reminder_time=time(18), time_zone="UTC"))
    runs: list[int] = []
    ran = threading.Condition()

    def counted(sender):
        send_due = sender.send_due

        def run():
            report = send_due()
            with ran:
                runs.append(report.reminders)
                ran.notify_all()
            return report

        return run

    with PushService() as service:
        setup.push_reminders.subscribe(BrowserKeys().subscription(service.endpoint("phone")))
        setup.close()
        apps = [create_app(settings, clock=MovableClock(MONDAY_1800)) for _ in range(2)]
        for app in apps:
            sender = app.state.context.services.reminder_sender
            sender.send_due = counted(sender)  # what the lifespan's loop calls
        with (  # each client runs its app's lifespan, and so its sender
            TestClient(apps[0], base_url="http://127.0.0.1:8000"),
            TestClient(apps[1], base_url="http://127.0.0.1:8000"),
            ran,
        ):
            ran.wait_for(lambda: len(runs) >= 2, timeout=120)
    assert len(runs) >= 2, "both servers' senders ran"
    assert sorted(runs)[-1] == 1, "one of them sent the reminder"
    assert sum(runs) == 1, "and only one"
    assert [p.path for p in service.pushed] == ["/push/phone"]
