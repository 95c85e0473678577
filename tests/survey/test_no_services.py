"""The survey CSV's no_services column reaches the site's audit config, and cn-gov-2019 skips 办事服务."""

from __future__ import annotations

from datetime import date

from govaudit.survey.runner import SurveyOptions, plan_for
from govaudit.survey.sites import parse_sites


def test_the_no_services_column_is_read() -> None:
    sites = parse_sites("url,name,no_services\nhttp://a.gov.cn/,县统计局,是\nhttp://b.gov.cn/,县政府,\n"
                        "http://c.gov.cn/,县档案馆,true\n")
    assert [(s.url, s.no_services) for s in sites.sites] == [
        ("http://a.gov.cn/", True), ("http://b.gov.cn/", False), ("http://c.gov.cn/", True)]
    assert sites.sites[0].info()["no_services"] is True
    assert "no_services" not in sites.sites[0].extra


def test_a_marked_site_audits_with_no_services_in_its_site_config() -> None:
    opts = SurveyOptions(as_of=date(2026, 11, 20).isoformat(), no_services=["http://a.gov.cn/"])
    assert plan_for("http://a.gov.cn/", opts).config.site == {"no_services": True}
    assert plan_for("http://b.gov.cn/", opts).config.site == {}
    assert SurveyOptions.from_dict(opts.to_dict()).no_services == ["http://a.gov.cn/"]  # stored with the survey
