"""Issue 19 (ASVS 14.3.1): signing out in clinic mode leaves none of the person's session
data in the browser's storage, and never throws away results silently: while some are
unsent, the page says how many, offers to send them, or to sign out anyway and lose them."""

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.browser.test_clinic_accessibility import PASSWORD, set_up, sign_in
from tests.browser.test_offline import CONTROLLED_JS, PHONE

KEYS_JS = """() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]
  .filter((key) => key.startsWith("sirelief:"))"""
PAGE_CACHES_JS = """async () => (await caches.keys()).filter((name) => name.endsWith("-pages"))"""
OWNER_JS = """() => document.querySelector('meta[name="sirelief-owner"]').content"""
UNSENT_JS = """() => Object.keys(localStorage).filter((key) => key.startsWith("sirelief:outbox:"))
  .reduce((sum, key) => sum + JSON.parse(localStorage.getItem(key)).length, 0)"""


@pytest.fixture
def cleo(start_server, tmp_path, make_guide):
    data_dir = tmp_path / "clinic"
    set_up(data_dir)
    guide = make_guide(server=start_server(data_dir, 60), **PHONE)
    guide.data_dir = data_dir
    sign_in(guide, "cleo")
    guide.page.wait_for_function(CONTROLLED_JS)
    return guide


def events_on_server(data_dir, session_id: str) -> list[str]:
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        cleo = services.accounts.list_users()
        profile = next(user.profile_id for user in cleo if user.user_name == "cleo")
        record = services.for_profile(profile).sessions.record_of(session_id)
        return [event.kind for event in record.events]
    finally:
        services.close()


def test_unsent_results_are_sent_before_sign_out_clears_the_device(cleo, expect) -> None:
    page = cleo.page
    session_id = cleo.plan(routine="si-joint-stretches")  # opens with timed work: Pause
    cleo.start()
    cleo.wait_outbox_empty()
    page.context.set_offline(True)
    cleo.button("Pause").click()
    page.wait_for_function(f"() => ({UNSENT_JS})() > 0")
    unsent = page.evaluate(UNSENT_JS)
    page.get_by_role("button", name="Sign out").click()
    warning = page.get_by_role("alertdialog")
    plural = "result" if unsent == 1 else "results"
    expect(warning.get_by_role("heading")).to_have_text(
        f"{unsent} {plural} not yet saved on sirelief"
    )
    expect(warning).to_contain_text("Stay online a moment")
    expect(warning.get_by_role("button", name="Sign out anyway")).to_be_visible()
    assert page.url.endswith("/run")  # still signed in, nothing cleared
    assert page.evaluate(UNSENT_JS) == unsent
    warning.get_by_role("button", name="Try sending now").click()
    expect(warning.get_by_role("status")).to_contain_text("still not saved")
    page.context.set_offline(False)
    warning.get_by_role("button", name="Try sending now").click()
    page.wait_for_url("**/sign-in")
    assert page.evaluate(KEYS_JS) == []
    assert page.evaluate(PAGE_CACHES_JS) == []  # the session's kept pages are gone
    assert events_on_server(cleo.data_dir, session_id)[-1] == "pause"


def test_signing_out_anyway_discards_them_as_it_said(cleo, expect) -> None:
    """The server cannot take the results (it answers 503): the page says so and signs
    out only when told, clearing what it said it would."""
    page = cleo.page
    page.context.route("**/sessions/*/events", lambda route: route.fulfill(status=503))
    page.evaluate("""() => {
      const owner = document.querySelector('meta[name="sirelief-owner"]').content;
      const lost = JSON.stringify([{id: "a"}, {id: "b"}]);
      localStorage.setItem(`sirelief:outbox:${owner}:s-lost`, lost);
      localStorage.setItem("sirelief:log:s-lost", "[]");
      sessionStorage.setItem("sirelief:draft", "x");
    }""")
    page.get_by_role("button", name="Sign out").click()
    warning = page.get_by_role("alertdialog")
    expect(warning.get_by_role("heading")).to_have_text("2 results not yet saved on sirelief")
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_have_count(0)
    assert len(page.evaluate(KEYS_JS)) == 3  # nothing lost by staying
    page.get_by_role("button", name="Sign out").click()
    discard = page.get_by_role("button", name="Sign out anyway and lose them")
    discard.click()
    page.wait_for_url("**/sign-in")
    assert page.evaluate(KEYS_JS) == []
    assert page.evaluate(PAGE_CACHES_JS) == []


def test_with_nothing_unsent_sign_out_goes_at_once_and_clears_the_log(cleo) -> None:
    page = cleo.page
    cleo.plan(routine="si-joint-stretches")
    cleo.start()
    cleo.button("Pause").click()
    cleo.wait_outbox_empty()
    assert page.evaluate(KEYS_JS)  # the session's own event log is kept while signed in
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert page.evaluate(KEYS_JS) == []


def test_a_later_account_never_sends_or_counts_an_earlier_ones_results(cleo, expect) -> None:
    """Cleo's login ends with results unsent (no sign-out); Dan signs in on the same phone.
    Her results stay filed under her tag: his pages never send them, his sign-out neither
    counts nor tries them, and it leaves nothing of either behind."""
    services = Services(Settings(data_dir=cleo.data_dir, database_url=None))
    try:
        services.accounts.add_user("client", "dan", PASSWORD, clinic="Riverside")
    finally:
        services.close()
    page = cleo.page
    session_id = cleo.plan(routine="si-joint-stretches")
    cleo.start()
    cleo.wait_outbox_empty()
    cleo_owner = page.evaluate(OWNER_JS)
    page.context.set_offline(True)
    cleo.button("Pause").click()
    page.wait_for_function(f"() => ({UNSENT_JS})() > 0")
    tried: list[str] = []
    signed_in_as_dan = False

    def refuse(route) -> None:  # Cleo's events never reach the server in this test
        if signed_in_as_dan:
            tried.append(route.request.url)
        route.abort()

    page.context.route(f"**/sessions/{session_id}/events", refuse)
    page.context.set_offline(False)
    page.context.clear_cookies()  # her login ends without a sign-out (expiry, a new browser)
    sign_in(cleo, "dan")
    signed_in_as_dan = True
    assert page.evaluate(OWNER_JS) not in ("", cleo_owner)
    assert page.evaluate(UNSENT_JS) > 0  # still hers, under her tag
    cleo.goto("/history")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")  # nothing of Dan's unsent: no warning, no wait
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert tried == []
    assert page.evaluate(KEYS_JS) == []
