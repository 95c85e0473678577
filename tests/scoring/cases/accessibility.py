"""wcag21-aa, gbt-37668 and cn-gov-2019's accessibility part: the cases kept by the accessibility
tests (tests/a11y/profile_cases.py), in this package's shape already.

One of them cannot happen on a real run: wcag.pages fires on pages_tested < 1, but the check
publishes status "error" (so every indicator reads "error") when no page could be tested, never
"ok" with pages_tested 0. The case shows the rule's arithmetic; the indicator itself never fires.
"""

from tests.a11y.profile_cases import FIRES, QUIET

__all__ = ["FIRES", "QUIET"]
