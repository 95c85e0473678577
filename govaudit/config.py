"""Audit configuration: defaults, then `govaudit.toml`, then GOVAUDIT_* variables, then options.

Defaults are polite for a real government server (2 requests at once per host, 0.5 s apart);
loopback tests and the benchmark lift them explicitly.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from govaudit import __version__
from govaudit.errors import UsageError

DEFAULT_USER_AGENT = f"govaudit/{__version__} (+https://github.com/govaudit/govaudit; site audit)"


@dataclass(slots=True)
class CrawlConfig:
    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 8  # requests in flight across all hosts
    host_concurrency: int = 2  # requests in flight to one host
    delay: float = 0.5  # minimum seconds between two requests to one host
    timeout: float = 15.0  # one request, connect to last byte (the CN availability figure)
    budget: float = 1800.0  # seconds for the whole audit's network work
    max_pages: int = 20_000  # what a county portal needs; a cut is stated in the report's coverage
    max_depth: int = 100_000  # no depth cap in practice: traps are recognised by what they are
    max_bytes: int = 5 * 1024 * 1024  # body cap for pages
    max_redirects: int = 10
    retries: int = 2  # extra attempts on connect errors, 429, 502/503/504
    retry_after_cap: float = 30.0  # longest Retry-After we will sleep; beyond it we report
    backoff: float = 0.5  # first backoff; doubles per attempt
    obey_robots: bool = True
    subdomains: bool = False
    include: list[str] = field(default_factory=list)  # regexes; when given a URL must match one
    exclude: list[str] = field(default_factory=list)
    use_sitemap: bool = True
    verify_tls: bool = True
    # trap guards
    max_query_variants: int = 60  # URLs of one path whose query values are dates (a calendar)
    max_repeated_segment: int = 3  # the same path segment this many times = a trap
    max_url_length: int = 2048
    # browser rendering (govaudit.browser): every HTML page, or only pages that look script-built
    render: bool = False
    auto_render: bool = True


@dataclass(slots=True)
class BrowserConfig:
    """The system Chromium that renders pages and runs axe-core (see govaudit.browser)."""

    path: str | None = None  # --browser; else GOVAUDIT_BROWSER; else chromium on PATH
    axe_js: str | None = None  # --axe-js: a newer axe.min.js than the bundled one
    pool: int = 4  # pages reused at once (4 measured 1.6x faster than a page per URL on 2 cores)


@dataclass(slots=True)
class AuditConfig:
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    browser: BrowserConfig = field(default_factory=BrowserConfig)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-check options by check id
    site: dict[str, Any] = field(default_factory=dict)  # a site config (selectors, column types...)


_INT_FIELDS = {f.name for f in fields(CrawlConfig) if f.type in ("int",)}
_FLOAT_FIELDS = {f.name for f in fields(CrawlConfig) if f.type in ("float",)}
_BOOL_FIELDS = {f.name for f in fields(CrawlConfig) if f.type in ("bool",)}
_LIST_FIELDS = {f.name for f in fields(CrawlConfig) if f.type.startswith("list")}
_STR_FIELDS = {f.name for f in fields(CrawlConfig) if f.type in ("str",)}


def _coerce(name: str, value: Any, origin: str) -> Any:
    try:
        if name in _BOOL_FIELDS:
            if isinstance(value, str):
                low = value.strip().lower()
                if low in ("1", "true", "yes", "on"):
                    return True
                if low in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if name in _INT_FIELDS:
            out = int(value)
            if out < 0:
                raise ValueError(value)
            return out
        if name in _FLOAT_FIELDS:
            out_f = float(value)
            if out_f < 0:
                raise ValueError(value)
            return out_f
        if name in _LIST_FIELDS:
            if isinstance(value, str):
                return [v for v in value.split(",") if v]
            return [str(v) for v in value]
        return str(value)
    except (TypeError, ValueError):
        raise UsageError(f"{origin}: invalid value for {name}: {value!r}") from None


def apply_crawl_settings(cfg: CrawlConfig, settings: dict[str, Any], origin: str) -> None:
    """Set fields of `cfg` from a mapping whose keys use - or _; unknown keys are an error."""
    for key, value in settings.items():
        name = key.replace("-", "_")
        if name not in _INT_FIELDS | _FLOAT_FIELDS | _BOOL_FIELDS | _LIST_FIELDS | _STR_FIELDS:
            raise UsageError(f"{origin}: unknown crawl setting {key!r}")
        setattr(cfg, name, _coerce(name, value, origin))


def apply_browser_settings(cfg: BrowserConfig, settings: dict[str, Any], origin: str) -> None:
    """[browser] path / axe-js / pool; unknown keys are an error."""
    for key, value in settings.items():
        name = key.replace("-", "_")
        if name == "pool":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(f"{origin}: browser pool must be a whole number of at least 1, got {value!r}")
            cfg.pool = value
        elif name in ("path", "axe_js"):
            if not isinstance(value, str) or not value.strip():
                raise UsageError(f"{origin}: browser {key} must be a file path, got {value!r}")
            setattr(cfg, name, value)
        else:
            raise UsageError(f"{origin}: unknown browser setting {key!r}")


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> AuditConfig:
    """Defaults <- config file <- environment. Options from the command line come after this."""
    cfg = AuditConfig()
    env = os.environ if env is None else env
    explicit = path is not None
    file = Path(path) if path is not None else Path(env.get("GOVAUDIT_CONFIG", "govaudit.toml"))
    if explicit or file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"config file not found: {file}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read config file {file}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"config file {file} is not valid TOML: {exc}") from None
        crawl = data.get("crawl", {})
        if not isinstance(crawl, dict):
            raise UsageError(f"{file}: [crawl] must be a table")
        apply_crawl_settings(cfg.crawl, crawl, str(file))
        checks = data.get("checks", {})
        if not isinstance(checks, dict):
            raise UsageError(f"{file}: [checks] must be a table")
        cfg.checks = {k: dict(v) for k, v in checks.items() if isinstance(v, dict)}
        site = data.get("site", {})
        cfg.site = dict(site) if isinstance(site, dict) else {}
        browser = data.get("browser", {})
        if not isinstance(browser, dict):
            raise UsageError(f"{file}: [browser] must be a table")
        apply_browser_settings(cfg.browser, browser, str(file))
    env_settings = {
        k[len("GOVAUDIT_"):].lower(): v
        for k, v in env.items()
        if k.startswith("GOVAUDIT_") and k not in ("GOVAUDIT_CONFIG", "GOVAUDIT_BROWSER", "GOVAUDIT_DB")
        and k[len("GOVAUDIT_"):].lower() in _INT_FIELDS | _FLOAT_FIELDS | _BOOL_FIELDS | _LIST_FIELDS | _STR_FIELDS
    }
    apply_crawl_settings(cfg.crawl, env_settings, "environment")
    return cfg


def loopback_fast(cfg: CrawlConfig) -> CrawlConfig:
    """Lift politeness for a server on this machine (tests, demo, benchmark)."""
    cfg.delay = 0.0
    cfg.host_concurrency = max(cfg.host_concurrency, 8)
    cfg.concurrency = max(cfg.concurrency, 16)
    return cfg
