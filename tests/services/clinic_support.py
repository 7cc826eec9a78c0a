"""A clinic installation for the account use-case tests (imported by name; conftest
modules are not)."""

import threading
from collections.abc import Callable, Iterable

from sirelief.services import Services
from sirelief.services.accounts import Accounts

PASSWORD = "correct horse battery"
"""Every account's password in ``make_clinic``."""


def make_clinic(services: Services) -> Accounts:
    """Admin "admin", clinic North with coach cora and client cleo; the accounts use case."""
    services.accounts.setup("Admin", PASSWORD)
    services.accounts.add_clinic("North")
    services.accounts.add_user("coach", "cora", PASSWORD, "North")
    services.accounts.add_user("client", "cleo", PASSWORD, "North")
    return services.accounts


def run_together(calls: Iterable[Callable[[], None]]) -> None:
    """Each call in a thread of its own, all started before any is waited for (a race)."""
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
