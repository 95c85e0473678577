"""The content safety check; see checks/content/check.py."""

from govaudit.checks.content.check import ContentCheck

__all__ = ["ContentCheck"]
