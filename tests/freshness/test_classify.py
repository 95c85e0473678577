"""Column types by name, options that replace keywords and thresholds, and site overrides."""

from __future__ import annotations

import pytest
from govaudit.checks.freshness.classify import DEFAULT_THRESHOLDS, Classifier, build_classifier

from govaudit.errors import UsageError

HOME = "http://site.test/"


@pytest.mark.parametrize(("name", "kind"), [
    ("要闻动态", "news"), ("工作动态", "news"), ("部门动态", "news"), ("新闻中心", "news"), ("图片新闻", "news"),
    ("通知公告", "notice"), ("公示公告", "notice"), ("通告", "notice"),
    ("政策文件", "policy"), ("政策解读", "policy"), ("规范性文件", "policy"), ("法律法规", "policy"),
    ("人事信息", "personnel"), ("人事任免", "personnel"), ("招聘公告", "personnel"),
    ("规划计划", "plan"), ("发展规划", "plan"), ("工作计划", "plan"),
    ("统计数据", "other"), ("机构职能", "other"), ("政府信息公开年报", "other"),
    ("县长信箱", "skip"), ("在线访谈", "skip"), ("调查征集", "skip"), ("办事服务", "skip"), ("网站地图", "skip"),
])
def test_default_table(name: str, kind: str) -> None:
    assert Classifier().classify([name]) == kind


def test_first_recognised_name_wins_then_column_type_meta() -> None:
    c = Classifier()
    assert c.classify(["青山之窗", "乡镇动态"]) == "news"
    assert c.classify(["青山之窗"], column_type="政务动态") == "news"
    assert c.classify(["青山之窗"]) == "other"


def test_options_replace_keywords_and_thresholds() -> None:
    c = build_classifier({"types": {"news": ["之窗"]}, "thresholds": {"news": 7, "other": 30, "plan": 0}}, {}, HOME)
    assert c.classify(["青山之窗"]) == "news"
    assert c.classify(["要闻动态"]) == "other"  # the news list was replaced, not extended
    assert (c.threshold("news"), c.threshold("other"), c.threshold("plan")) == (7, 30, None)
    assert c.threshold("notice") == DEFAULT_THRESHOLDS["notice"]


def test_site_overrides_by_url_and_by_name() -> None:
    c = build_classifier({}, {"columns": [
        {"url": "/bmdt/index.html", "type": "notice", "name": "部门通知"},
        {"name": "领导之窗", "type": "skip"},
    ]}, HOME)
    by_url = c.override_for("http://site.test/bmdt/index.html", "部门动态")
    assert by_url is not None and (by_url.type, by_url.report_name) == ("notice", "部门通知")
    by_name = c.override_for("http://site.test/ldzc/", "领导之窗")
    assert by_name is not None and by_name.type == "skip"
    assert c.override_for("http://site.test/x/", "其他") is None


@pytest.mark.parametrize(("options", "site", "words"), [
    ({"types": {"weather": ["天气"]}}, {}, "unknown type 'weather'"),
    ({"types": {"news": [1, 2]}}, {}, "types.news must be a list"),
    ({"types": "news"}, {}, "types must be a table"),
    ({"thresholds": {"news": -1}}, {}, "thresholds.news must be a whole number"),
    ({"thresholds": {"news": "two weeks"}}, {}, "thresholds.news must be a whole number"),
    ({"thresholds": {"skip": 3}}, {}, "unknown type 'skip'"),
    ({}, {"columns": {"url": "/x"}}, "columns must be a list"),
    ({}, {"columns": [{"url": "/x"}]}, "type must be one of"),
    ({}, {"columns": [{"type": "news"}]}, "needs a url or a name"),
    ({}, {"columns": [{"url": "javascript:alert(1)", "type": "news"}]}, "not a usable http(s) URL"),
    ({}, {"columns": ["/x"]}, "must be a table"),
])
def test_bad_configuration_is_one_clear_line(options: dict, site: dict, words: str) -> None:
    with pytest.raises(UsageError) as err:
        build_classifier(options, site, HOME)
    assert words in str(err.value) and "\n" not in str(err.value)
