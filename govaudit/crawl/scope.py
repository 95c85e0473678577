"""Which URLs belong to the audited site.

By default the start host only, with `www.x` and `x` treated as one site (portals answer on both
and link to both). With `subdomains`, every host under the start host's domain counts: a county
portal `www.xx.gov.cn` then includes its departments at `jyj.xx.gov.cn`. The scheme never
matters (http and https pages of one site are one site); an explicit non-default port does, so a
second server on another port of the same machine is another site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from govaudit.crawl.urls import netloc_of, normalize_url
from govaudit.errors import UsageError


def _site_key(netloc: str) -> tuple[str, str]:
    """(host without 'www.' and trailing dot, port) of a lower-case `host[:port]`."""
    if netloc.startswith("["):
        close = netloc.find("]")
        host, port = netloc[: close + 1], netloc[close + 2:]
    else:
        host, _, port = netloc.partition(":")
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host, port


class Scope:
    def __init__(self, start_url: str, subdomains: bool = False, include: Iterable[str] = (),
                 exclude: Iterable[str] = ()) -> None:
        start = normalize_url(start_url) if isinstance(start_url, str) else None
        if start is None:
            raise UsageError(f"not an http(s) URL: {start_url!r}")
        self.start_url = start
        self.host, self.port = _site_key(netloc_of(start))
        self.subdomains = subdomains
        self.include = [_compile(p, "include") for p in include or ()]
        self.exclude = [_compile(p, "exclude") for p in exclude or ()]

    def contains(self, url: str) -> bool:
        """Whether `url` (absolute, preferably normalised) is part of the audited site."""
        try:
            netloc = netloc_of(url)
            if not netloc or not url[:8].lower().startswith(("http://", "https://")):
                return False
            host, port = _site_key(netloc)
            if port != self.port:
                return False
            if host != self.host and not (self.subdomains and host.endswith("." + self.host)):
                return False
            if self.include and not any(p.search(url) for p in self.include):
                return False
            return not any(p.search(url) for p in self.exclude)
        except Exception:  # total: a URL we cannot read is not ours
            return False


def _compile(pattern: str, option: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except (re.error, TypeError) as err:
        raise UsageError(f"invalid --{option} regex {pattern!r}: {err}") from None
