"""The government domain rule: which host is judged and whether it ends in an official suffix.

China (政府网站发展指引, V2): the English domain ends in `.gov.cn`. United States: `.gov` (`.mil` and
`.fed.us` are also federal). A loopback or IP-address audit (the demo, a staging mirror) has no
domain of its own: then the option `domain`, or else the page's own SiteDomain meta, is judged, and
the report says which.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

# Official government suffixes of the countries govaudit has profiles for. Each is used by one
# country only, so one list serves every profile; the option `domain_suffixes` narrows it.
DEFAULT_SUFFIXES = (".gov.cn", ".gov", ".mil", ".fed.us", ".gov.uk")


@dataclass(slots=True)
class DomainVerdict:
    domain: str  # the host judged ("" when none could be found)
    source: str  # audited-host | option | SiteDomain meta | none
    official: bool | None  # None when there is no domain to judge
    suffixes: tuple[str, ...]


def is_address(host: str) -> bool:
    h = host.strip("[]")
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(h)
    except ValueError:
        return False
    return True


def judge_domain(host: str, suffixes: tuple[str, ...], option: str = "", site_domain_meta: str = "") -> DomainVerdict:
    suffixes = tuple(s.lower() if s.startswith(".") else "." + s.lower() for s in suffixes)
    if option:
        domain, source = option.strip().lower(), "option"
    elif host and not is_address(host):
        domain, source = host.lower(), "audited-host"
    else:
        first = site_domain_meta.split(",")[0].strip().lower()
        domain, source = (first, "SiteDomain meta") if first else ("", "none")
    if not domain:
        return DomainVerdict("", source, None, suffixes)
    domain = domain.rstrip(".")
    return DomainVerdict(domain, source, any(domain.endswith(s) for s in suffixes), suffixes)
