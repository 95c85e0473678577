"""Issue 12 items 7 and 8 and the colleague's requests: reports that explain their own grade.

Each report (HTML, Markdown, the terminal summary, report.json's added fields) states the profile's
grading rule and what the grade covers, how many scored points rest on govaudit's own numbers, the
bonus items not measured; findings are shown once, grouped by shared target or template, never as
red errors under an indicator that passed; failed pages are named; a re-scored run's header counts
only the checks the new profile reads."""

from __future__ import annotations

import csv
import io

from govaudit.model import AuditResult, Finding, IndicatorResult
from govaudit.report.csvreport import render_findings_csv
from govaudit.report.html import render_html
from govaudit.report.jsonreport import to_report, validate_report
from govaudit.report.junit import render_junit
from govaudit.report.markdown import render_markdown
from govaudit.report.sarif import render_sarif
from govaudit.report.terminal import plain_summary
from tests.report.builders import BASE, build_result
from tests.report.test_html import assert_inert

FOOTER = f"{BASE}/old/contact.html"


def text_of(html: str, selector: str) -> str:
    node = assert_inert(html).css_first(selector)
    assert node is not None, selector
    return " ".join(node.text().split())


def test_the_grading_rule_comes_from_the_profile() -> None:
    r = build_result()
    html, md, term = render_html(r), render_markdown(r), "\n".join(plain_summary(r, []))
    rule = text_of(html, "#grading-rule")
    assert "pass mark 60 of 100" in rule
    assert "Any failed veto (单项否决) indicator → 不合格" in rule
    assert "below 60 → 不合格" in rule and "Above 80, the bonus part (at most 30) is added" in rule
    assert "The grade covers the indicators govaudit measures: 7 of the profile's 8 (1 not judged)" in rule
    assert "- **Grading:** pass mark 60 of 100" in md and "Above 80, the bonus part" in md
    assert "The grade covers the indicators govaudit measures" in md
    assert ("grading: pass mark 60/100: a failed veto → 不合格; deduction score < 60 → 不合格; "
            "> 80 → the bonus part is added") in term
    assert "the grade covers: the 7 of 8 indicators govaudit measures (1 not judged)" in term
    doc = to_report(r)
    assert doc["score"]["pass_mark"] == 60 and doc["score"]["rule"][0].startswith("Any failed veto")
    # another profile, its own rule
    r.scored.profile_id = "wcag21-aa"
    rule = text_of(render_html(r), "#grading-rule")
    assert "pass mark 100 of 100" in rule and "Above 80" not in rule and "fails WCAG 2.1 AA" in rule
    assert "grading: pass mark 100/100: a failed veto → fails WCAG 2.1 AA; score < 100" in "\n".join(plain_summary(r, []))
    # a profile file no longer at hand: said so, never guessed
    r.scored.profile_id = "no-such-profile"
    assert "is not at hand" in text_of(render_html(r), "#grading-rule")
    validate_report(to_report(r))


def test_unverified_points_are_one_sentence_at_the_top() -> None:
    r = build_result()  # -3 and -1.5 on unverified deductions; a V2 bonus of +2 added here
    r.scored.indicators.append(IndicatorResult("cn.bonus.v2", "政务服务", "bonus", "pass", 2.0, "found", [], {}, "V2"))
    sentence = "4.5 of 6.5 scored points rest on govaudit's own numbers (unverified)."
    doc = to_report(r)
    validate_report(doc)
    assert (doc["score"]["unverified_points"], doc["score"]["scored_points"]) == (4.5, 6.5)
    assert doc["score"]["unverified_sentence"] == sentence
    html = render_html(r)
    assert text_of(html, "#unverified-points") == f"Our numbers: {sentence}"
    assert html.index('id="unverified-points"') < html.index('class="summary"')
    md = render_markdown(r)
    assert f"> **Our numbers:** {sentence}" in md.split("## Indicators")[0]
    term = plain_summary(r, [])
    assert term[2] == f"our numbers: {sentence}"  # right under the score


def test_bonus_items_not_measured_are_named_with_their_reasons() -> None:
    r = build_result()
    r.scored.indicators.append(IndicatorResult(
        "cn.bonus.not-measured", "其他加分项", "bonus", "not_applicable", 0.0,
        "not applicable: not measured: inspectors' judgement of special innovation", [], {}, "unverified"))
    want = "cn.bonus.not-measured 其他加分项 (inspectors' judgement of special innovation)"
    assert text_of(render_html(r), "#bonus-not-measured") == f"Bonus not measured: {want}"
    assert "**Bonus not measured:** `cn.bonus.not-measured` 其他加分项 (inspectors' judgement" in render_markdown(r)
    assert any(line.startswith("bonus not measured: cn.bonus.not-measured (inspectors' judgement")
               for line in plain_summary(r, []))


def cite_twice(r: AuditResult) -> None:
    """f-8 (a stale column, severity error) cited by a veto that passed and by a failed deduction."""
    inds = {i.id: i for i in r.scored.indicators}
    inds["cn.veto.columns"].findings = ["f-8"]
    inds["cn.deduct.policy"].result, inds["cn.deduct.policy"].points = "fail", -5.0
    inds["cn.deduct.policy"].findings = ["f-8"]


def test_a_finding_cited_twice_is_shown_once_with_both() -> None:
    r = build_result()
    cite_twice(r)
    html = render_html(r)
    tree = assert_inert(html)
    assert len(tree.css('tr[id="f-8"]')) == 1
    row = tree.css_first('tr[id="f-8"]')
    assert row.parent.parent.parent.parent.attributes["id"] == "ind-cn.deduct.policy"  # under the one that failed
    assert "Indicators: cn.veto.columns, cn.deduct.policy" in " ".join(row.text().split())
    veto = text_of(html, '[id="ind-cn.veto.columns"]')
    assert "1 finding shown under cn.deduct.policy: f-8" in veto
    md = render_markdown(r)
    assert md.count("**f-8**") == 2  # its line once, and the pointer from the other indicator
    assert "- 1 finding shown under `cn.deduct.policy`: **f-8**" in md
    assert "— indicators: `cn.veto.columns`, `cn.deduct.policy`" in md


def test_a_passing_veto_shows_no_red_error() -> None:
    r = build_result()
    {i.id: i for i in r.scored.indicators}["cn.veto.columns"].findings = ["f-8"]  # cited by it alone
    tree = assert_inert(render_html(r))
    section = tree.css_first('[id="ind-cn.veto.columns"]')
    row = section.css_first('tr[id="f-8"]')
    assert "noted" in row.attributes["class"].split()
    assert row.css_first(".sev").text() == "noted"
    assert "This indicator passed" in section.text()
    md = render_markdown(r).split("### `cn.veto.columns`")[1].split("###")[0]
    assert "**f-8** noted `stale-column`" in md and " error " not in md
    assert to_report(r)["checks"]["freshness"]["findings"][0]["severity"] == "error"  # the JSON keeps it


def test_pages_that_failed_to_load_are_named() -> None:
    r = build_result()  # f-2: the banner answered 500; f-5: the script timed out; both on the site
    html = render_html(r)
    listed = text_of(html, "#failed-pages")
    assert listed.startswith("Pages that failed to load (2)")
    assert f"{BASE}/img/banner.jpg 500" in listed and f"{BASE}/js/old.js timeout" in listed
    assert "www.example.invalid" not in listed  # another site's dns failure is a broken link, not our page
    assert f"- **Pages that failed to load:** 2: [{BASE}/img/banner.jpg]" in render_markdown(r)


def test_after_rescore_the_header_counts_what_the_profile_reads() -> None:
    r = build_result()
    r.scored.profile_id = "links"  # reads the links check only: 6 of the 8 findings
    tree = assert_inert(render_html(r))
    card = [(dt.text().strip(), dt.next.text().strip() if dt.next.tag == "dd" else dt.next.next.text().strip())
            for dt in tree.css(".scorecard dt")]
    assert ("Findings", "6") in card and ("not read by this profile", "2") in card
    assert "errors (4)" in tree.css_first(".filter").text()
    unread = tree.css_first("#unread-findings")
    assert unread is not None and {tr.attributes["id"] for tr in unread.css("tr.finding")} == {"f-8"}  # f-7 is still cited here
    assert "- **Findings:** 6 (2 more from checks this profile does not read)" in render_markdown(r)


def footer_result(pages: int = 30) -> AuditResult:
    """One footer link broken on every page: 30 findings of one target, all counted by the indicator."""
    r = build_result()
    ids = []
    for n in range(pages):
        fid = f"f-{100 + n}"
        ids.append(fid)
        r.checks["links"].findings.append(Finding(
            "broken-link", f"{BASE}/page/{n}.html", f"a link to {FOOTER} is unusable (404)", "error", FOOTER, 404,
            "a", {"text": "联系我们"}, fid))
    other = {i.id: i for i in r.scored.indicators}["cn.deduct.links.other"]
    other.findings += ids
    other.detail = f"{3 + pages} unusable links on other pages"
    return r


def test_a_footer_link_broken_on_every_page_is_one_problem_in_every_format() -> None:
    r = footer_result()
    doc = to_report(r)
    validate_report(doc)
    assert len(doc["checks"]["links"]["findings"]) == 36  # findings keep their meaning: one per occurrence
    ind = next(i for i in doc["indicators"] if i["id"] == "cn.deduct.links.other")
    assert len(ind["findings"]) == 33  # the indicator counts what the standard counts
    groups = [g for g in doc["finding_groups"] if g["target"] == FOOTER]
    assert len(groups) == 1
    g = groups[0]
    assert (g["key"], g["occurrences"], g["pages_total"], len(g["pages"])) == ("target", 30, 30, 30)
    assert g["findings"][0] == "f-100" and g["indicators"] == ["cn.deduct.links.other"]
    assert sum(len(x["findings"]) for x in doc["finding_groups"]) == 38  # every finding in one group
    # HTML: one row, the pages counted and listed
    tree = assert_inert(render_html(r))
    row = tree.css_first('tr[id="f-100"]')
    text = " ".join(row.text().split())
    assert "+29 more" in text and "on 30 pages" in text and f"{BASE}/page/29.html" in text
    assert tree.css_first('span[id="f-129"]') is not None  # each finding still has its anchor
    section = " ".join(tree.css_first('[id="ind-cn.deduct.links.other"] .sub').text().split())
    assert "33 findings in 4 groups" in section
    # Markdown: one line
    md = render_markdown(r)
    lines = [line for line in md.splitlines() if FOOTER.replace(".", ".") in line and "**f-100**" in line]
    assert len(lines) == 1 and "(+29 more)" in lines[0] and "on 30 pages:" in lines[0]
    assert "link to link" not in md and "**f-101**" not in md
    # SARIF: one result with 30 locations; CSV: 30 rows of one group; JUnit: one line
    sarif = render_sarif(r)["runs"][0]["results"]
    footer = [x for x in sarif if x["properties"]["target"] == FOOTER]
    assert len(footer) == 1 and len(footer[0]["locations"]) == 30 and footer[0]["occurrenceCount"] == 30
    rows = [row for row in csv.DictReader(io.StringIO(render_findings_csv(r))) if row["target"] == FOOTER]
    assert len(rows) == 30 and {row["group"] for row in rows} == {g["id"]} and rows[0]["group_pages"] == "30"
    junit = render_junit(r)
    assert len([line for line in junit.splitlines() if FOOTER in line]) == 1 and "30 pages" in junit


def test_findings_of_one_template_are_grouped() -> None:
    r = build_result()
    for n in range(3):
        r.checks["freshness"].findings.append(Finding(
            "axe:image-alt", f"{BASE}/xwdt/{n}.html", "Images must have alternative text", "error",
            evidence={"template": "/xwdt/{n}.html", "selector": "img"}, id=f"f-{200 + n}"))
    groups = [g for g in to_report(r)["finding_groups"] if g["key"] == "template"]
    assert [(g["template"], g["occurrences"]) for g in groups] == [("/xwdt/{n}.html", 3)]


def test_element_words_are_not_doubled() -> None:
    r = build_result()
    r.checks["links"].findings[0].element = "link"
    r.checks["links"].findings[0].message = f"link link to {BASE}/css/a.css is unusable (404)"
    html, md = render_html(r), render_markdown(r)
    assert "link link to" not in text_of(html, "#findings") and "link link to" not in md.split("## Findings")[1]
    assert f"stylesheet or resource {BASE}/css/a.css is unusable (404)" in md
