"""Site text in the HTML report never runs (issue #7, section 4).

A site whose titles, link texts, attribute values and URLs carry <script>, "><img onerror=…>,
javascript: and similar payloads is audited by the real CLI; report.html is then opened in
headless Chromium (the system browser, through Playwright). Every payload, if it ran, would open
a dialog and ask a canary server for a URL naming itself. The test asserts no dialog opened, no
request left the page (only the report's own file: and data: URLs), the canary heard nothing,
and the payloads are on the page as visible text (so they were escaped, not dropped).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govaudit.browser.locate import find_browser
from tests.hostile.runner import CliRun, run_cli
from tests.support.server import LocalServer, page, status

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def payloads(canary: str) -> dict[str, str]:
    """name -> payload; each one, if it ran, alerts its name and requests canary/<name>."""
    act = "alert(`{n}`);fetch(`{c}/{n}`)"  # backquotes: the payload fits in '- and "-quoted attributes
    return {
        n: p.format(n=n, c=canary, act=act.format(n=n, c=canary))
        for n, p in {
            "script": "<script>{act}</script>",
            "img": '"><img src={c}/{n} onerror="{act}">',
            "svg": "<svg/onload={act}>",
            "js-url": "javascript:{act}",
            "iframe": "<iframe src=javascript:{act}></iframe>",
            "style": "</style><script>{act}</script>",
            "attr": "' onmouseover='{act}' x='",
            "comment": "--><script>{act}</script><!--",
        }.items()
    }


def hostile_site(canary: str) -> dict[str, object]:
    pl = payloads(canary)
    title = pl["script"] + pl["img"]
    links = "".join(f'<a href="/missing-{i}.html?q={pl[name]}" title="{pl["attr"]}">{pl[name]}</a>\n'
                    for i, name in enumerate(pl))
    # Raw (unescaped) payloads inside attributes and as link targets, as a careless CMS writes them.
    raw = (f"<a href='/gone.html'>{pl['script']}</a>"
           f"<a href=\"javascript:{pl['js-url']}\">js</a>"
           f"<img src=\"/missing.png\" alt='{pl['img']}'>"
           f"<a href='/missing\"><script>{pl['script']}</script>.html'>quoted</a>"
           f"<a href=\"/p/{pl['svg']}\">svg</a>")
    return {
        "/": page(f"<title>{title}</title><h1>{pl['svg']}</h1>{links}{raw}"
                  f'<a href="/inner.html">inner</a>'),
        "/inner.html": page(f"<title>{pl['style']}</title><a href=\"/missing-inner.html\">{pl['comment']}</a>"
                            f"<a href=\"/x.html\">{pl['iframe']}</a>"),
        "/gone.html": status(410),
    }


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CliRun, LocalServer]]:
    tmp = tmp_path_factory.mktemp("safety")
    with LocalServer() as canary:
        with LocalServer(hostile_site(canary.base)) as site:  # type: ignore[arg-type]
            # The link check leaves the canary alone: any request it gets comes from a payload.
            cfg = tmp / "govaudit.toml"
            cfg.write_text(f'[checks.links]\nexclude = ["^{canary.base}"]\n', encoding="utf-8")
            run = run_cli(["audit", site.url("/"), "--checks", "links,identity,content,freshness",
                           "--format", "json,html,md", "--as-of", "2026-11-22", "--delay", "0",
                           "--timeout", "3", "--concurrency", "8", "--host-concurrency", "8",
                           "--config", str(cfg)], tmp, name="safety", limit_s=120)
        yield run, canary


def test_the_audit_ran_and_reported_the_payload_links(audited: tuple[CliRun, LocalServer]) -> None:
    run, canary = audited
    assert run.code in (0, 1), run.stderr
    run.assert_clean_stderr(max_lines=0)
    html = (run.out / "report.html").read_text(encoding="utf-8")
    assert len(run.findings()) >= 8
    assert "onerror" in html  # the payloads are in the report, as text
    assert canary.log == []  # auditing never executes page scripts


@dataclass
class Observed:
    dialogs: list[str]
    requests: list[str]
    errors: list[str]
    text: str
    hrefs: list[str]

    @property
    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file://", "data:", "blob:", "about:"))]


def open_in_browser(html_file: Path) -> Observed:
    """Load a file in headless Chromium, hover/focus everything, and record what happened."""
    from playwright.sync_api import sync_playwright

    seen = Observed([], [], [], "", [])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS, headless=True)
        try:
            tab = browser.new_context(java_script_enabled=True).new_page()
            tab.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
            tab.on("request", lambda r: seen.requests.append(r.url))
            tab.on("pageerror", lambda e: seen.errors.append(str(e)))
            tab.goto(html_file.resolve().as_uri(), wait_until="load")
            # Open every collapsed part, and hover and focus every element: handlers bound to user
            # events (onmouseover, onfocus) get their chance too.
            tab.evaluate("""() => {
                document.querySelectorAll('details').forEach(d => d.open = true);
                for (const el of document.querySelectorAll('body *')) {
                    for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart']) {
                        el.dispatchEvent(new Event(type, {bubbles: true}));
                    }
                }
            }""")
            tab.wait_for_timeout(500)
            seen.text = tab.inner_text("body")
            seen.hrefs = tab.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        finally:
            browser.close()
    return seen


def test_the_html_report_runs_nothing_and_requests_nothing(audited: tuple[CliRun, LocalServer]) -> None:
    run, canary = audited
    seen = open_in_browser(run.out / "report.html")
    assert seen.dialogs == []
    assert seen.outside == []
    assert canary.log == []
    assert seen.errors == []
    assert not [h for h in seen.hrefs if h.strip().lower().startswith(("javascript:", "vbscript:", "data:text"))]
    # Escaped, not dropped: the reader sees what the site wrote.
    assert "<script>alert(`script`)" in seen.text
    assert "onerror=" in seen.text


def test_the_harness_catches_an_unescaped_payload(tmp_path: Path) -> None:
    """Control: the same payloads pasted raw into a page do run, and the harness sees it."""
    with LocalServer() as canary:
        pl = payloads(canary.base)
        unsafe = tmp_path / "unsafe.html"
        unsafe.write_text(f"<html><body><p>{pl['script']}</p><p>{pl['img']}</p><p title='{pl['attr']}'>x</p></body></html>",
                          encoding="utf-8")
        seen = open_in_browser(unsafe)
    assert {"script", "img", "attr"} <= set(seen.dialogs)
    assert any(u.startswith(canary.base) for u in seen.outside)
