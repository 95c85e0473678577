"""Column types by name, thresholds per type, and a site's own overrides.

The keyword table is the check's default; `govaudit.toml` replaces any type's keywords and any
threshold, and a site config pins one column's type (or leaves it out):

    [checks.freshness]
    types = {news = ["动态", "要闻", "新闻"], skip = ["信箱", "访谈"]}   # replaces those types' lists
    thresholds = {news = 14, notice = 183, policy = 183, personnel = 365, plan = 365, other = 0}
                                                  # 0 or a missing type: no threshold, never stale

    [[site.columns]]            # one table per column; url (absolute, or a path on the audited site)
    url = "/xwdt/index.html"    # or `name = "部门动态"` to match the name the check reports
    type = "news"               # news | notice | policy | personnel | plan | other | skip
    name = "要闻动态"            # optional: the name to report; a url entry is audited even when
                                # discovery missed it

The same site config in YAML (a survey's per-site settings):

    columns:
      - {url: /xwdt/index.html, type: news, name: 要闻动态}
      - {name: 部门动态, type: skip}

`skip` is not a report type: a skipped column is left to the check that owns it (message boards to
interaction, service guides to services) or is no content column at all (site map, contact page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govaudit.crawl.urls import normalize_url
from govaudit.errors import UsageError

TYPES = ("news", "notice", "policy", "personnel", "plan", "other")
SKIP = "skip"
_TABLE = yaml.safe_load((Path(__file__).parent / "column_types.yaml").read_text(encoding="utf-8"))
# Checked in this order: the first type with a keyword in the name wins (see column_types.yaml).
ORDER: tuple[str, ...] = tuple(_TABLE["order"])
DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _TABLE["keywords"].items()}
TOPIC_WORDS: tuple[str, ...] = tuple(_TABLE.get("topic", ()))
STATIC_WORDS: tuple[str, ...] = tuple(_TABLE.get("static", ()))
ORG_SUFFIXES: tuple[str, ...] = tuple(sorted(_TABLE["org_suffixes"], key=len, reverse=True))
# A name's parts: `资料下载_某某规划办`, `[电视报道]-某某局`, `首页 - 新闻报道`.
NAME_SPLIT = re.compile(r"\s*(?:[_|｜–—－]+|\s-\s|-)\s*")
_DECOR = "[]【】〔〕()（）<>《》 "
# Days after which a column of the type is stale (see profiles/cn-gov-2019.d/freshness.yaml).
DEFAULT_THRESHOLDS: dict[str, int | None] = {
    "news": 14, "notice": 183, "policy": 183, "personnel": 365, "plan": 365, "other": None,
}
# Meta ColumnType values some CMSs set, for names the table does not know.
_COLUMN_TYPE_HINTS = {"政务动态": "news", "通知公告": "notice", "政策文件": "policy", "政策解读": "policy",
                      "互动交流": SKIP, "办事服务": SKIP}


@dataclass(slots=True)
class Override:
    type: str
    url: str | None = None  # normalised absolute
    name: str | None = None  # match on the reported name (when no url)
    report_name: str | None = None


@dataclass(slots=True)
class Classifier:
    keywords: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_KEYWORDS))
    thresholds: dict[str, int | None] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    overrides: list[Override] = field(default_factory=list)

    def by_name(self, name: str) -> str | None:
        """The type whose keyword the name contains, or None. An organisation unit's name
        (发展规划科, 县卫生和计划生育委员会) is typed "other" whatever words it holds, unless what
        precedes the suffix is itself a keyword (新闻中心 is news, 人事科 personnel)."""
        if any(k and k in name for k in self.keywords.get(SKIP, ())):
            return SKIP
        unit = org_unit(name)
        if unit is not None:
            for kind in ORDER:
                if unit in self.keywords.get(kind, ()):
                    return kind
            return "other"
        for kind in ORDER:
            if any(k and k in name for k in self.keywords.get(kind, ())):
                return kind
        return None

    def in_topic(self, trail: list[str]) -> bool:
        """A breadcrumb that passes through a 专题 (专题专栏 › 抗击肺炎专栏 › …)."""
        return any(w in part for part in trail for w in TOPIC_WORDS)

    def is_static(self, name: str) -> bool:
        """The column holds standing information (机构职能, 领导信息): no update schedule."""
        return any(w in name for w in STATIC_WORDS)

    def classify(self, names: list[str], column_type: str = "") -> str:
        """The first name that the table recognises decides; then the page's ColumnType meta.
        `names` are the column's own names, the site's name already stripped (see own_names)."""
        for name in names:
            found = self.by_name(name)
            if found is not None:
                return found
        hint = _COLUMN_TYPE_HINTS.get(column_type.strip()) or (self.by_name(column_type) if column_type else None)
        return hint or "other"

    def override_for(self, url: str, name: str) -> Override | None:
        for o in self.overrides:
            if o.url is not None and o.url == url:
                return o
        for o in self.overrides:
            if o.url is None and o.name == name:
                return o
        return None

    def threshold(self, kind: str) -> int | None:
        return self.thresholds.get(kind)


def build_classifier(options: dict[str, Any], site: dict[str, Any], home_url: str) -> Classifier:
    """The classifier for one audit: defaults, then `[checks.freshness]`, then `[[site.columns]]`."""
    c = Classifier()
    types = options.get("types", {})
    if not isinstance(types, dict):
        raise UsageError("[checks.freshness] types must be a table of type = [keywords]")
    for kind, words in types.items():
        if kind not in (*TYPES, SKIP):
            raise UsageError(f"[checks.freshness] types: unknown type {kind!r}; use one of {', '.join((*TYPES, SKIP))}")
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise UsageError(f"[checks.freshness] types.{kind} must be a list of keywords")
        c.keywords[kind] = tuple(words)
    thresholds = options.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise UsageError("[checks.freshness] thresholds must be a table of type = days")
    for kind, days in thresholds.items():
        if kind not in TYPES:
            raise UsageError(f"[checks.freshness] thresholds: unknown type {kind!r}; use one of {', '.join(TYPES)}")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise UsageError(f"[checks.freshness] thresholds.{kind} must be a whole number of days, got {days!r}")
        c.thresholds[kind] = days or None
    entries = site.get("columns", [])
    if not isinstance(entries, list):
        raise UsageError("site config: columns must be a list of tables with url or name, and type")
    for n, entry in enumerate(entries, 1):
        where = f"site config: columns entry {n}"
        if not isinstance(entry, dict):
            raise UsageError(f"{where} must be a table with url or name, and type")
        kind = entry.get("type")
        if kind not in (*TYPES, SKIP):
            raise UsageError(f"{where}: type must be one of {', '.join((*TYPES, SKIP))}, got {kind!r}")
        url, name = entry.get("url"), entry.get("name")
        if url is None and not name:
            raise UsageError(f"{where} needs a url or a name")
        norm = None
        if url is not None:
            norm = normalize_url(str(url), home_url) if isinstance(url, str) and url.strip() else None
            if norm is None:
                raise UsageError(f"{where}: url {url!r} is not a usable http(s) URL or path")
        if name is not None and not isinstance(name, str):
            raise UsageError(f"{where}: name must be text")
        c.overrides.append(Override(type=kind, url=norm, name=None if norm else name,
                                    report_name=name if norm else None))
    return c


def org_unit(name: str) -> str | None:
    """What precedes an organisation suffix (`发展规划` of 发展规划科), or None when the name names
    no organisation unit. A bare suffix (科, 中心) is no unit name."""
    for suffix in ORG_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return None


def site_parts(*names: str) -> set[str]:
    """The parts of a site's own names (home-page title, SiteName meta): `广西社科规划办-国家社科规划办-
    广西新闻网天工信息发布系统` gives three parts, each of which is the site, never a column."""
    out: set[str] = set()
    for n in names:
        for part in NAME_SPLIT.split(n or ""):
            part = part.strip(_DECOR)
            if len(part) >= 2:
                out.add(part)
    return out


def site_names(title: str, sitename: str, h1: str) -> set[str]:
    """The audited site's own names, from its home page: title and SiteName meta, and a logo h1
    that repeats a part of them."""
    names = site_parts(title, sitename)
    if h1 and site_parts(h1) & names:
        names |= site_parts(h1)
    return names


def own_name(name: str, site: set[str]) -> str:
    """The column's own name with the site's name and decoration taken off: `资料下载_某某规划办` ->
    `资料下载`, `[电视报道]-某某局` -> `电视报道`; "" when the name is the site's name alone."""
    parts = [p.strip(_DECOR) for p in NAME_SPLIT.split(name)]
    parts = [p for p in parts if p]
    kept = [p for p in parts if p not in site]
    if not kept:
        return ""
    if len(kept) == len(parts):
        return name.strip(_DECOR) if len(parts) > 1 else parts[0]
    return "-".join(kept)
