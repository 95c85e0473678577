"""The HTML report is one self-contained, script-free file in which site text is only ever text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from govaudit.model import AuditResult
from govaudit.report.html import CSP, render_html
from tests.report.builders import PAYLOADS, XSS_IMG, XSS_SCRIPT, build_result

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def assert_inert(html: str) -> HTMLParser:
    """No way for the document to run code or fetch anything, whatever the site sent."""
    tree = HTMLParser(html)
    assert tree.css("script") == []
    for tag in ("iframe", "object", "embed", "base", "form", "link", "foreignObject", "use"):
        assert tree.css(tag) == [], tag
    for node in tree.root.traverse():
        for name, value in (node.attributes or {}).items():
            assert not name.lower().startswith("on"), (node.tag, name, value)
            if name.lower() in ("href", "xlink:href"):
                assert value is not None and (re.match(r"^https?://", value) or value.startswith("#")), value
            if name.lower() in ("src", "srcset", "action", "formaction", "poster", "data"):
                assert value is not None and value.startswith("data:image/"), (node.tag, name, value)
            if name.lower() == "style":
                assert "url(" not in (value or "") and "expression" not in (value or "")
    metas = tree.css('meta[http-equiv="Content-Security-Policy"]')
    assert len(metas) == 1 and metas[0].attributes["content"] == CSP
    head = [n.tag for n in tree.head.iter()]
    assert head[:2] == ["meta", "meta"]  # charset first, then the policy, before anything it governs
    return tree


def test_report_content(result: AuditResult) -> None:
    html = render_html(result)
    tree = assert_inert(html)
    assert html.startswith("<!DOCTYPE html>")
    assert tree.css_first("meta[charset]").attributes["charset"] == "utf-8"
    assert tree.css_first("h1").text() == "某某县人民政府"
    assert tree.css_first("header .site-url a").attributes["href"] == "http://127.0.0.1:8080/"
    assert "2026-11-22 09:00:00 +08:00 → 2026-11-22 09:00:38 +08:00" in tree.css_first("header").text()
    assert tree.css_first(".scorecard .grade").text() == "不合格"
    assert "fail" in tree.css_first(".scorecard").attributes["class"]
    veto = tree.css_first(".veto")
    assert "cn.veto.interaction" in veto.text() and "互动回应差" in veto.text()
    # Indicator table: one row per indicator, each with findings linking to its group.
    rows = tree.css("#indicators tbody tr")
    assert len(rows) == len(result.scored.indicators)
    assert "veto-row" in rows[0].attributes["class"]
    home_link = rows[2].css_first("a[href^='#']")
    assert home_link.text() == "3 findings"
    group = tree.css_first(home_link.attributes["href"].replace(".", r"\."))
    assert [r.attributes["id"] for r in group.css("tr.finding")] == ["f-1", "f-2", "f-3"]
    assert rows[2].css_first(".vbadge").text() == "unverified"
    assert "国办秘函〔2019〕19号" in rows[2].text()
    # Evidence: page -> target as links, status and element shown.
    f1 = tree.css_first("tr#f-1")
    assert [a.attributes["href"] for a in f1.css("a")] == [
        "http://127.0.0.1:8080/", "http://127.0.0.1:8080/a/missing.html"]
    assert "404" in f1.text() and "<a>" in f1.text() and "通知公告" in f1.text()
    # Findings no indicator cites (f-8, the stale column) are listed too.
    other = tree.css_first("#other-findings")
    assert [r.attributes["id"] for r in other.css("tr.finding")] == ["f-8"]
    # Every finding appears, each id exactly once.
    ids = [n.attributes["id"] for n in tree.css("tr.finding[id]")]
    assert sorted(ids, key=lambda s: int(s[2:])) == [f"f-{i}" for i in range(1, 9)]
    # The skipped check says why.
    assert "no browser available (install chromium)" in tree.css_first("#checks").text()


def test_charts_are_inline_svg(result: AuditResult) -> None:
    tree = HTMLParser(render_html(result))
    figs = {f.css_first("figcaption").text(): f for f in tree.css("figure.chart")}
    by_status = figs["links: broken links by status"]
    labels = [t.text() for t in by_status.css("text.lbl")]
    assert labels == ["404", "500", "dns", "soft-404", "timeout"]
    widths = [float(r.attributes["width"]) for r in by_status.css("rect:not(.track)")]
    assert widths[0] == 2 * widths[1]  # 404 has two, the others one
    by_el = figs["links: broken links by element"]
    assert [t.text() for t in by_el.css("text.lbl")] == ["<a>", "<img>", "<script>"]
    fresh = figs["freshness: age of newest item per column"]
    assert [t.text() for t in fresh.css("text.lbl")] == ["政务要闻", "通知公告", "政策文件", "人事信息"]
    fills = [r.attributes["fill"] for r in fresh.css("rect:not(.track)")]
    assert fills == ["#1b7f3b", "#b42318", "#1b7f3b", "#98a2b3"]  # ok, stale, ok, empty
    assert len(fresh.css("line.marker")) == 4
    hist = figs["interaction: reply delays (2 boards)"]
    counts = sum(int(t.text().rsplit(": ", 1)[1]) for t in hist.css("g > title"))
    assert counts == 17 + 6
    assert hist.css_first("text.limit-lbl").text() == "limit 90 d"
    assert "2 over the limit" in hist.css_first(".legend").text()  # 95 and 120 days
    # Data tables for list-of-dict check data.
    col_rows = tree.css("#data-freshness table")[0].css("tbody tr")
    assert len(col_rows) == 4 and "stale" in col_rows[1].attributes["class"]


def test_hostile_site_text_stays_text(hostile: AuditResult) -> None:
    html = render_html(hostile)
    tree = assert_inert(html)
    for payload in PAYLOADS[:2]:
        assert payload not in html
    assert 'href="javascript:' not in html.lower()
    assert "<img src=x" not in html
    # ...and the reader still sees exactly what the site sent.
    assert tree.css_first("h1").text() == hostile.site_title
    assert tree.css_first("title").text() == f"Inspection report — {hostile.site_title}"
    assert XSS_SCRIPT in tree.css_first("#indicators").text() or XSS_IMG in tree.css_first("#indicators").text()
    f1 = tree.css_first("tr#f-1")
    assert f1.css_first(".nolink").text() == "javascript:alert(1)"
    assert f1.css("a") and all(a.attributes["href"].startswith("http") for a in f1.css("a"))
    for fid, raw in (("f-2", "JaVaScRiPt:alert(1)"), ("f-3", " javascript:alert(1)"),
                     ("f-4", "data:text/html,<script>alert(1)</script>")):
        assert tree.css_first(f"tr#{fid} .nolink").text() == raw
    assert tree.css_first("tr#f-6 .nolink").text() == "vbscript:msgbox(1)"
    f5_links = [a.attributes["href"] for a in tree.css_first("tr#f-5").css("a")]
    assert 'http://127.0.0.1:8080/x"><script>alert(1)</script>' in f5_links  # one attribute value, quoted
    assert XSS_SCRIPT in tree.css_first("#links-charts").text()
    fresh = tree.css_first("#data-freshness")
    assert XSS_SCRIPT in [t.text() for t in fresh.css("text.lbl")] + [n.text() for n in fresh.css("td")]


def test_screenshots_embed_as_data_uris_and_nothing_else(result: AuditResult) -> None:
    assets = {
        "screenshot:http://127.0.0.1:8080/": PNG_1PX,
        "screenshot:javascript:alert(1)": PNG_1PX,
        "screenshot:http://127.0.0.1:8080/x.svg": b"<svg onload=alert(1)>",
    }
    html = render_html(result, assets)
    tree = assert_inert(html)
    imgs = tree.css("#screenshots img")
    assert len(imgs) == 2
    assert all(i.attributes["src"].startswith("data:image/png;base64,iVBORw0KGgo") for i in imgs)
    assert "onload" not in html
    assert "Not embedded" in tree.css_first("#screenshots").text()


def test_rendering_is_deterministic(result: AuditResult) -> None:
    assert render_html(result) == render_html(build_result())


def test_long_groups_are_cut_with_a_count(result: AuditResult) -> None:
    from govaudit.model import Finding
    from govaudit.report import html as html_mod

    links = result.checks["links"]
    for i in range(html_mod.MAX_FINDINGS_PER_GROUP + 5):
        links.findings.append(Finding("broken-link", "http://127.0.0.1:8080/", f"坏链 {i}", id=f"f-{100 + i}"))
        result.scored.indicators[3].findings.append(f"f-{100 + i}")
    tree = HTMLParser(render_html(result))
    group = tree.css_first("#ind-cn\\.deduct\\.links\\.other")
    assert len(group.css("tr.finding")) == html_mod.MAX_FINDINGS_PER_GROUP
    assert group.css_first(".cut").text().startswith("8 more findings")


_PIECES = list("<>\"'&=/ :;()`\\\n\t\x00aijvscrptonerlx1#") + [
    "javascript:", "<script>", "onerror=", "<svg", "&#x3c;", "</title>", "\u2028", "-->", "<!--", "]]>"]
_NASTY = st.lists(st.sampled_from(_PIECES), max_size=24).map("".join)


@settings(max_examples=60, deadline=None)
@given(title=_NASTY, message=_NASTY, target=_NASTY, column=_NASTY)
def test_any_site_text_stays_inert(title: str, message: str, target: str, column: str) -> None:
    r = build_result()
    r.site_title = title
    f = r.checks["links"].findings[0]
    f.message, f.target, f.evidence = message, target, {title: message}
    r.checks["freshness"].data["columns"][0]["name"] = column
    r.checks["freshness"].data["columns"][0]["url"] = target
    assert_inert(render_html(r))
