"""Check-ins and the safety stops they led to, of one profile."""

from datetime import datetime

from sqlalchemy import select

from sirelief.domain.checkin import CheckIn
from sirelief.domain.safety import StopDecision
from sirelief.storage.schema import CheckInRow, SafetyStopRow
from sirelief.storage.store import StorePart, new_id


class CheckInStore(StorePart):
    """What the person answered before a session, and every time the answers stopped one."""

    def save_checkin(self, checkin: CheckIn, at: datetime) -> str:
        return self._add(CheckInRow(
            id=new_id(), profile_id=self.profile_id, taken_at=at, pain=checkin.pain,
            answers=checkin.model_dump(mode="json", exclude_none=True),
        ))  # fmt: skip

    def save_stop(self, decision: StopDecision, checkin_id: str | None, at: datetime) -> str:
        return self._add(SafetyStopRow(
            id=new_id(), profile_id=self.profile_id, checkin_id=checkin_id, at=at,
            urgency=decision.urgency, decision=decision.to_json(),
        ))  # fmt: skip

    def stops(self) -> list[dict]:
        query = (
            select(SafetyStopRow)
            .where(SafetyStopRow.profile_id == self.profile_id)
            .order_by(SafetyStopRow.at.desc())
        )
        with self.database.read() as tx:
            return [
                {"at": row.at, "urgency": row.urgency, "decision": row.decision}
                for row in tx.scalars(query)
            ]
