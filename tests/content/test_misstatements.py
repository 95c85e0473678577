"""Serious misstatements: the shipped dictionary, the user's own entries, exceptions, and each hit
reported with its page and an excerpt."""

from __future__ import annotations

from pathlib import Path

import pytest
from govaudit.checks.content import ContentCheck
from govaudit.checks.content.misstatements import Dictionary, load_dictionary, parse_entries

from govaudit.errors import UsageError
from tests.identity.servers import audit
from tests.support.server import page, serving


def cn(body: str, title: str = "青山县人民政府") -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


def hits(res: object, rule: str = "misstatement") -> list:
    return [f for f in res.findings if f.rule == rule]  # type: ignore[attr-defined]


def test_wrong_country_name_is_found_with_page_and_excerpt() -> None:
    routes = {"/": page(cn('<a href="/a.html">a</a><p>坚持以人民为中心。</p>')),
              "/a.html": page(cn("<p>根据《中华人名共和国预算法》规定，现将有关事项通知如下。</p>"))}
    with serving(routes) as srv:
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False})
        (f,) = hits(res)
        assert f.page == srv.url("/a.html") and f.severity == "error"
        assert f.evidence["wrong"] == "中华人名共和国" and f.evidence["right"] == "中华人民共和国"
        assert f.evidence["category"] == "国名"
        assert "根据《中华人名共和国预算法》规定" in f.evidence["excerpt"]
        assert res.metrics["misstatements"] == 1 and res.metrics["misstatements_by_category"] == {"国名": 1}


def test_correct_text_has_no_hit() -> None:
    text = ("<p>中华人民共和国成立以来，中国共产党领导全国各族人民，全国人民代表大会和中国人民政治协商会议……"
            "践行社会主义核心价值观，坚持中国特色社会主义，坚持马克思主义。台湾地区领导人、台湾当局。</p>")
    with serving({"/": page(cn(text))}) as srv:
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False})
        assert res.metrics["misstatements"] == 0 and res.metrics["misstatements_review"] == 0
        assert res.metrics["pages_scanned"] == 1


def test_a_wrong_form_split_over_elements_is_found() -> None:
    with serving({"/": page(cn("<p>中国共<span>产觉</span>第二十次全国代表大会</p>"))}) as srv:
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False})
        assert [f.evidence["wrong"] for f in hits(res)] == ["中国共产觉"]


def test_title_is_scanned_and_scripts_are_not() -> None:
    html = cn("<script>var s = '中国共产当';</script><p>正文</p>", title="全国人民代表大回召开")
    with serving({"/": page(html)}) as srv:
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False})
        assert [f.evidence["wrong"] for f in hits(res)] == ["全国人民代表大回"]


def test_review_entries_are_warnings_and_exceptions_hold() -> None:
    html = cn("<p>北朝鲜代表团来访。台湾国立大学学者参会。</p>")
    with serving({"/": page(html)}) as srv:
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False})
        assert hits(res) == []  # 台湾国 inside 台湾国立 is an allowed phrase
        (w,) = hits(res, "misstatement-review")
        assert w.severity == "warning" and w.evidence["wrong"] == "北朝鲜"
        assert res.metrics["misstatements_review"] == 1 and res.metrics["misstatements"] == 0


def test_users_own_dictionary_file_and_inline_entries(tmp_path: Path) -> None:
    extra = tmp_path / "terms.yaml"
    extra.write_text("entries:\n  - {wrong: 青山县人名政府, right: 青山县人民政府, category: 机构名称}\n"
                     "  - {pattern: '县长[张王李]某某', right: '(a named leader)', category: 领导人}\n", encoding="utf-8")
    html = cn("<p>青山县人名政府召开会议，县长王某某出席。中华人名共和国。</p>")
    with serving({"/": page(html)}) as srv:
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False, "dictionary": [str(extra)]})
        assert sorted(f.evidence["wrong"] for f in hits(res)) == ["中华人名共和国", "县长王某某", "青山县人名政府"]
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False, "dictionary": str(extra),
                                                      "replace_default": True})
        assert sorted(f.evidence["wrong"] for f in hits(res)) == ["县长王某某", "青山县人名政府"]
        inline = [{"wrong": "召开会议", "right": "x", "category": "test", "severity": "warning"}]
        _, res = audit(ContentCheck(), srv.url("/"), {"external": False, "replace_default": True,
                                                      "misstatements": inline})
        assert [f.rule for f in res.findings] == ["misstatement-review"]


@pytest.mark.parametrize(("text", "message"), [
    ("entries: 3", "one key, 'entries'"),
    ("entries:\n  - {right: x}", "exactly one of 'wrong'"),
    ("entries:\n  - {wrong: a, pattern: b}", "exactly one of 'wrong'"),
    ("entries:\n  - {pattern: '(', right: x}", "bad regex"),
    ("entries:\n  - {wrong: a, severity: fatal}", "severity must be"),
    ("entries:\n  - {wrong: a, colour: red}", "unknown key 'colour'"),
    ("entries: [", "invalid YAML"),
])
def test_bad_dictionaries_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_entries(text, "my.yaml")


def test_missing_dictionary_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_dictionary({"dictionary": [str(tmp_path / "nope.yaml")]})


def test_shipped_dictionary_loads_and_every_entry_fires_on_its_own_wrong_form() -> None:
    d = load_dictionary({})
    assert len(d.entries) >= 30 and d.sources == ["checks/content/misstatements.yaml"]
    for entry in d.entries:
        found = Dictionary([entry]).scan(f"前文{entry.shown}后文")
        assert [h.found for h in found] == [entry.shown], entry.shown
        if entry.right and not entry.right.startswith("("):
            assert Dictionary([entry]).scan(f"前文{entry.right}后文") == [], entry.right
