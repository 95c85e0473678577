"""The check API: what a check is, what it gets, and how checks are found.

A check is a class with `id`, `title` and `async run(snapshot, ctx) -> CheckResult`. Built-in
checks and third-party ones register in the `govaudit.checks` entry-point group, so adding a check
is a package install, not a fork. A check never opens its own HTTP client: extra requests go
through `ctx.fetcher`, which applies the audit's politeness, robots rules, retries and limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from govaudit.config import AuditConfig
from govaudit.errors import UsageError
from govaudit.model import CheckResult, SiteSnapshot

if TYPE_CHECKING:
    from govaudit.crawl.fetcher import Fetcher

ENTRY_POINT_GROUP = "govaudit.checks"


@dataclass(slots=True)
class CheckContext:
    fetcher: Fetcher
    config: AuditConfig
    as_of: date
    options: dict[str, Any] = field(default_factory=dict)  # this check's own options
    # Results of checks that ran before this one (a check may declare `after = ("links",)`).
    results: dict[str, CheckResult] = field(default_factory=dict)
    # A browser renderer, when one is available (set by the accessibility issue's code).
    renderer: Any = None
    # The audit's store (govaudit.store.Store), when it has one: checks that read history kept
    # between audits, such as the availability probe's samples, find it here.
    store: Any = None


@runtime_checkable
class Check(Protocol):
    id: ClassVar[str]
    title: ClassVar[str]

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult: ...


# Optional on a check class: `validate_options(options: dict, site: dict, home_url: str) -> None`,
# raising govaudit.errors.UsageError; the audit calls it before crawling (govaudit.audit.validate_plan).


def available_checks(only: list[str] | None = None) -> dict[str, type]:
    """Installed checks by id, from the entry-point group. A broken plug-in is left out, not fatal.

    `only`: load just the entry points of these names (importing every check costs half a second
    of start-up: the browser checks pull in Playwright)."""
    found: dict[str, type] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if only is not None and ep.name not in only:
            continue
        try:
            cls = ep.load()
        except Exception:  # noqa: BLE001 - a third-party plug-in must not break the audit
            continue
        check_id = getattr(cls, "id", ep.name)
        found[check_id] = cls
    return found


def installed_checks(ids: list[str] | None) -> dict[str, type]:
    """The installed checks, importing only those of `ids` when every one is found by its
    entry-point name (all of them otherwise: a plug-in whose entry-point name is not its id)."""
    installed = available_checks(ids)
    if ids is not None and any(i not in installed for i in ids):
        installed = available_checks()
    return installed


def resolve_checks(ids: list[str] | None, *, skip_missing: bool = False) -> list[type]:
    """The check classes for `ids` (all installed when None), in a stable order; unknown ids are
    a usage error naming the installed ones, or left out with `skip_missing`."""
    installed = installed_checks(ids)
    if ids is None:
        return [installed[k] for k in sorted(installed, key=_order)]
    if skip_missing:
        ids = [i for i in ids if i in installed]
    missing = [i for i in ids if i not in installed]
    if missing:
        raise UsageError(
            f"unknown check {missing[0]!r}; installed: {', '.join(sorted(installed)) or 'none'}"
        )
    return [installed[i] for i in sorted(dict.fromkeys(ids), key=_order)]


def _order(check_id: str) -> tuple[int, str]:
    # links first: other checks may read its results through ctx.results.
    return (0 if check_id == "links" else 1, check_id)
