"""The base every domain record shares: strict, closed, immutable."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        min_length=2,
        max_length=64,
        description="kebab-case id: lowercase letters and digits joined by single hyphens",
    ),
]
"""A stable, human-readable id such as ``kb-hip-flexor-smash``."""

Text = Annotated[str, Field(min_length=1, max_length=600)]
"""One sentence or short paragraph written for the person on the mat."""

ShortText = Annotated[str, Field(min_length=1, max_length=120)]


class Record(BaseModel):
    """Strict (no silent type coercion), closed (unknown keys are errors) and frozen.

    Strictness matters because these records come from hand-written files: ``sets: "2"``
    or ``hold_s: 30.5`` is a mistake worth reporting, not guessing around.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )
