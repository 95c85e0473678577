"""axe-core: where the script comes from, which version it is, and how one page is tested.

The script is the axe.min.js bundled by axe-playwright-python (a maintained package), or a newer
one the user names with --axe-js. Results are trimmed inside the page (a portal can have thousands
of failing nodes) so only what a report shows crosses the wire.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from govaudit.browser.locate import BrowserUnavailable

_VERSION_RE = re.compile(r"axe v?(\d+\.\d+\.\d+[\w.-]*)")
MAX_NODES = 20  # nodes kept per rule and page; the count keeps the true total
HTML_CAP = 400  # characters of each node's outer HTML kept as evidence


@cache
def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def bundled_axe_path() -> Path:
    """axe.min.js inside axe-playwright-python, or BrowserUnavailable when it is not installed."""
    try:
        return Path(str(files("axe_playwright_python").joinpath("axe.min.js")))
    except ModuleNotFoundError:
        raise BrowserUnavailable(
            "axe-core is missing: pip install 'axe-playwright-python>=0.1.8,<0.2'") from None


def load_axe(path: str | None = None) -> str:
    """The axe-core source to inject: the user's file when given, else the bundled one."""
    target = Path(path) if path else bundled_axe_path()
    try:
        text = _read(str(target))
    except OSError as exc:
        raise BrowserUnavailable(f"cannot read axe-core script {target}: {exc.strerror or exc}") from None
    if "axe" not in text[:2000] or len(text) < 10_000:
        raise BrowserUnavailable(f"{target} does not look like axe.min.js")
    return text


def axe_version(script: str) -> str:
    """The version in axe.min.js's licence banner ("4.12.1"), or "" when it has none."""
    m = _VERSION_RE.search(script[:500])
    return m.group(1) if m else ""


# Runs in the page: inject-once guard, then axe.run, then trim. Targets inside iframes or shadow
# roots are arrays of selectors; they are joined with " >>> " so evidence stays one string.
RUN_JS = """
async ([options, maxNodes, htmlCap]) => {
  const sel = (t) => (Array.isArray(t) ? t.map(sel).join(" >>> ") : String(t));
  const trim = (items) => items.map((r) => ({
    id: r.id, impact: r.impact, tags: r.tags, help: r.help, helpUrl: r.helpUrl,
    description: r.description, node_count: r.nodes.length,
    nodes: r.nodes.slice(0, maxNodes).map((n) => ({
      target: sel(n.target), html: (n.html || "").slice(0, htmlCap), impact: n.impact,
      summary: (n.failureSummary || "").slice(0, 600),
    })),
  }));
  const res = await axe.run(document, options);
  return {
    version: res.testEngine.version, url: res.url,
    violations: trim(res.violations), incomplete: trim(res.incomplete || []),
  };
}
"""

DEFAULT_OPTIONS: dict[str, Any] = {
    "resultTypes": ["violations", "incomplete"],
    "iframes": True,
}


def run_options(tags: list[str] | None = None, rules: dict[str, bool] | None = None) -> dict[str, Any]:
    """axe.run options: axe's default rule set unless `tags` narrows it; `rules` turns rules on/off."""
    opts = dict(DEFAULT_OPTIONS)
    if tags:
        opts["runOnly"] = {"type": "tag", "values": list(tags)}
    if rules:
        opts["rules"] = {rid: {"enabled": bool(on)} for rid, on in rules.items()}
    return opts
