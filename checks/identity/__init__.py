"""The identity and compliance check; see checks/identity/check.py."""

from govaudit.checks.identity.check import IdentityCheck

__all__ = ["IdentityCheck"]
