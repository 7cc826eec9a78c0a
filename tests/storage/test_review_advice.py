"""Review advice is kept as a fact beside the session (SPEC 5.1: weekly, not daily), on
SQLite and PostgreSQL; migration 0005 backfills it once from the plans' wording."""

from datetime import timedelta

from sqlalchemy import select, update

from sirelief.domain.plan import Plan
from sirelief.services import Services
from sirelief.storage.database import Database
from sirelief.storage.safety_store import SafetyStore
from sirelief.storage.schema import ReviewAdviceRow, SessionRow
from tests.clock import at
from tests.storage import scripted

ADVISED = scripted.CHECKIN.model_copy(update={"red_flags": ["no-better-6-weeks"]})


def start(library: Services, day: float, checkin=ADVISED):
    return at(library.sessions, scripted.START + timedelta(days=day)).start(
        checkin, "kettlebell-smash-reset", scripted.PlanOptions()
    )


def advice_given(plan: Plan) -> bool:
    return any(reason.startswith("Review") for reason in plan.reasons)


def test_advice_is_kept_with_the_session_and_comes_again_after_a_week(library: Services):
    first = start(library, 0)
    assert advice_given(first.plan)
    assert SafetyStore(library.store).advised_since(scripted.START) == [
        (scripted.START, ["no-better-6-weeks"])
    ]
    assert not advice_given(start(library, 6.9).plan)
    assert advice_given(start(library, 7.1).plan)
    assert not advice_given(start(library, 7.2, scripted.CHECKIN).plan)  # not ticked: none


def test_last_advised_comes_from_the_fact_not_the_plans_wording(library: Services):
    start(library, 0)
    with library.database.write() as tx:  # as if the advice had been reworded since
        for row in tx.scalars(select(SessionRow)):
            row.plan = {**row.plan, "reasons": ["In other words."]}
    assert not advice_given(start(library, 3).plan)
    with library.database.write() as tx:
        tx.execute(update(ReviewAdviceRow).values(flag_id="morning-stiffness"))
    assert advice_given(start(library, 4).plan)  # advice for another flag is not this one's


def test_the_migration_backfills_the_advice_once_from_the_plans(library: Services):
    advised, plain = start(library, 0), start(library, 8, scripted.CHECKIN)
    start(library, 9)
    database: Database = library.database
    with database.read() as tx:
        kept = sorted(tx.execute(select(ReviewAdviceRow.session_id, ReviewAdviceRow.flag_id,
                                        ReviewAdviceRow.advised_at)).all())  # fmt: skip
    assert advised.session_id in {row[0] for row in kept}
    assert plain.session_id not in {row[0] for row in kept}
    database.downgrade("0004")
    database.upgrade()
    with database.read() as tx:
        again = sorted(tx.execute(select(ReviewAdviceRow.session_id, ReviewAdviceRow.flag_id,
                                         ReviewAdviceRow.advised_at)).all())  # fmt: skip
    assert again == kept
    assert not advice_given(start(library, 10).plan)  # the backfilled fact counts
