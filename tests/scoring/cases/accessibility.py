"""wcag21-aa, gbt-37668 and cn-gov-2019's accessibility part: the cases kept by the accessibility
tests (tests/a11y/profile_cases.py), in this package's shape already.
"""

from tests.a11y.profile_cases import FIRES, QUIET

__all__ = ["FIRES", "QUIET"]
