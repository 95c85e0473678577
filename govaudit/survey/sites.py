"""Survey input: a CSV of sites, in govaudit's own columns or the US .gov registry's.

govaudit's columns: `url` (required) and optional `name`, `region`, `level`, `site_id_code`,
`no_services` (true/1/yes/是 for a department without public services: cn-gov-2019 skips 办事服务),
and the organisation hierarchy: `org_path` (`江西省/赣州市/瑞金市`) or `province`, `city`, `county`
columns, and `parent_site` (the portal a department's site belongs to); `level` says 门户 or 部门
(Chinese headers such as 组织路径 / 省 / 市 / 县 / 上级网站 are read too)
(Chinese headers such as 网站地址 / 网站名称 / 地区 / 级别 / 网站标识码 are read too); any other
column is kept as-is. The cisagov/dotgov-data registry files (`Domain name`, `Domain type`,
`Organization name`, `Suborganization name`, `City`, `State`, ...) are read as published: the site
is https://<domain>/, its name the organisation, its region the state, its level the domain type.
A file with no header whose first cell is a URL is a plain list of URLs.

A malformed row is reported with its line number and skipped; the same site listed twice (same
host and path, whatever the scheme or case) is merged into its first row; the rest goes on.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from govaudit.crawl.urls import normalize_url
from govaudit.errors import UsageError

STANDARD = ("name", "region", "level", "site_id_code")

# Header aliases, compared lower-case with spaces, dashes and underscores dropped.
_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "homepage", "网址", "网站地址", "首页地址", "首页网址", "网站网址", "网站域名"),
    "name": ("name", "sitename", "网站名称", "名称", "单位名称", "主办单位"),
    "region": ("region", "地区", "所属地区", "省份", "地域", "行政区划"),
    "level": ("level", "级别", "层级", "网站级别", "行政级别"),
    "site_id_code": ("siteidcode", "sitecode", "网站标识码", "标识码"),
    "no_services": ("noservices", "无办事服务", "无对外服务职能"),
    "org_path": ("orgpath", "organisationpath", "organizationpath", "组织路径", "机构路径", "单位层级", "行政层级"),
    "province": ("province", "省", "省级"),
    "city": ("city", "市", "地市"),
    "county": ("county", "县", "区县"),
    "parent_site": ("parentsite", "parent", "上级网站", "上级门户", "所属门户"),
}
_PATH_SPLIT = re.compile(r"\s*[/>＞|｜]\s*")
_YES = ("1", "true", "yes", "y", "是", "有")  # a no_services cell that marks the site
_DOTGOV_DOMAIN = ("domainname", "domain")
_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{1,63}\.?(:\d{1,5})?$",
                      re.IGNORECASE)
MAX_PROBLEMS_SHOWN = 20


@dataclass(slots=True)
class SiteRow:
    """One site to survey."""

    url: str  # normalised http(s) URL
    name: str = ""
    region: str = ""
    level: str = ""
    site_id_code: str = ""
    no_services: bool = False  # a department without public services (办事服务 not inspected)
    org_path: str = ""  # "江西省/赣州市/瑞金市": the units the site rolls up into, outermost first
    parent_site: str = ""  # the portal (normalised URL) a department's site belongs to
    line: int = 0  # where it was first listed
    extra: dict[str, str] = field(default_factory=dict)  # other input columns, as read

    def info(self) -> dict[str, object]:
        """What the survey stores about the site beside its URL."""
        return {"name": self.name, "region": self.region, "level": self.level,
                "site_id_code": self.site_id_code, "no_services": self.no_services, "line": self.line,
                "org_path": self.org_path, "parent_site": self.parent_site, "extra": dict(self.extra)}


@dataclass(slots=True)
class SiteList:
    sites: list[SiteRow]
    problems: list[str] = field(default_factory=list)  # "line 7: ..." for each skipped row
    merged: list[str] = field(default_factory=list)  # "line 9: same site as line 3 (merged)"
    kind: str = "govaudit"  # govaudit | dotgov | urls

    def messages(self) -> list[str]:
        """The problems and merges to show a user, long lists cut short."""
        out = self.problems[:MAX_PROBLEMS_SHOWN]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            out.append(f"... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more malformed rows")
        out += self.merged[:MAX_PROBLEMS_SHOWN]
        if len(self.merged) > MAX_PROBLEMS_SHOWN:
            out.append(f"... and {len(self.merged) - MAX_PROBLEMS_SHOWN} more duplicates merged")
        return out


def read_sites(path: str | Path) -> SiteList:
    """Read a sites CSV file (UTF-8 with or without BOM, or GB18030/GBK as Excel in China saves it)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"sites file not found: {file}") from None
    except IsADirectoryError:
        raise UsageError(f"sites file {file} is a directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read sites file {file}: {exc.strerror or exc}") from None
    return parse_sites(decode(data, str(file)), str(file))


def decode(data: bytes, where: str) -> str:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{where} is neither UTF-8 nor GB18030 text")


def parse_sites(text: str, where: str = "sites") -> SiteList:
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _numbered(reader, where)
    if not rows:
        raise UsageError(f"{where} is empty: it needs a url column and one site per row")
    first_line, header = rows[0]
    keys = [_key(h) for h in header]
    if "url" in (_canonical(k) for k in keys):
        kind, body = "govaudit", rows[1:]
    elif any(k in _DOTGOV_DOMAIN for k in keys):
        kind, body = "dotgov", rows[1:]
    elif header and _looks_like_url(header[0]):
        kind, body, header = "urls", rows, ["url"]
    else:
        raise UsageError(f"{where}: no url column in the header (line {first_line}); expected url[,name,"
                         "region,level,site_id_code] or the .gov registry's Domain name")
    out = SiteList(sites=[], kind=kind)
    by_key: dict[str, SiteRow] = {}
    for line, cells in body:
        if not any(c.strip() for c in cells):
            continue  # blank lines are not rows
        if len(cells) > len(header):
            out.problems.append(f"line {line}: {len(cells)} fields but the header has {len(header)} "
                                "(an unquoted comma?)")
            continue
        record = dict(zip(header, cells, strict=False))
        row, problem = _dotgov_row(record, line) if kind == "dotgov" else _own_row(record, line)
        if row is None:
            out.problems.append(f"line {line}: {problem}")
            continue
        key = _site_key(row.url)
        first = by_key.get(key)
        if first is not None:
            _merge(first, row)
            out.merged.append(f"line {line}: same site as line {first.line} ({first.url}), merged")
            continue
        by_key[key] = row
        out.sites.append(row)
    return out


def _numbered(reader: csv.Reader, where: str) -> list[tuple[int, list[str]]]:
    """Rows with the line each starts on (a quoted field may span lines)."""
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UsageError(f"{where}: line {reader.line_num}: not readable as CSV ({exc})") from None
    return rows


def _key(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.strip().lower())


def _canonical(key: str) -> str | None:
    for name, aliases in _ALIASES.items():
        if key in aliases:
            return name
    return None


def _looks_like_url(cell: str) -> bool:
    return cell.strip().lower().startswith(("http://", "https://"))


def _own_row(record: dict[str, str], line: int) -> tuple[SiteRow | None, str]:
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for header, value in record.items():
        name = _canonical(_key(header))
        if name is not None and name not in fields:
            fields[name] = value.strip()
        elif header.strip():
            extra[header.strip()] = value.strip()
    raw = fields.get("url", "")
    url, problem = site_url(raw, default_scheme="http")
    if url is None:
        return None, problem
    no_services = fields.get("no_services", "").strip().lower() in _YES
    parent = fields.get("parent_site", "")
    parent_url = site_url(parent)[0] if parent else None
    return SiteRow(url=url, line=line, extra=extra, no_services=no_services, org_path=org_path(fields),
                   parent_site=parent_url or parent, **{k: fields.get(k, "") for k in STANDARD}), ""


def org_path(fields: dict[str, str]) -> str:
    """The unit path of a row: its org_path column, else province/city/county, else a region given
    as a path ("江西省/赣州市"); parts are trimmed and joined with "/"."""
    raw = fields.get("org_path", "")
    if raw.strip():
        parts = _PATH_SPLIT.split(raw.strip())
    elif any(fields.get(k, "").strip() for k in ("province", "city", "county")):
        parts = [fields.get(k, "") for k in ("province", "city", "county")]
    else:
        parts = _PATH_SPLIT.split(fields.get("region", "").strip())
    return "/".join(p.strip() for p in parts if p.strip())


def _dotgov_row(record: dict[str, str], line: int) -> tuple[SiteRow | None, str]:
    by_key = {_key(h): (h, v.strip()) for h, v in record.items()}
    domain = next((by_key[k][1] for k in _DOTGOV_DOMAIN if k in by_key), "")
    link = by_key.get("link", ("", ""))[1]  # GSA's lists add a Link column with the home page
    url, problem = site_url(link if _looks_like_url(link) else domain, default_scheme="https")
    if url is None:
        return None, problem
    org = by_key.get("organizationname", ("", ""))[1] or by_key.get("agency", ("", ""))[1]
    sub = by_key.get("suborganizationname", ("", ""))[1]
    used = {"domainname", "domain", "link", "organizationname", "suborganizationname", "state", "domaintype"}
    extra = {h: v for k, (h, v) in by_key.items() if k not in used and h.strip()}
    return SiteRow(url=url, name=" — ".join(p for p in (org, sub) if p), region=by_key.get("state", ("", ""))[1],
                   level=by_key.get("domaintype", ("", ""))[1], line=line, extra=extra), ""


def site_url(raw: str, default_scheme: str = "http") -> tuple[str | None, str]:
    """A normalised site URL from what a list gives (a URL, or a bare host name), or the problem."""
    value = raw.strip()
    if not value:
        return None, "no URL"
    if "://" not in value:
        if not _HOST_RE.match(value.split("/", 1)[0]):
            return None, f"not a URL or host name: {value[:100]!r}"
        value = f"{default_scheme}://{value}"
    if not value.lower().startswith(("http://", "https://")):
        return None, f"not an http(s) URL: {value[:100]!r}"
    url = normalize_url(value)
    if url is None:
        return None, f"not a valid URL: {value[:100]!r}"
    return url, ""


def _site_key(url: str) -> str:
    """http:// and https:// of the same host and path are one site."""
    return url.split("://", 1)[1]


def _merge(first: SiteRow, again: SiteRow) -> None:
    """Fill what the first listing left empty from a later one; the first listing wins otherwise."""
    for name in (*STANDARD, "org_path", "parent_site"):
        if not getattr(first, name) and getattr(again, name):
            setattr(first, name, getattr(again, name))
    for k, v in again.extra.items():
        if v and not first.extra.get(k):
            first.extra[k] = v
