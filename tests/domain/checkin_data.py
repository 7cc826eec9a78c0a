"""Check-in tightness ratings written short: (left, right) per rated region."""

from typing import Any

Pair = tuple[int, int]


def tightness(hip: Pair = (3, 3), hams: Pair = (0, 0), ankle: Pair = (0, 0)) -> dict[str, Any]:
    """The check-in's ``tightness`` mapping for the three rated regions."""
    return {
        region: {"left": left, "right": right}
        for region, (left, right) in (
            ("hip", hip), ("hamstrings_adductors", hams), ("ankle", ankle)
        )
    }  # fmt: skip
