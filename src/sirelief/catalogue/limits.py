"""Size limits on a routine's structure, checked on the parsed data before the models.

The YAML guard bounds the file; these bound what a session would have to plan and run,
so a routine can never ask the planner or the guided page for thousands of steps.
"""

from typing import Any

from sirelief.domain.problems import Problem

MAX_BLOCKS = 30
MAX_BLOCK_STEPS = 40
MAX_STEPS = 200


def routine_size_problems(data: Any) -> list[Problem]:
    """Path-only problems (the loader adds file and line) for a routine over any limit."""
    if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
        return []  # the models report a missing or malformed list
    blocks = data["blocks"]
    problems = []
    if len(blocks) > MAX_BLOCKS:
        problems.append(
            Problem(
                message=f"this routine has {len(blocks)} blocks; a routine has at most "
                f"{MAX_BLOCKS}: split it into two routines",
                path=("blocks", MAX_BLOCKS),
            )
        )
    total = 0
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        for field in ("steps", "between_sides"):
            steps = block.get(field)
            if not isinstance(steps, list):
                continue
            total += len(steps)
            if len(steps) > MAX_BLOCK_STEPS:
                problems.append(
                    Problem(
                        message=f"this block has {len(steps)} {field.replace('_', ' ')}; a "
                        f"block has at most {MAX_BLOCK_STEPS}: split it into two blocks",
                        path=("blocks", index, field, MAX_BLOCK_STEPS),
                    )
                )
    if total > MAX_STEPS:
        problems.append(
            Problem(
                message=f"this routine has {total} steps in all; a routine has at most "
                f"{MAX_STEPS}: split it into two routines",
                path=("blocks",),
            )
        )
    return problems
