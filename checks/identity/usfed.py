"""US federal website marks (21st Century IDEA, OMB M-23-22, GSA Site Scanning's data dictionary):
a mobile viewport, the Digital Analytics Program tag, the required links and the official-site banner.

Required links are recognised by anchor text or by address, in any language the site uses for them;
the default set is the brief's (USA.gov, privacy policy, FOIA, accessibility, No FEAR Act data,
About) and the option `required_links = {key = "regex"}` replaces or adds patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from govaudit.checks.identity.footer import host_is
from govaudit.checks.identity.html import Doc

from govaudit.errors import UsageError

DAP_HOST = "dap.digitalgov.gov"
_DAP_INLINE = re.compile(r"dap\.digitalgov\.gov|Universal-Federated-Analytics", re.I)
_BANNER_TEXT = re.compile(r"an official website of the united states government", re.I)

# key -> (anchor-text pattern, URL pattern)
DEFAULT_REQUIRED_LINKS: dict[str, tuple[str, str]] = {
    "usa_gov": (r"\busa\.gov\b", r"^https?://(?:www\.)?usa\.gov(?:/|$)"),
    "privacy": (r"\bprivacy\b", r"privacy"),
    "foia": (r"\bfoia\b|freedom of information", r"foia|freedom-of-information"),
    "accessibility": (r"\baccessibility\b|section 508", r"accessibility|/508(?:\b|/)"),
    "no_fear": (r"\bno\s*fear\b", r"no-?fear|nofear|no_fear"),
    "about": (r"^\s*about\b", r"/about(?:-?us)?(?:[/.?#]|$)"),
}


@dataclass(slots=True)
class UsMarks:
    viewport: bool
    viewport_content: str
    dap: bool
    dap_evidence: str
    banner: bool
    banner_evidence: str
    links: dict[str, str]  # key -> the matching link's URL, "" when missing


def required_link_patterns(options: dict[str, Any]) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    table = dict(DEFAULT_REQUIRED_LINKS)
    given = options.get("required_links")
    if given is not None:
        if not isinstance(given, dict):
            raise UsageError("checks.identity.required_links must be a table of name -> regex")
        for key, pattern in given.items():
            if not isinstance(pattern, str) or not pattern:
                raise UsageError(f"checks.identity.required_links.{key} must be a regex string")
            table[key] = (pattern, pattern)
    out = {}
    for key, (text_re, url_re) in table.items():
        try:
            out[key] = (re.compile(text_re, re.I), re.compile(url_re, re.I))
        except re.error as exc:
            raise UsageError(f"checks.identity.required_links.{key}: bad regex: {exc}") from None
    return out


def find_us_marks(doc: Doc, patterns: dict[str, tuple[re.Pattern[str], re.Pattern[str]]]) -> UsMarks:
    viewport = doc.meta.get("viewport", "")
    dap_evidence = ""
    for attrs, text in doc.scripts:
        src = attrs.get("src", "")
        if DAP_HOST in src.lower() or "universal-federated-analytics" in src.lower():
            dap_evidence = src
            break
        if text and _DAP_INLINE.search(text):
            dap_evidence = "inline script"
            break
    banner_evidence = ""
    if doc.tree.css_first(".usa-banner, section.usa-banner, [class*='usa-banner']") is not None:
        banner_evidence = "usa-banner element"
    elif _BANNER_TEXT.search(doc.text[:3000]):
        banner_evidence = "banner text"
    links = {}
    for key, (text_re, url_re) in patterns.items():
        links[key] = ""
        for a in doc.anchors:
            if a.kind != "http":
                continue
            if text_re.search(a.text) or url_re.search(a.url) or (key == "usa_gov" and host_is(a.host, "usa.gov")):
                links[key] = a.url
                break
    return UsMarks(
        viewport="width=device-width" in viewport.replace(" ", "").lower(), viewport_content=viewport,
        dap=bool(dap_evidence), dap_evidence=dap_evidence, banner=bool(banner_evidence),
        banner_evidence=banner_evidence, links=links,
    )
