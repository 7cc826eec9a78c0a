"""``python -m sirelief.catalogue``: validate the shipped exercise files (for authors)."""

import sys

from sirelief.catalogue.loader import builtin_catalogue
from sirelief.domain.problems import InvalidFileError

try:
    catalogue = builtin_catalogue()
except InvalidFileError as invalid:
    for problem in invalid.problems:
        print(problem)
    sys.exit(1)
print(f"{len(catalogue)} exercises, all valid")
