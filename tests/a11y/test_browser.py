"""The browser layer on the real Chromium: finding it, rendering, the page pool, screenshots, doctor."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from govaudit.browser import BrowserUnavailable, Renderer, RenderError, doctor, find_browser, open_renderer
from govaudit.browser.axe import axe_version, load_axe
from govaudit.config import AuditConfig
from tests.a11y.conftest import Browser
from tests.support.server import LocalServer, page

SCRIPTED = """<!doctype html><html lang="en"><title>shell</title><body><div id="app"></div>
<script>
  document.getElementById('app').innerHTML = '<a href="/made-by-script.html">made by script</a>';
  document.title = 'built';
</script></body></html>"""


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", blob[16:24])


# ---- finding the browser ------------------------------------------------------------------------


def test_explicit_path_that_does_not_exist_says_so_and_how_to_install() -> None:
    with pytest.raises(BrowserUnavailable) as err:
        find_browser("/nonexistent/chromium")
    assert "--browser /nonexistent/chromium: no such file" in str(err.value)
    assert "apt-get install -y chromium" in str(err.value)


def test_environment_variable_comes_after_the_option_and_before_path(tmp_path: Path) -> None:
    real = find_browser()
    assert find_browser(None, {"GOVAUDIT_BROWSER": real}) == real
    with pytest.raises(BrowserUnavailable, match="GOVAUDIT_BROWSER /nope"):
        find_browser(None, {"GOVAUDIT_BROWSER": "/nope"})
    assert find_browser(real, {"GOVAUDIT_BROWSER": "/nope"}) == real  # the option wins


def test_a_directory_or_a_plain_file_is_not_a_browser(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnavailable, match="not an executable"):
        find_browser(str(tmp_path))
    plain = tmp_path / "chromium"
    plain.write_text("not a program")
    with pytest.raises(BrowserUnavailable, match="not an executable"):
        find_browser(str(plain))


def test_nothing_on_path_names_the_names_looked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no chromium anywhere
    with pytest.raises(BrowserUnavailable) as err:
        find_browser(None, {})
    assert "chromium, chromium-browser, google-chrome" in str(err.value)


def test_open_renderer_is_none_without_a_browser_and_lazy_with_one() -> None:
    cfg = AuditConfig()
    cfg.browser.path = "/nonexistent"
    assert open_renderer(cfg) is None
    cfg.browser.path = None
    renderer = open_renderer(cfg)
    assert renderer is not None and not renderer.started  # nothing launched until a page is asked for


def test_a_binary_that_is_not_chromium_fails_once_and_is_remembered(browser: Browser) -> None:
    renderer = Renderer("/bin/false", timeout=5)
    with pytest.raises(BrowserUnavailable, match="cannot start /bin/false"):
        browser.run(renderer.start())
    with pytest.raises(BrowserUnavailable, match="cannot start /bin/false"):
        browser.run(renderer.render("http://127.0.0.1:9/"))
    assert not renderer.started


# ---- rendering ----------------------------------------------------------------------------------


def test_render_returns_the_dom_after_scripts_ran(browser: Browser) -> None:
    with LocalServer({"/": page(SCRIPTED)}) as srv:
        html = browser.run(browser.renderer.render(srv.url("/")))
    assert '<a href="/made-by-script.html">made by script</a>' in html
    assert "<title>built</title>" in html


def test_render_page_follows_a_script_redirect(browser: Browser) -> None:
    routes = {"/": page("<script>location.replace('/there.html')</script>"),
              "/there.html": page("<title>there</title><a href='/x'>x</a>")}
    with LocalServer(routes) as srv:
        shot = browser.run(browser.renderer.render_page(srv.url("/")))
    assert shot.final_url == srv.url("/there.html")
    assert "<title>there</title>" in shot.html


def test_alerts_are_dismissed_not_left_blocking(browser: Browser) -> None:
    html = "<title>a</title><script>alert('欢迎访问'); document.title = 'after alert';</script>"
    with LocalServer({"/": page(html)}) as srv:
        out = browser.run(browser.renderer.render(srv.url("/")))
    assert "after alert" in out


def test_the_gate_refuses_what_robots_would(browser: Browser) -> None:
    async def gate(url: str) -> str | None:
        return "robots" if "/private/" in url else None

    renderer = browser.renderer
    renderer.gate = gate
    try:
        with LocalServer({"/private/a.html": page("<title>secret</title>")}) as srv:
            with pytest.raises(RenderError, match="robots"):
                browser.run(renderer.render(srv.url("/private/a.html")))
            assert srv.log == []  # the browser never asked
    finally:
        renderer.gate = None


def test_an_unreachable_page_is_a_render_error_not_a_crash(browser: Browser) -> None:
    with pytest.raises(RenderError):
        browser.run(browser.renderer.render("http://unreachable.invalid/"))


def test_pages_are_reused_from_the_pool(browser: Browser) -> None:
    import asyncio

    renderer = browser.renderer
    routes = {f"/p{i}.html": page(f"<title>p{i}</title><p>{i}</p>") for i in range(12)}
    with LocalServer(routes) as srv:
        before = renderer.pages_created

        async def all_pages() -> list[str]:
            return await asyncio.gather(*(renderer.render(srv.url(f"/p{i}.html")) for i in range(12)))

        htmls = browser.run(all_pages())
    assert all(f"<title>p{i}</title>" in h for i, h in enumerate(htmls))
    assert renderer.pages_created - before <= renderer.pool  # 12 pages, never more than 4 new tabs


def test_screenshot_is_a_downscaled_full_page_png(browser: Browser) -> None:
    tall = "<title>t</title><body style='margin:0'><div style='height:3000px;background:#c00'>长页面</div></body>"
    with LocalServer({"/": page(tall)}) as srv:

        async def shoot() -> bytes:
            async with browser.renderer.page() as pg:
                await browser.renderer.open(pg, srv.url("/"))
                return await browser.renderer.screenshot(pg, scale=0.5)

        blob = browser.run(shoot())
    width, height = png_size(blob)
    assert width == 640 and height == 1500  # the whole 1280 x 3000 page at half size


# ---- axe and doctor ----------------------------------------------------------------------------


def test_bundled_axe_version_is_read_from_its_banner() -> None:
    assert axe_version(load_axe()) == "4.12.1"


def test_a_user_axe_file_that_is_not_axe_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "axe.min.js"
    fake.write_text("console.log('hello')")
    with pytest.raises(BrowserUnavailable, match="does not look like axe.min.js"):
        load_axe(str(fake))


def test_doctor_reports_the_browser_it_can_launch() -> None:
    rows = {name: (ok, msg) for name, ok, msg in doctor()}
    assert rows["browser"][0] and "chromium" in rows["browser"][1].lower()
    assert rows["browser launch"][0], rows["browser launch"][1]
    assert rows["axe-core"] == (True, "4.12.1 (bundled)")
    assert rows["playwright"][0]


def test_doctor_says_what_is_missing_and_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVAUDIT_BROWSER", "/nonexistent/chromium")
    rows = {name: (ok, msg) for name, ok, msg in doctor()}
    ok, msg = rows["browser"]
    assert not ok and "no such file" in msg and "apt-get install -y chromium" in msg
    assert "browser launch" not in rows
    assert os.environ["GOVAUDIT_BROWSER"] == "/nonexistent/chromium"
