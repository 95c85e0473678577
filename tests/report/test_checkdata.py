"""Check details in the HTML report: each shipped check's data as tables an inspector can act on,
lists counted instead of dumped, bookkeeping folded away, and every site string still only text."""

from __future__ import annotations

from hypothesis import given, settings
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from govaudit.model import CheckResult
from govaudit.report.checkdata import MAX_ROWS, check_data, column_verdict, short_url
from govaudit.report.html import EVIDENCE_SHOWN, render_html
from tests.report.builders import (
    BASE,
    PAYLOADS,
    XSS_IMG,
    XSS_JS,
    XSS_SCRIPT,
    hostile_rich_result,
    rich_result,
)
from tests.report.test_html import _NASTY, PNG_1PX, assert_inert


def table_rows(tree: HTMLParser, block_id: str) -> list[list[str]]:
    block = tree.css_first(f"#{block_id}")
    assert block is not None, block_id
    return [[td.text() for td in tr.css("td")] for tr in block.css("tbody tr")]


def header(tree: HTMLParser, block_id: str) -> list[str]:
    return [th.text() for th in tree.css_first(f"#{block_id}").css("thead th")]


def render_rich() -> tuple[str, HTMLParser]:
    r = rich_result()
    shot = f"{BASE}/xwdt/202611/t20261118_4341.html"
    html = render_html(r, {f"screenshot:{shot}": PNG_1PX})
    return html, assert_inert(html)


def test_freshness_columns_read_as_verdicts() -> None:
    _, tree = render_rich()
    assert header(tree, "data-freshness-columns") == [
        "Column", "Type", "Latest", "Age / limit", "Items", "Verdict", "Date read from", "Found via"]
    rows = table_rows(tree, "data-freshness-columns")
    assert [r[0] for r in rows] == ["政务要闻", "通知公告", "政策文件", "人事信息", "乡镇动态"]
    assert rows[0][2:6] == ["2026-11-18", "4 / 14 d", "20", "up to date; dated in the future: 2026-12-05"]
    assert rows[1][3:6] == ["265 / 183 d", "20", "stale"]
    assert rows[3][5] == "empty (暂无信息)"
    assert rows[4][5] == "not judged: list page unreadable: 404"
    trs = tree.css("#data-freshness-columns tbody tr")
    assert [t.attributes.get("class") for t in trs] == [None, "stale", None, "stale", None]
    assert [td.attributes.get("class") for td in trs[0].css("td")][5] == "bad"  # a future date is a defect
    # The column name links to the column; the list pages it read are not dumped.
    assert trs[1].css_first("a").attributes["href"] == f"{BASE}/tzgg/"
    assert "index_2.html" not in tree.css_first("#data-freshness").text()
    assert "Limits: news 14 d · notice 183 d" in tree.css_first("#data-freshness-columns .src").text()
    # Pages the check decided were not columns: behind a closed <details>, still there.
    skipped = tree.css_first("details#data-freshness-not_columns")
    assert skipped is not None and "open" not in skipped.attributes
    assert "Pages not judged as columns (2)" in skipped.css_first("summary").text()
    assert table_rows(tree, "data-freshness-not_columns")[0][:2] == ["/hdjl/index.html", "互动交流"]
    home = dict(table_rows_kv(tree, "data-freshness-home"))
    assert home == {"Newest dated item": "2026-11-18", "Age / limit": "4 / 14 d", "Updated in time": "✓ yes",
                    "Dates read from": "home (23 dated items)"}


def table_rows_kv(tree: HTMLParser, block_id: str) -> list[tuple[str, str]]:
    return [(tr.css_first("th").text(), tr.css_first("td").text()) for tr in tree.css(f"#{block_id} tr")]


def test_interaction_boards_activities_and_channels() -> None:
    _, tree = render_rich()
    boards = table_rows(tree, "data-interaction-boards")
    assert boards[0] == ["县长信箱", "40", "35", "5", "4", "6 / 46 / 120", "17", "2026-11-13", "2 pages, table"]
    assert boards[1][4:7] == ["0", "3 / 46 / 10", "6"]
    overdue = tree.css("#data-interaction-boards tbody tr")[0].css("td")[4]
    assert overdue.attributes["class"] == "n bad"
    acts = table_rows(tree, "data-interaction-activities")
    assert acts[0] == ["在线访谈", "在线访谈", "4", "5", "2026-10-30", "ok"]
    assert acts[1][5] == "unreadable: the list is drawn by a script"
    chans = table_rows(tree, "data-interaction-channels")
    assert chans[1] == ["网上信访（旧系统）", "excluded", "/hdjl/index.html", "found by text"]
    rules = dict(table_rows_kv(tree, "data-interaction-window"))
    assert rules["Reply limit"] == "3 calendar months (≈ 90 days)"
    assert rules["Channels searched for on"] == "/ /hdjl/index.html"


def test_identity_marks_are_a_checklist() -> None:
    _, tree = render_rich()
    marks = table_rows(tree, "data-identity-footer")
    assert marks[0] == ["网站标识码 (site ID code)", "✓ shown", "3611230001", "–", "✓ valid", "text"]
    assert marks[1][:4] == ["ICP 备案编号", "✓ shown", "赣ICP备20260001号-1", "✗ not linked"]
    assert marks[2][:3] == ["公安机关备案标识", "✗ missing", "–"]
    missing = tree.css("#data-identity-footer tbody tr")[2].css("td")[1]
    assert missing.attributes["class"] == "bad"
    conac = tree.css("#data-identity-footer tbody tr")[3].css_first("a")
    assert conac.attributes["href"] == "https://bszs.conac.cn/sitename?method=show&id=5B8E"
    site = {r[0]: r[1:] for r in table_rows(tree, "data-identity-site")}
    assert site["Government domain"] == ["✓ official", "www.qingshan.gov.cn (from SiteDomain meta)"]
    assert site["Search answers a query"] == ["✗ does not", "the results page is the same whatever is searched for"]
    assert site["HTTPS"] == ["✗ no", "tls: wrong version number"]
    assert site["IPv6 (AAAA)"] == ["✗ none", "127.0.0.1: no address"]
    assert site["sitemap.xml"] == ["✗ no", "status 404"]
    assert "HSTS" not in site  # no HTTPS: nothing to say about HSTS or the certificate
    us = tree.css_first("details#data-identity-us")
    assert us is not None and "open" not in us.attributes
    # An audit by IP address cannot judge IPv6: the metric is None and the checklist says so.
    r = rich_result()
    r.checks["identity"].metrics["ipv6"] = None
    r.checks["identity"].data["ipv6"]["error"] = "127.0.0.1 is an address, not a name"
    site = {row[0]: row[1:] for row in table_rows(HTMLParser(render_html(r)), "data-identity-site")}
    assert site["IPv6 (AAAA)"] == ["– not judged", "127.0.0.1 is an address, not a name"]


def test_accessibility_rules_pages_and_screenshots_link_up() -> None:
    _, tree = render_rich()
    rules = table_rows(tree, "data-accessibility-rules")
    assert rules[0] == ["image-alt", "critical", "A", "1.1.1 Non-text Content (A)",
                        "GB/T 37668-2019 可感知性 › 文本替代 (WCAG 1.1.1) (一级)", "1", "1", "1",
                        "Images must have alternative text"]
    rule_link = tree.css_first("#data-accessibility-rules a")
    assert rule_link.attributes["href"] == "#f-9" and tree.css_first("tr#f-9") is not None
    assert tree.css("#data-accessibility-rules tbody tr")[1].css_first("a") is None  # no finding to point at
    pages = table_rows(tree, "data-accessibility-pages")
    assert pages[0][:7] == ["/", "/", "home", "1", "0", "0", "–"]
    view = tree.css("#data-accessibility-pages tbody tr")[1].css("a")[-1]
    assert view.text() == "view" and tree.css_first(view.attributes["href"]).tag == "figure"
    # The finding's screenshot evidence points at the same embedded image.
    shot_link = [a for a in tree.css("tr#f-9 a") if a.text() == "see the screenshot"]
    assert shot_link and shot_link[0].attributes["href"] == view.attributes["href"]
    elderly = table_rows(tree, "data-accessibility-elderly")
    assert [r[1] for r in elderly] == ["✓ pass", "✗ fail"]
    assert "needs_review" not in render_html(rich_result())  # an empty list is left out, not an empty table
    assert "open" not in tree.css_first("details#data-accessibility-templates").attributes


def test_finding_evidence_is_short() -> None:
    _, tree = render_rich()
    row = tree.css_first("tr#f-9")
    shown = [dt.text() for dt in row.css("td > dl.ev > dt")]
    folded = [dt.text() for dt in row.css("details.ev dt")]
    # Empty values (gbt_level "", wcag_titles []) say nothing and are left out.
    assert "gbt_level" not in shown + folded and "wcag_titles" not in shown + folded
    assert len(shown) == EVIDENCE_SHOWN and shown[:3] == ["selector", "html", "impact"]
    assert "open" not in row.css_first("details.ev").attributes
    pages = next(dd for dt, dd in zip(row.css("dt"), row.css("dd"), strict=True) if dt.text() == "pages")
    assert pages.text().endswith("… (7 in all)") and pages.text().count("http") == 5
    help_link = [a.attributes["href"] for a in row.css("dd a")]
    assert "https://dequeuniversity.com/rules/axe/4.12/image-alt" in help_link


def test_content_and_availability() -> None:
    _, tree = render_rich()
    content = dict(table_rows_kv(tree, "data-content-summary"))
    assert content["Misstatement dictionary"] == "35 entries from checks/content/misstatements.yaml"
    assert content["Misstatements"] == "1 (+ 0 for a human review)"
    days = table_rows(tree, "data-availability-samples_by_day")
    assert days == [["2026-11-21", "24", "3", "12.5 %", "✓ yes"], ["2026-11-22", "2", "0", "0.0 %", "✗ no"]]


def test_indicator_notes() -> None:
    _, tree = render_rich()
    rows = {r.css_first(".mono").text(): r for r in tree.css("#indicators tbody tr")}
    note = rows["cn.info.accessibility"].css_first("div.note")
    assert note.text() == "Note: axe-core stands in for the standard"
    assert rows["cn.veto.interaction"].css_first(".note") is None  # no note in the profile: nothing shown
    r = rich_result()
    r.scored.indicators[0].note = "As written in the official text."
    tree = HTMLParser(render_html(r))
    folded = tree.css("#indicators tbody tr")[0].css_first("details.note")
    assert folded is not None and "As written in the official text." in folded.text()


def test_unknown_check_data_gets_a_generic_table() -> None:
    r = rich_result()
    r.checks["extra"] = CheckResult("ok", None, {}, [], {
        "things": [{"name": "甲", "url": f"{BASE}/a/", "values": list(range(40)), "n": 3},
                   {"name": "乙", "url": f"{BASE}/b/", "values": [1, 2], "n": None}],
        "empty": [], "nothing": None, "label": "值", "where": f"{BASE}/c/"})
    tree = HTMLParser(render_html(r))
    assert header(tree, "data-extra-things") == ["name", "values", "n"]  # the name links; no address column
    rows = table_rows(tree, "data-extra-things")
    assert rows == [["甲", "40 values", "3"], ["乙", "1, 2", "–"]]
    assert tree.css_first("#data-extra-things a").attributes["href"] == f"{BASE}/a/"
    other = dict(table_rows_kv(tree, "data-extra-other"))
    assert other == {"label": "值", "where": "/c/"}


def test_long_tables_are_cut_with_a_count() -> None:
    r = rich_result()
    r.checks["freshness"].data["not_columns"] = [
        {"url": f"{BASE}/p{i}.html", "name": f"页{i}", "reason": "an article page"} for i in range(MAX_ROWS + 3)]
    tree = HTMLParser(render_html(r))
    block = tree.css_first("#data-freshness-not_columns")
    assert len(block.css("tbody tr")) == MAX_ROWS
    assert block.css_first(".cut").text() == "3 more rows are in report.json."


def test_short_urls_and_verdicts() -> None:
    assert short_url(f"{BASE}/a/b.html?x=1", BASE) == "/a/b.html?x=1"
    assert short_url(f"{BASE}", BASE) == "/"
    assert short_url("http://other.invalid/x", BASE) == "http://other.invalid/x"
    assert short_url(f"{BASE}evil.invalid/", BASE) == f"{BASE}evil.invalid/"  # a longer port is not the site
    assert len(short_url("http://other.invalid/" + "x" * 200, BASE)) == 70
    assert column_verdict({"stale": True, "no_dates": True}) == ("stale: no dates read", "bad")
    assert column_verdict({"stale": True, "long_stale": True}) == ("stale for over a year", "bad")
    assert column_verdict({"stale": False, "threshold_days": None}) == ("no limit for this type", "muted")
    assert [d.id for d in check_data(rich_result())] == [
        "freshness", "interaction", "identity", "content", "accessibility", "availability"]


def test_hostile_strings_in_every_new_table_stay_text() -> None:
    r = hostile_rich_result()
    html = render_html(r, {f"screenshot:{XSS_JS}": PNG_1PX})
    tree = assert_inert(html)
    for payload in PAYLOADS[:2]:
        assert payload not in html
    assert "<img src=x" not in html
    details = tree.css_first("#check-data")
    shown = details.text()
    for block, payload in (("data-freshness-columns", XSS_IMG), ("data-freshness-not_columns", XSS_SCRIPT),
                           ("data-interaction-activities", XSS_SCRIPT), ("data-interaction-channels", XSS_IMG),
                           ("data-identity-footer", XSS_SCRIPT), ("data-identity-site", XSS_SCRIPT),
                           ("data-accessibility-rules", XSS_SCRIPT), ("data-accessibility-elderly", XSS_SCRIPT),
                           ("data-accessibility-needs_review", XSS_IMG), ("data-links-soft_404_fingerprints",
                                                                           XSS_SCRIPT),
                           ("data-extra-things", XSS_SCRIPT), ("data-availability-samples_by_day", XSS_IMG)):
        assert payload in tree.css_first(f"#{block}").text(), block
    assert XSS_SCRIPT in shown and XSS_IMG in shown
    # Non-http addresses are marked text, never links, wherever they appear.
    nolinks = {n.attributes.get("title", "") for n in details.css(".nolink")}
    assert f"not an http(s) address: {XSS_JS}" in nolinks
    conac = tree.css("#data-identity-footer tbody tr")[3]
    assert "javascript:alert(1)//https://bszs.conac.cn/" in conac.text() and conac.css("a") == []
    hrefs = [a.attributes["href"] for a in tree.css("a")]
    assert all(h.startswith(("http://", "https://", "#")) for h in hrefs)
    assert all(not h.startswith("#") or tree.css_first(_id_selector(h)) is not None for h in hrefs)
    note = [n for n in tree.css("#indicators .note") if XSS_SCRIPT in n.text()]
    assert note


def _id_selector(href: str) -> str:
    return "#" + "".join(c if c.isalnum() or c in "-_" else f"\\{c}" for c in href[1:])



@settings(max_examples=40, deadline=None)
@given(text=_NASTY, url=_NASTY)
def test_any_site_text_in_check_details_stays_inert(text: str, url: str) -> None:
    r = rich_result()
    fresh = r.checks["freshness"].data
    fresh["not_columns"][0].update({"name": text, "url": url})
    fresh["columns"][2]["future_dates"] = [text]
    inter = r.checks["interaction"].data
    inter["boards"][0].update({"name": text, "url": url})
    inter["channels"][0]["found_on"] = url
    ident = r.checks["identity"].data
    ident["footer"]["icp"]["value"] = text
    ident["search"]["probe"].update({"url": url, "reason": text})
    a11y = r.checks["accessibility"].data
    a11y["rules"][0]["help"] = text
    a11y["pages"][1]["page"] = url
    r.checks["accessibility"].findings[0].evidence.update({"help_url": url, "screenshot": text, text: [url, text]})
    r.checks["extra"] = CheckResult("ok", None, {}, [], {text: [{"name": text, "url": url}], "k": url})
    assert_inert(render_html(r, {f"screenshot:{url}": PNG_1PX}))
