"""The JSON report follows the public contract, and its schema really rejects broken documents."""

from __future__ import annotations

import copy
import json
import math

import pytest
from jsonschema import Draft202012Validator

from govaudit.model import ERROR_WORDS, LINK_ELEMENTS, SEVERITIES, AuditResult, Finding
from govaudit.report.jsonreport import SCHEMA_ID, load_schema, to_report, validate_report
from tests.report.builders import LINKS_NOTE


def test_report_has_the_contract_shape(result: AuditResult) -> None:
    doc = to_report(result)
    validate_report(doc)
    assert doc["schema"] == SCHEMA_ID == "govaudit.report/1"
    assert doc["tool"] == {"name": "govaudit", "version": "0.4.0"}
    assert doc["site"] == {"url": "http://127.0.0.1:8080/", "title": "某某县人民政府"}
    assert doc["as_of"] == "2026-11-22"
    assert doc["profile"] == {"id": "cn-gov-2019", "title": "政府网站与政务新媒体检查指标（2019）"}
    crawl = doc["crawl"]
    assert (crawl["pages"], crawl["requests"], crawl["duration_s"], crawl["skipped_robots"], crawl["errors"]) == (
        412, 1630, 38.2, 3, 2)
    assert doc["score"]["grade"] == "不合格"
    assert doc["score"]["vetoes"] == ["cn.veto.interaction"]
    assert [i["id"] for i in doc["indicators"]] == [i.id for i in result.scored.indicators]
    home = doc["indicators"][2]
    assert home == {
        "id": "cn.deduct.links.home", "title": "首页可用性 · 链接", "kind": "deduct", "result": "fail",
        "points": -3.0, "detail": "3 unusable links on the home page", "findings": ["f-1", "f-2", "f-3"],
        "source": {"document": "国办秘函〔2019〕19号", "article": "网站可用性"}, "verified": "unverified",
        "group": "功能设计", "note": LINKS_NOTE,
    }
    assert list(doc["checks"]) == ["links", "freshness", "interaction", "accessibility"]
    links = doc["checks"]["links"]
    assert links["status"] == "ok" and links["error"] is None
    assert links["metrics"]["by_status"]["404"] == 2
    f1 = links["findings"][0]
    assert f1["id"] == "f-1" and f1["rule"] == "broken-link" and f1["severity"] == "error"
    assert f1["page"] == "http://127.0.0.1:8080/" and f1["target"] == "http://127.0.0.1:8080/a/missing.html"
    assert f1["status"] == 404 and f1["element"] == "a" and f1["evidence"] == {"text": "通知公告", "attr": "href"}
    assert f1["indicators"] == ["cn.deduct.links.home"]
    assert links["findings"][2]["status"] == "dns"


def test_check_data_keys_sit_at_the_top_of_the_check_entry(result: AuditResult) -> None:
    doc = to_report(result)
    fresh = doc["checks"]["freshness"]
    assert fresh["columns"][1]["name"] == "通知公告" and fresh["columns"][1]["stale"] is True
    assert fresh["columns"][3]["latest"] is None
    inter = doc["checks"]["interaction"]
    assert inter["boards"][0]["overdue"] == 4 and inter["limit_days"] == 90
    skipped = doc["checks"]["accessibility"]
    assert skipped["status"] == "skipped" and skipped["error"].startswith("no browser")


def test_data_cannot_shadow_contract_keys(result: AuditResult) -> None:
    result.checks["links"].data["findings"] = ["not", "findings"]
    result.checks["links"].data["status"] = "fine"
    doc = to_report(result)
    validate_report(doc)
    assert doc["checks"]["links"]["status"] == "ok"
    assert len(doc["checks"]["links"]["findings"]) == 6
    assert doc["checks"]["links"]["data"] == {"findings": ["not", "findings"], "status": "fine"}


def test_report_is_plain_json_even_from_odd_values(result: AuditResult) -> None:
    from datetime import date

    result.checks["links"].metrics["ratio"] = math.nan
    result.checks["links"].metrics["seen"] = {"b", "a"}
    result.checks["freshness"].data["checked_on"] = date(2026, 11, 22)
    result.checks["freshness"].data["pair"] = (1, 2)
    doc = to_report(result)
    text = json.dumps(doc, allow_nan=False)  # raises if anything is not JSON
    back = json.loads(text)
    assert back["checks"]["links"]["metrics"]["ratio"] is None
    assert back["checks"]["links"]["metrics"]["seen"] == ["a", "b"]
    assert back["checks"]["freshness"]["checked_on"] == "2026-11-22"
    assert back["checks"]["freshness"]["pair"] == [1, 2]


def test_findings_without_ids_get_unique_ones(result: AuditResult) -> None:
    result.checks["links"].findings.append(Finding("broken-link", "http://127.0.0.1:8080/", "no id"))
    result.checks["freshness"].findings.append(Finding("stale-column", "http://127.0.0.1:8080/", "dup", id="f-1"))
    doc = to_report(result)
    validate_report(doc)
    ids = [f["id"] for c in doc["checks"].values() for f in c["findings"]]
    assert len(ids) == len(set(ids)) == 10
    assert "f-9" in ids and "f-10" in ids  # next free numbers after the highest (f-8)


def test_schema_is_valid_draft_2020_12_and_a_fresh_copy() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    schema["required"].clear()
    assert load_schema()["required"]  # callers cannot corrupt the cached schema


def test_schema_word_lists_match_the_model() -> None:
    defs = load_schema()["$defs"]
    words = defs["finding"]["properties"]["status"]["anyOf"][1]["enum"]
    assert tuple(words) == ERROR_WORDS
    assert [w for w in words[:7]] == ["timeout", "dns", "refused", "tls", "redirect-loop", "too-many-redirects",
                                      "soft-404"]
    # link findings name a link-bearing element; other checks' findings may name any element (html, body…)
    assert set(defs["link_finding"]["properties"]["element"]["enum"]) - {None} == set(LINK_ELEMENTS)
    assert defs["finding"]["properties"]["element"] == {"type": ["string", "null"]}
    assert tuple(defs["finding"]["properties"]["severity"]["enum"]) == SEVERITIES
    assert defs["column"]["properties"]["type"]["enum"] == ["news", "notice", "policy", "personnel", "plan", "other"]


def _broken(doc: dict, path: list, value: object = ...) -> dict:
    """A copy of `doc` with the key at `path` removed (value ...) or replaced."""
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


@pytest.mark.parametrize(("path", "value", "where"), [
    (["tool"], ..., "$"),
    (["site", "title"], ..., "$.site"),
    (["crawl", "pages"], ..., "$.crawl"),
    (["score", "vetoes"], ..., "$.score"),
    (["checks", "links", "findings", 0, "page"], ..., "$.checks.links.findings[0]"),
    (["schema"], "govaudit.report/2", "$.schema"),
    (["as_of"], "22/11/2026", "$.as_of"),
    (["as_of"], "2026-13-45", "$.as_of"),
    (["indicators", 0, "kind"], "penalty", "$.indicators[0].kind"),
    (["indicators", 0, "result"], "failed", "$.indicators[0].result"),
    (["indicators", 2, "note"], None, "$.indicators[2].note"),
    (["checks", "links", "status"], "fine", "$.checks.links.status"),
    (["checks", "links", "findings", 0, "severity"], "critical", "$.checks.links.findings[0].severity"),
    (["checks", "links", "findings", 0, "status"], "gone", "$.checks.links.findings[0].status"),
    (["checks", "links", "findings", 0, "status"], "404", "$.checks.links.findings[0].status"),
    (["checks", "links", "findings", 0, "element"], "div", "$.checks.links.findings[0].element"),
    (["checks", "freshness", "columns", 0, "type"], "blog", "$.checks.freshness.columns[0].type"),
    (["checks", "freshness", "columns", 0, "latest"], "2026/11/18", "$.checks.freshness.columns[0].latest"),
    (["checks", "interaction", "boards", 0, "overdue"], -1, "$.checks.interaction.boards[0].overdue"),
    (["checks", "accessibility", "error"], None, "$.checks.accessibility.error"),
    (["crawl", "duration_s"], "38s", "$.crawl.duration_s"),
])
def test_schema_rejects_broken_documents(result: AuditResult, path: list, value: object, where: str) -> None:
    doc = to_report(result)
    validate_report(doc)
    with pytest.raises(ValueError) as err:
        validate_report(_broken(doc, path, value))
    msg = str(err.value)
    assert "\n" not in msg
    assert f"at {where}:" in msg, msg


def test_every_error_word_and_integer_status_is_accepted(result: AuditResult) -> None:
    doc = to_report(result)
    for word in (*ERROR_WORDS, 0, 200, 404, 599, None):
        validate_report(_broken(doc, ["checks", "links", "findings", 0, "status"], word))


def test_references_must_resolve(result: AuditResult) -> None:
    doc = to_report(result)
    with pytest.raises(ValueError, match=r"\$\.indicators\[2\]\.findings\[0\]: unknown finding 'f-99'"):
        validate_report(_broken(doc, ["indicators", 2, "findings", 0], "f-99"))
    with pytest.raises(ValueError, match=r"\$\.score\.vetoes\[0\]: unknown indicator"):
        validate_report(_broken(doc, ["score", "vetoes", 0], "cn.veto.nothing"))
    with pytest.raises(ValueError, match=r"duplicate 'f-1'"):
        validate_report(_broken(doc, ["checks", "freshness", "findings", 0, "id"], "f-1"))


def test_extra_fields_are_allowed_everywhere(result: AuditResult) -> None:
    doc = to_report(result)
    doc["x_survey"] = {"batch": 3}
    doc["checks"]["links"]["findings"][0]["x_note"] = "kept"
    doc["indicators"][0]["x_weight"] = 2
    validate_report(doc)


def test_element_words_are_strict_for_link_findings_only() -> None:
    from tests.report.builders import build_result

    doc = to_report(build_result())
    other = next(c for cid, c in doc["checks"].items() if cid != "links" and c.get("findings"))
    other["findings"][0]["element"] = "html"
    validate_report(doc)  # an accessibility or identity finding may name any element
    doc["checks"]["links"]["findings"][0]["element"] = "html"
    with pytest.raises(ValueError, match="element"):
        validate_report(doc)


def _leaves(node: object, path: list) -> list[list]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, [*path, k])] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node[:3]) for p in _leaves(v, [*path, i])] or [path]
    return [path]


def test_the_compiled_schema_agrees_with_jsonschema_on_every_leaf(result: AuditResult) -> None:
    """validate_report checks with the compiled schema first (13x faster) and asks jsonschema only
    when that rejects: the two must agree, or a broken report would be written unnoticed."""
    from govaudit.report.jsonreport import _fast_validator, _validator

    doc = to_report(result)
    fast = _fast_validator()
    odd = (None, "", "x", -1, 1.5, True, [], {}, "2026-13-45", "2026-11-22T10:00:00Z")
    compared = rejected = 0
    for path in _leaves(doc, []):
        if not path:
            continue
        for value in (*odd, ...):
            broken = _broken(doc, path, value)
            try:
                fast(broken)
                fast_ok = True
            except Exception:
                fast_ok = False
            assert fast_ok == _validator().is_valid(broken), (path, value)
            compared += 1
            rejected += not fast_ok
    assert compared > 1000 and rejected > 100  # the comparison met many invalid documents
