"""Accessibility and 适老化 in a real browser: entry point `govaudit.checks.accessibility:AccessibilityCheck`."""

from govaudit.checks.accessibility.check import AccessibilityCheck

__all__ = ["AccessibilityCheck"]
