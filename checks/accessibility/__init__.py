"""Accessibility and 适老化 in a real browser: entry point `checks.accessibility:AccessibilityCheck`."""

from checks.accessibility.check import AccessibilityCheck

__all__ = ["AccessibilityCheck"]
