"""Page metadata (网页元数据) from 政府网站发展指引's page-design attachment (V2).

Home page: SiteName, SiteDomain, SiteIDCode. Column pages add ColumnName and ColumnType (the
attachment also lists ColumnDescription and ColumnKeywords; they are optional here). Article pages
add ArticleTitle, PubDate and ContentSource. A name present with empty content counts as missing —
real CMS templates often emit `<meta name="SiteIDCode" content="">`. SiteIDCode must equal the
网站标识码 shown in the footer. Every list is an option of the check (`meta_required`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.identity.footer import SITE_ID_FORMAT

from govaudit.dates import parse_date
from govaudit.errors import UsageError

SITE = ("SiteName", "SiteDomain", "SiteIDCode")
DEFAULT_REQUIRED: dict[str, tuple[str, ...]] = {
    "home": SITE,
    "column": (*SITE, "ColumnName", "ColumnType"),
    "article": (*SITE, "ArticleTitle", "PubDate", "ContentSource"),
}
_DOMAIN = re.compile(r"^[a-z0-9.-]+$", re.I)


@dataclass(slots=True)
class MetaVerdict:
    kind: str
    values: dict[str, str]  # every required name -> content ("" when absent or empty)
    missing: list[str] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)  # name -> why


def required_fields(options: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """The required names per page kind, with `meta_required = {kind = [names]}` applied."""
    out = dict(DEFAULT_REQUIRED)
    given = options.get("meta_required")
    if given is None:
        return out
    if not isinstance(given, dict):
        raise UsageError("checks.identity.meta_required must be a table of page kind -> list of meta names")
    for kind, names in given.items():
        if kind not in DEFAULT_REQUIRED:
            raise UsageError(f"checks.identity.meta_required: unknown page kind {kind!r}; use home, column, article")
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise UsageError(f"checks.identity.meta_required.{kind} must be a list of meta names")
        out[kind] = tuple(names)
    return out


def judge_meta(kind: str, meta: dict[str, str], required: dict[str, tuple[str, ...]]) -> MetaVerdict:
    """What one page of `kind` lacks; `meta` keys are lower-cased (as the parser gives them)."""
    names = required.get(kind, ())
    values = {name: meta.get(name.lower(), "").strip() for name in names}
    verdict = MetaVerdict(kind, values, [n for n, v in values.items() if not v])
    code = values.get("SiteIDCode")
    if code and not SITE_ID_FORMAT.match(code):
        verdict.invalid["SiteIDCode"] = "not 10 digits or bm + 8 digits"
    pub = values.get("PubDate")
    if pub and parse_date(pub) is None:
        verdict.invalid["PubDate"] = "not a date"
    domain = values.get("SiteDomain")
    if domain and not all(_DOMAIN.match(d.strip()) for d in domain.split(",") if d.strip()):
        verdict.invalid["SiteDomain"] = "not a domain name"
    return verdict
