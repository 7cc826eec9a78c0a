"""The base every domain record shares: strict, closed, immutable."""

import ast
import inspect
import itertools
import textwrap
from typing import Annotated, Any, get_args

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

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def attribute_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The string written under each field of ``model`` (or of a base it inherits the field
    from): the field's description in a JSON Schema.

    Read from the source only when a schema is made. Pydantic's ``use_attribute_docstrings``
    reads it for every model as the model is defined, which cost every command's start
    about 40 ms (issue 21).
    """
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, Record)) or cls is Record:
            continue
        try:
            body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body
        except (OSError, TypeError):  # no source at hand: no descriptions, as pydantic does
            continue
        for previous, node in itertools.pairwise(body):
            if (
                isinstance(previous, ast.AnnAssign)
                and isinstance(previous.target, ast.Name)
                and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found[previous.target.id] = inspect.cleandoc(node.value.value)
    return found


def describe_fields(document: dict[str, Any], root: type[BaseModel]) -> None:
    """Give each property of ``document`` (``root``'s JSON Schema, its nested models in
    ``$defs`` by class name) its field's docstring, unless it has a description of its
    own; keys stay sorted as pydantic writes them."""
    definitions = document.get("$defs", {})
    for model in _models_within(root):
        target = document if model is root else definitions.get(model.__name__, {})
        properties = target.get("properties", {})
        for field, text in attribute_docstrings(model).items():
            if field in properties and "description" not in properties[field]:
                properties[field] = dict(sorted({**properties[field], "description": text}.items()))


def _models_within(root: type[BaseModel]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    pending: list[Any] = [root]
    while pending:
        kind = pending.pop()
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            if kind not in found:
                found.append(kind)
                pending.extend(field.annotation for field in kind.model_fields.values())
        else:
            pending.extend(get_args(kind))
    return found
