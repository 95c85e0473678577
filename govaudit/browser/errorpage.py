"""The browser's own error page (Chromium's "This site can't be reached" / 无法访问此网站, Firefox's
neterror page) is never a page of the site.

A page that refreshes or script-redirects to a dead host leaves the browser on its error page; its
DOM is the browser's, not the site's (issue 17: a TRS column index with `<meta http-equiv=Refresh
content="0;URL=http://rsj.gzdaozhen.gov.cn/zwgk/gsgg/">` was stored as a page titled with that host,
and a finding made from it). What marks such a page is data: the URLs browsers show it under, and
the markers its DOM carries (every Chromium locale shares the markup, only the words differ).
"""

from __future__ import annotations

import re

# The URL a browser shows its own error page under.
ERROR_URL_PREFIXES = ("chrome-error://", "about:neterror", "about:certerror", "about:blocked")
# DOM markers: the page's frame (all Chromium locales), and Firefox's container.
_FRAME = re.compile(r"""<body\b[^>]*\bclass\s*=\s*["'][^"']*\bneterror\b|\bid\s*=\s*["']errorPageContainer["']""",
                    re.I)
_DETAIL = re.compile(r"""\bid\s*=\s*["']main-frame-error["']|\b(?:net::)?ERR_[A-Z][A-Z_]{3,}\b|\bNS_ERROR_[A-Z_]+\b""")
_CODE = re.compile(r"\b(?:net::)?(ERR_[A-Z][A-Z_]{3,}|NS_ERROR_[A-Z_]+)\b")
SCAN_CHARS = 200_000


def browser_error(url: str, html: str = "") -> str | None:
    """Why this is the browser's error page (its error code when shown), or None for a real page."""
    head = html[:SCAN_CHARS]
    shown_at = url.lower().startswith(ERROR_URL_PREFIXES)
    if not shown_at and not (_FRAME.search(head) and _DETAIL.search(head)):
        return None
    code = _CODE.search(head)
    return f"the browser showed its own error page ({code.group(1) if code else url or 'no code'})"
