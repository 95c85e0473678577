"""CSV for spreadsheets, SARIF 2.1.0 and JUnit XML for CI jobs."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from govaudit.model import AuditResult
from govaudit.report.csvreport import COLUMNS, render_findings_csv
from govaudit.report.junit import render_junit
from govaudit.report.sarif import render_sarif


def test_csv_one_row_per_finding(result: AuditResult) -> None:
    rows = list(csv.DictReader(io.StringIO(render_findings_csv(result), newline="")))
    assert len(rows) == 8
    assert tuple(rows[0]) == COLUMNS
    first = rows[0]
    assert first["id"] == "f-1" and first["check"] == "links" and first["status"] == "404"
    assert first["message"] == "首页链接不可用：404 Not Found"
    assert first["indicators"] == "cn.deduct.links.home"
    assert json.loads(first["evidence"]) == {"attr": "href", "text": "通知公告"}
    stale = next(r for r in rows if r["id"] == "f-8")
    assert stale["indicators"] == "" and stale["target"] == ""


def test_csv_defuses_spreadsheet_formulas(hostile: AuditResult) -> None:
    f = hostile.checks["links"].findings
    f[0].message = '=HYPERLINK("http://e.invalid","点我")'
    f[1].message = "+1+1"
    f[2].message = "-2"
    f[3].message = "@SUM(A1)"
    f[4].message = "多行\n文本, 含 \"引号\""
    rows = list(csv.DictReader(io.StringIO(render_findings_csv(hostile), newline="")))
    assert [r["message"] for r in rows[:4]] == ["'" + m for m in ('=HYPERLINK("http://e.invalid","点我")', "+1+1",
                                                                 "-2", "@SUM(A1)")]
    assert rows[4]["message"] == "多行\n文本, 含 \"引号\""  # quoting keeps it one cell
    assert rows[0]["target"] == "javascript:alert(1)"


def test_sarif_shape(result: AuditResult) -> None:
    doc = render_sarif(result)
    json.dumps(doc, allow_nan=False)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "govaudit" and driver["version"] == "0.4.0"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["broken-link", "soft-404", "stale-column", "overdue-reply"]
    results = run["results"]
    assert len(results) == 8
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["message"]["text"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("http://127.0.0.1:8080/")
    first = results[0]
    assert first["level"] == "error" and first["properties"]["findingId"] == "f-1"
    assert first["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/a/missing.html")
    assert [r["level"] for r in results if r["ruleId"] == "soft-404"] == ["warning"]
    inv = run["invocations"][0]
    assert inv["startTimeUtc"] == "2026-11-22T01:00:00.000Z"  # 09:00 at +08:00
    assert inv["endTimeUtc"] == "2026-11-22T01:00:38.000Z"
    assert inv["executionSuccessful"] is True  # accessibility was skipped, not broken
    assert inv["toolExecutionNotifications"][0]["level"] == "warning"
    assert run["properties"]["vetoes"] == ["cn.veto.interaction"]


def test_sarif_marks_a_broken_check(result: AuditResult) -> None:
    result.checks["links"].status, result.checks["links"].error = "error", "site down"
    inv = render_sarif(result)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert any(n["level"] == "error" and "site down" in n["message"]["text"]
               for n in inv["toolExecutionNotifications"])


def test_junit_one_testcase_per_indicator(result: AuditResult) -> None:
    root = ET.fromstring(render_junit(result).encode("utf-8"))
    assert root.tag == "testsuites"
    ind_suite, check_suite = root.findall("testsuite")
    cases = ind_suite.findall("testcase")
    assert len(cases) == len(result.scored.indicators) == int(ind_suite.get("tests"))
    by_id = {c.get("name").split(":")[0]: c for c in cases}
    assert by_id["cn.veto.interaction"].find("failure").get("type") == "veto"
    home = by_id["cn.deduct.links.home"].find("failure")
    assert "3 unusable links" in home.get("message")
    assert home.text.splitlines()[0].startswith("f-1 broken-link [404] http://127.0.0.1:8080/ -> ")
    assert by_id["cn.info.accessibility"].find("error") is not None
    assert by_id["cn.info.ipv6"].find("skipped") is not None
    bonus = by_id["cn.bonus.interview"]
    assert bonus.find("failure") is None and "not earned" in bonus.find("system-out").text
    assert list(by_id["cn.veto.columns"]) == []  # a pass has no child
    assert (ind_suite.get("failures"), ind_suite.get("errors"), ind_suite.get("skipped")) == ("3", "1", "1")
    assert [c.get("name") for c in check_suite.findall("testcase")] == ["links", "freshness", "interaction",
                                                                        "accessibility"]
    assert check_suite.find("testcase[@name='accessibility']/skipped") is not None
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("12", "3", "1", "2")
    props = {p.get("name"): p.get("value") for p in ind_suite.find("properties")}
    assert props["grade"] == "不合格" and props["vetoes"] == "cn.veto.interaction"


def test_junit_survives_text_xml_cannot_carry(hostile: AuditResult) -> None:
    hostile.scored.indicators[2].detail = "bad\x00chars\x0b\x1f and \ud800 <tag> & ]]>"
    hostile.checks["links"].findings[0].message = "msg\x08 </failure><injected/>"
    xml = render_junit(hostile)
    root = ET.fromstring(xml.encode("utf-8"))  # well-formed despite the input
    home = root.find(".//testcase[@name='cn.deduct.links.home: 首页可用性 · 链接']/failure")
    assert "<tag> & ]]>" in home.get("message") and "\x00" not in home.get("message")
    assert "</failure><injected/>" in home.text
    assert root.find(".//injected") is None
