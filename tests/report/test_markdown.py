"""Markdown: site text can never become markup, HTML or a non-http link, in any CommonMark renderer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

from govaudit.model import AuditResult, Finding
from govaudit.report.markdown import (
    MAX_FINDINGS_PER_INDICATOR,
    MAX_TABLE_ROWS,
    md_escape,
    md_link,
    render_markdown,
)
from tests.report.builders import XSS_IMG, XSS_JS, XSS_SCRIPT, hostile_rich_result, rich_result

# html=True: like GitHub and most wikis, the renderer passes raw HTML through, so escaping is ours.
MD = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def rendered(md: str) -> LexborHTMLParser:
    return LexborHTMLParser(MD.render(md))


def findings_part(md: str) -> LexborHTMLParser:
    """The "## Findings" section alone (check details come before it, with their own headings)."""
    return rendered(md[md.index("\n## Findings\n"):])


def assert_inert(tree: LexborHTMLParser) -> None:
    for tag in ("script", "img", "iframe", "svg", "object", "embed"):
        assert tree.css(tag) == [], tag
    for node in tree.root.traverse():
        for name, value in (node.attributes or {}).items():
            assert not name.lower().startswith("on"), (node.tag, name)
            if name == "href":
                assert value.startswith(("http://", "https://")), value


def test_summary_table_and_findings(result: AuditResult) -> None:
    md = render_markdown(result)
    tree = rendered(md)
    assert tree.css_first("h1").text() == "Inspection report: 某某县人民政府"
    text = tree.body.text()
    assert "Score: 0 / 100 — grade 不合格" in text
    assert "cn.veto.interaction" in tree.css_first("ul").text()
    table = tree.css_first("table")
    rows = table.css("tbody tr")
    assert len(rows) == len(result.scored.indicators)
    cells = [c.text() for c in rows[2].css("td")]
    assert cells[0] == "cn.deduct.links.home 首页可用性 · 链接"
    assert cells[1:5] == ["deduct", "fail", "-3", "3 unusable links on the home page"]
    assert cells[6] == "3"
    found = findings_part(md)
    headings = [h.text() for h in found.css("h3")]
    assert headings[0] == "cn.veto.interaction 互动回应差 (fail)"
    assert headings[-1] == "Other findings"
    first = found.css("h3")[1].next.next  # the list after the links-home heading
    assert [a.attributes["href"] for a in first.css("li")[0].css("a")] == [
        "http://127.0.0.1:8080/", "http://127.0.0.1:8080/a/missing.html"]
    assert "(status 404, <a>)" in first.css("li")[0].text()
    assert "skipped" in text and "no browser available" in text


def test_hostile_text_is_escaped(hostile: AuditResult) -> None:
    md = render_markdown(hostile)
    assert XSS_SCRIPT not in md and "<img" not in md
    tree = rendered(md)
    assert_inert(tree)
    assert tree.css_first("h1").text() == f"Inspection report: {hostile.site_title}"
    text = tree.body.text()
    assert XSS_JS in text  # shown, not linked
    assert "detail " + XSS_IMG in text


def test_markup_in_site_text_renders_literally() -> None:
    samples = ["**bold** _it_ `code` [x](http://e.invalid) ![i](x.png) ~~s~~", "a | b | c", "# not a heading ##",
               "&lt; &amp; &#106;", "<http://autolink.invalid>", "line\nbreak\r\nand\x00nul", "\\*escaped\\*"]
    for s in samples:
        tree = rendered(f"| h |\n|---|\n| {md_escape(s)} |\n")
        cells = tree.css("td")
        assert len(cells) == 1, s
        expected = s.replace("\r\n", " ").replace("\n", " ").replace("\x00", " ")
        assert cells[0].text() == expected, (s, cells[0].text())
        assert [n.tag for n in cells[0].css("*")] == ["td"], s  # no element inside the cell


def test_links_only_for_http() -> None:
    assert md_link("javascript:alert(1)") == "javascript:alert(1)"
    assert md_link("http://127.0.0.1:8080/a b") == "http://127.0.0.1:8080/a b"  # not a crawler URL: text
    url = "http://127.0.0.1:8080/a/(x)<y>'z'\"q\"?k=[1]"
    tree = rendered(md_link(url))
    a = tree.css_first("a")
    assert a.text() == url
    assert a.attributes["href"] == "http://127.0.0.1:8080/a/%28x%29%3Cy%3E%27z%27%22q%22?k=%5B1%5D"  # the renderer encodes [] itself


def test_findings_are_capped_with_a_count(result: AuditResult) -> None:
    extra = 7
    for i in range(MAX_FINDINGS_PER_INDICATOR + extra):
        result.checks["links"].findings.append(Finding("broken-link", "http://127.0.0.1:8080/", f"坏链 {i}",
                                                       id=f"f-{100 + i}"))
        result.scored.indicators[2].findings.append(f"f-{100 + i}")
    tree = findings_part(render_markdown(result))
    items = tree.css("h3")[1].next.next.css("li")
    assert len(items) == MAX_FINDINGS_PER_INDICATOR + 1
    assert items[-1].text() == f"… and {3 + MAX_FINDINGS_PER_INDICATOR + extra - MAX_FINDINGS_PER_INDICATOR} more findings (see report.json)"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("<>\"'&=/ :;()[]!*_`|~#\\\n\tajvscript1") + [
    "javascript:", "<script>", "onerror=", "](", "![", "<img ", "&#x3c;", "www.e.invalid", "<!--"]),
    max_size=30).map("".join))
def test_any_site_text_stays_inert(text: str) -> None:
    r = rich_result()
    r.site_title = text
    f = r.checks["links"].findings[0]
    f.message, f.target, f.page = text, text, text
    r.scored.indicators[0].detail = text
    r.scored.indicators[6].note = text
    col = r.checks["freshness"].data["columns"][1]
    col["name"], col["url"], col["future_dates"] = text, text, [text]
    board = r.checks["interaction"].data["boards"][0]
    board["name"], board["url"] = text, text
    r.checks["identity"].data["footer"]["icp"]["value"] = text
    r.checks["identity"].data["search"]["probe"].update({"url": text, "reason": text})
    r.checks["accessibility"].data["rules"][0]["help"] = text
    r.checks["accessibility"].data["elderly"][0]["detail"] = text
    assert_inert(rendered(render_markdown(r)))


def md_table(tree: LexborHTMLParser, title: str) -> list[list[str]]:
    """The rows of the table that follows the bold paragraph `title` (a check-details block)."""
    para = next(p for p in tree.css("p") if p.text() == title)
    node = para.next
    while node is not None and node.tag != "table":
        node = node.next
    assert node is not None, title
    return [[c.text() for c in tr.css("th, td")] for tr in node.css("tr")]


def test_check_details_tables() -> None:
    md = render_markdown(rich_result())
    tree = rendered(md[: md.index("\n## Findings\n")])
    assert_inert(tree)
    h3 = [h.text() for h in tree.css("h3")]
    assert h3 == ["Column freshness (栏目更新)", "Interaction (政民互动)", "Identity and site features (网站标识与功能)",
                  "Content safety (内容安全)", "Accessibility and elderly-friendly design (无障碍与适老化)",
                  "Availability (站点可访问)"]
    cols = md_table(tree, "Columns")
    assert cols[0] == ["Column", "Type", "Latest", "Age / limit", "Items", "Verdict"]
    assert cols[2] == ["通知公告", "notice", "2026-03-02", "265 / 183 d", "20", "stale"]
    assert cols[4][5] == "empty (暂无信息)"
    stale = next(tr for tr in tree.css("table")[1].css("tr") if "通知公告" in tr.text())  # tables[0] = indicators
    assert stale.css_first("strong a").attributes["href"] == "http://127.0.0.1:8080/tzgg/"
    boards = md_table(tree, "Message boards")
    assert boards[0] == ["Board", "Messages", "Answered", "Unanswered", "Overdue", "Reply days (median / p90 / max)",
                         "Latest reply", "Read"]
    assert boards[1] == ["县长信箱", "40", "35", "5", "4", "6 / 46 / 120", "2026-11-13", "2 pages, table"]
    acts = md_table(tree, "Interviews and surveys")
    assert acts[2][-1] == "unreadable: the list is drawn by a script"
    marks = md_table(tree, "Footer marks (底部功能区)")
    assert marks[3] == ["公安机关备案标识", "✗ missing", "–", "–"]
    assert md_table(tree, "Rules violated")[1][:2] == ["image-alt", "critical"]
    # Bookkeeping stays out of the Markdown: pages not judged as columns, channels, tested pages.
    for left_out in ("Pages not judged as columns", "Channels found", "Pages tested", "Page templates"):
        assert left_out not in md
    assert "- `cn.info.accessibility`: axe-core stands in for the standard" in md


def test_check_details_are_capped() -> None:
    r = rich_result()
    cols = r.checks["freshness"].data["columns"]
    cols.extend(dict(cols[0], name=f"栏目{i}") for i in range(MAX_TABLE_ROWS))
    md = render_markdown(r)
    assert f"… and {len(cols) - MAX_TABLE_ROWS} more rows (see report.html or report.json)" in md


def test_hostile_check_details_are_escaped() -> None:
    md = render_markdown(hostile_rich_result())
    assert XSS_SCRIPT not in md and "<img" not in md
    tree = rendered(md)
    assert_inert(tree)
    text = tree.body.text()
    for shown in (XSS_SCRIPT, XSS_IMG, f"note {XSS_SCRIPT}"):
        assert shown in text
    assert md_table(tree, "Footer marks (底部功能区)")[1][2] == XSS_SCRIPT
