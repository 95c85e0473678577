"""Issue 12 item 10 in headless Chromium: the report at 800 px and printed on A4 cuts no column, and
screenshots carry a caption (rule, page) and mark the offending element when the evidence says where.

Chromium is Debian's, driven by Playwright through executable_path (../shared/notes/browser.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govaudit.model import AuditResult, Finding
from govaudit.report.html import render_html
from tests.report.builders import BASE, rich_result
from tests.report.test_explains_itself import footer_result
from tests.report.test_html import PNG_1PX

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
A4_CONTENT_PX = 718  # 210 mm less the print CSS's 2 x 10 mm margins, at 96 px per inch
# Every element inside a table wrapper whose right edge passes the wrapper's: a clipped column.
_CLIPPED = """() => {
  const out = [];
  for (const wrap of document.querySelectorAll('.tablewrap')) {
    const edge = wrap.getBoundingClientRect().right + 0.5;
    if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(['scroll', wrap.querySelector('table').className,
                                                          wrap.scrollWidth, wrap.clientWidth]);
    for (const el of wrap.querySelectorAll('th, td, td *')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > edge) out.push([el.tagName, el.textContent.slice(0, 40), box.right, edge]);
    }
  }
  return out.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.a11y.conftest import chromium

    path = chromium()  # no browser fails the test (as every browser test does), never skips it
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=LAUNCH_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def wide_result() -> AuditResult:
    """The rich county portal plus a footer link broken on 30 pages and long unbroken site text."""
    r = rich_result()
    grouped = footer_result()
    r.checks["links"].findings += grouped.checks["links"].findings[6:]
    other = {i.id: i for i in r.scored.indicators}.get("cn.deduct.links.other")
    if other is not None:
        other.findings += [f.id for f in grouped.checks["links"].findings[6:]]
    r.scored.indicators[0].detail += " " + "x" * 300  # one unbroken word longer than any column
    return r


def open_report(browser: Any, tmp_path: Path, html: str, width: int, media: str = "screen") -> Any:
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.emulate_media(media=media)
    target = tmp_path / "report.html"
    target.write_text(html, encoding="utf-8")
    page.goto(target.as_uri(), wait_until="load")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    return page


def test_the_indicator_table_fits_at_800_px(browser: Any, tmp_path: Path) -> None:
    page = open_report(browser, tmp_path, render_html(wide_result()), 800)
    try:
        page.locator("#indicators").screenshot(path=str(tmp_path / "indicators-800.png"))
        assert (tmp_path / "indicators-800.png").stat().st_size > 1000
        assert page.evaluate(_CLIPPED) == []
        cols = page.eval_on_selector_all("#indicators thead th", "ths => ths.map(t => t.getBoundingClientRect().right)")
        assert len(cols) == 7 and max(cols) <= 800
    finally:
        page.close()


def test_it_prints_on_a4_without_cutting_columns(browser: Any, tmp_path: Path) -> None:
    html = render_html(wide_result())
    page = open_report(browser, tmp_path, html, A4_CONTENT_PX, media="print")
    try:
        assert page.evaluate(_CLIPPED) == []
        right = page.evaluate("() => Math.max(...[...document.querySelectorAll('table')].map("
                              "t => t.getBoundingClientRect().right))")
        assert right <= A4_CONTENT_PX
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.close()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    boxes = {tuple(float(v) for v in m.split()) for m in re.findall(rb"/MediaBox ?\[([^\]]*)\]", pdf)}
    assert boxes and all(b[2] == pytest.approx(595.3, abs=1) and b[3] == pytest.approx(841.9, abs=1.5)
                         for b in boxes)  # every page A4 portrait, in points
    (tmp_path / "report.pdf").write_bytes(pdf)


def test_screenshots_carry_a_caption_and_mark_the_element(browser: Any, tmp_path: Path) -> None:
    r = rich_result()
    shot = f"{BASE}/xwdt/202611/t20261118_4341.html"
    r.checks["links"].findings.append(Finding(
        "elderly-popup", shot, "a floating window covers 30 % of the page", "error",
        evidence={"selector": "#float-ad", "box": [100, 50, 300, 200], "viewport": [1000, 800]}, id="f-300"))
    page = open_report(browser, tmp_path, render_html(r, {f"screenshot:{shot}": PNG_1PX}), 800)
    try:
        fig = page.locator("#screenshots figure").first
        caption = " ".join(fig.locator("figcaption").inner_text().split())
        assert f"Page {shot}" in caption and "elderly-popup at #float-ad (marked)" in caption
        img, mark = fig.locator("img").bounding_box(), fig.locator(".mark").bounding_box()
        assert img is not None and mark is not None
        assert mark["x"] == pytest.approx(img["x"] + img["width"] * 0.1, abs=4)
        assert mark["width"] == pytest.approx(img["width"] * 0.3, abs=6)
    finally:
        page.close()


def test_one_board_is_one_board() -> None:
    from tests.report.builders import build_result

    r = build_result()
    r.checks["interaction"].data["boards"] = r.checks["interaction"].data["boards"][:1]
    html = render_html(r)
    assert "reply delays (1 board)" in html and "1 boards" not in html


def test_a_popup_box_is_marked_from_the_image_shape(browser: Any, tmp_path: Path) -> None:
    import struct
    import zlib

    def png(w: int, h: int) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        raw = b"".join(b"\x00" + b"\xff" * (w * 3) for _ in range(h))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    r = rich_result()
    shot = f"{BASE}/"
    # a 1280 x 1600 CSS px page shot at half scale: 640 x 800 px; the pop-up at (640, 400), 320 x 400
    r.checks["links"].findings.append(Finding(
        "elderly:popup", shot, "a pop-up appeared", "error",
        evidence={"selector": "#pop", "popups": [{"selector": "#pop", "box": [640, 400, 320, 400]}]}, id="f-301"))
    page = open_report(browser, tmp_path, render_html(r, {f"screenshot:{shot}": png(640, 800)}), 800)
    try:
        fig = page.locator("#screenshots figure", has=page.locator(".mark")).first
        img, mark = fig.locator("img").bounding_box(), fig.locator(".mark").bounding_box()
        assert img is not None and mark is not None
        assert (mark["x"] - img["x"]) / img["width"] == pytest.approx(0.5, abs=0.02)
        assert (mark["y"] - img["y"]) / img["height"] == pytest.approx(0.25, abs=0.02)
        assert mark["height"] / img["height"] == pytest.approx(0.25, abs=0.03)
    finally:
        page.close()
