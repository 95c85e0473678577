"""The accessibility check on small local sites with known defects, in the real Chromium.

Every site is served on 127.0.0.1, crawled by the real crawler and tested by the check with the
module's one browser; each elderly-friendly probe is shown firing and staying quiet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from govaudit.checks.accessibility import AccessibilityCheck
from govaudit.checks.accessibility.check import Options

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig, loopback_fast
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.errors import UsageError
from govaudit.model import CheckResult
from tests.a11y.conftest import Browser
from tests.conftest import run
from tests.support.server import LocalServer, Reply, page

HEAD = "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>{style}</head>"
HEADER = ("<header><a href='javascript:void(0)' id='wza'>无障碍</a> <a href='/ghb.html'>关怀版</a>"
          "<form role='search' action='/search.html'><label for='q'>站内搜索</label>"
          "<input id='q' name='q' type='search'><button type='submit'>搜索</button></form></header>"
          "<nav class='nav'><a href='/a1.html'>要闻动态</a> <a href='/a2.html'>通知公告</a> "
          "<a href='/a3.html'>政策文件</a> <a href='/list.html'>政务公开</a></nav>")
FOOTER = "<footer><p>主办单位：青山县人民政府办公室</p></footer>"
CLEAN_STYLE = "<style>body{margin:0;font:16px/1.6 sans-serif;color:#222;background:#fff} main{max-width:100%}</style>"


def doc(title: str, main: str, style: str = CLEAN_STYLE, header: str = HEADER, extra: str = "") -> str:
    return (HEAD.format(title=title, style=style) + "<body>" + header + f"<main><h1>{title}</h1>{main}</main>"
            + FOOTER + extra + "</body></html>")


def clean_site() -> dict[str, Reply]:
    article = "<p>县政府召开常务会议，研究部署冬季森林防火工作。</p><p><img src='/img.png' alt='会议现场'></p>"
    routes = {"/": page(doc("青山县人民政府", "<ul><li><a href='/a1.html'>常务会议</a></li></ul>")),
              "/img.png": Reply(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")}
    for i in (1, 2, 3):
        routes[f"/a{i}.html"] = page(doc(f"文章{i}", article))
    routes["/list.html"] = page(doc("政务公开", "<ul><li><a href='/a1.html'>文章1</a></li></ul>"))
    return routes


def check(browser: Browser, routes: dict[str, Reply], **options: Any) -> tuple[CheckResult, str]:
    """Crawl the site and run the accessibility check with the module's browser."""
    options.setdefault("popup_wait", 0.5)
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.use_sitemap = False
    with LocalServer(routes) as srv:

        async def go() -> CheckResult:
            async with Fetcher(cfg.crawl) as fetcher:
                snap = await crawl(srv.url("/"), cfg.crawl, fetcher)
                ctx = CheckContext(fetcher=fetcher, config=cfg, as_of=date(2026, 11, 20), options=options,
                                   renderer=browser.renderer)
                return await AccessibilityCheck().run(snap, ctx)

        return browser.run(go()), srv.base


def rules(result: CheckResult) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_a_clean_site_has_no_violation_and_passes_every_elderly_probe(browser: Browser) -> None:
    result, base = check(browser, clean_site())
    assert result.status == "ok", result.error
    m = result.metrics
    assert m["pages_tested"] == 5 and m["pages_failed"] == 0
    assert m["violations"] == 0 and m["violations_serious"] == 0 and m["rules_violated"] == 0
    assert m["axe_version"] == "4.12.1"
    assert m["elderly_entry"] == 1 and m["elderly_keyboard_nav"] == 1 and m["elderly_keyboard_search"] == 1
    assert m["elderly_focus_visible"] == 1.0
    assert m["elderly_zoom_overflow"] == 0 and m["elderly_font_small"] == 0 and m["elderly_popups"] == 0
    assert not [f for f in result.findings if f.rule.startswith("elderly:")], result.findings
    assert {row["check"]: row["result"] for row in result.data["elderly"]}["elderly:keyboard-search"] == "pass"
    assert result.data["axe_version"] == "4.12.1" and "GB/T 37668-2019" in result.data["note"]


def test_one_template_defect_is_one_finding_listing_its_pages(browser: Browser) -> None:
    routes = clean_site()
    bad_article = "<p>会议要求各地压实责任。</p><p><img src='/img.png'></p>"  # no alt on every article
    for i in (1, 2, 3):
        routes[f"/a{i}.html"] = page(doc(f"文章{i}", bad_article))
    result, base = check(browser, routes)
    (finding,) = rules(result)["axe:image-alt"]
    ev = finding.evidence
    assert sorted(ev["pages"]) == [f"{base}/a{i}.html" for i in (1, 2, 3)]
    assert finding.page in ev["pages"] and ev["nodes"] == 3
    assert ev["wcag"] == ["1.1.1"] and ev["level"] == "A" and ev["impact"] == "critical"
    assert ev["gbt"] == ["GB/T 37668-2019 可感知性 › 文本替代 (WCAG 1.1.1)"] and ev["gbt_level"] == "一级"
    assert ev["selector"] == 'img[src$="img.png"]' or "img" in ev["selector"]
    assert ev["html"].startswith("<img") and finding.element == "img" and finding.severity == "error"
    assert result.metrics["violations"] == 1 and result.metrics["wcag_a"] == 1
    (row,) = [r for r in result.data["rules"] if r["rule"] == "image-alt"]
    assert row["pages"] == 3 and row["templates"] == 1 and "1.1.1 Non-text Content (A)" in row["wcag"]
    # The page with serious violations got a screenshot, and the finding points at it.
    assert ev["screenshot"].startswith("screenshot:") and ev["screenshot"][len("screenshot:"):] in ev["pages"]
    assert ev["screenshot"] in browser.renderer.assets


def test_needs_review_results_are_kept_apart_from_violations(browser: Browser) -> None:
    routes = clean_site()
    # Text over a gradient: axe cannot compute the contrast, it answers "incomplete".
    routes["/list.html"] = page(doc("政务公开", "<p style='background:linear-gradient(#fff,#888);color:#555'>"
                                    "温馨提示：请核对</p>"))
    result, _ = check(browser, routes)
    review = [r for r in result.data["needs_review"] if r["rule"] == "color-contrast"]
    assert review and review[0]["page"].endswith("/list.html")
    assert "axe:color-contrast" not in rules(result)
    assert result.metrics["incomplete"] >= 1 and result.metrics["violations"] == 0


def test_no_entry_small_text_and_a_fixed_width_layout(browser: Browser) -> None:
    header = HEADER.replace("<a href='javascript:void(0)' id='wza'>无障碍</a> <a href='/ghb.html'>关怀版</a>", "")
    style = "<style>body{margin:0;font:12px/1.5 sans-serif} main{width:1200px}</style>"
    routes = {"/": page(doc("首页", "<p>" + "县政府工作动态。" * 40 + "</p>", style=style, header=header))}
    result, base = check(browser, routes)
    found = rules(result)
    (entry,) = found["elderly:entry"]
    assert entry.page == base + "/" and entry.severity == "warning" and "无障碍" in entry.evidence["searched"]
    (zoom,) = found["elderly:zoom-200"]
    assert zoom.evidence["scroll_width"] >= 1200 and zoom.evidence["viewport_width"] == 640
    assert zoom.evidence["wcag"] == ["1.4.4", "1.4.10"]
    (font,) = found["elderly:font-size"]
    assert font.evidence["body_px"] == 12
    assert result.metrics["elderly_entry"] == 0 and result.metrics["elderly_font_small"] == 1


def test_an_overlay_that_appears_after_load_is_a_popup(browser: Browser) -> None:
    overlay = ("<script>setTimeout(function () { var d = document.createElement('div');"
               "d.id = 'tc'; d.textContent = '欢迎访问！';"
               "d.style.cssText = 'position:fixed;left:0;top:0;width:100%;height:100%;background:rgba(0,0,0,.6);z-index:999';"
               "document.body.appendChild(d); }, 300);</script>")
    routes = clean_site()
    routes["/"] = page(doc("青山县人民政府", "<p>首页</p>", extra=overlay))
    result, base = check(browser, routes, popup_wait=1.5)
    (popup,) = rules(result)["elderly:popup"]
    assert popup.page == base + "/"
    assert popup.evidence["popups"][0]["kind"] == "overlay" and popup.evidence["selector"] == "div#tc"
    assert popup.evidence["verified"] == "V"


def test_a_floating_ad_that_moves_by_itself_is_a_popup(browser: Browser) -> None:
    floater = ("<div id='pc' style='position:absolute;left:10px;top:200px;width:160px;height:90px;"
               "background:#c00;color:#fff;z-index:50'>飘窗广告</div>"
               "<script>var x = 10; setInterval(function () { x += 3;"
               "document.getElementById('pc').style.left = x + 'px'; }, 40);</script>")
    routes = clean_site()
    routes["/"] = page(doc("青山县人民政府", "<p>首页</p>", extra=floater))
    result, _ = check(browser, routes, popup_wait=1.0)
    (popup,) = rules(result)["elderly:popup"]
    assert [p["kind"] for p in popup.evidence["popups"]] == ["floating"]
    assert popup.evidence["popups"][0]["selector"] == "div#pc"


def test_windows_and_alerts_opened_on_load_are_popups(browser: Browser) -> None:
    routes = clean_site()
    routes["/"] = page(doc("青山县人民政府", "<p>首页</p>",
                           extra="<script>alert('通知'); window.open('/a1.html');</script>"))
    result, base = check(browser, routes)
    (popup,) = rules(result)["elderly:popup"]
    assert popup.evidence["dialogs"] == ["通知"]
    assert popup.evidence["windows"] == [base + "/a1.html"]


def test_keyboard_that_cannot_reach_nav_or_search_and_invisible_focus(browser: Browser) -> None:
    header = (HEADER.replace("<input id='q' name='q' type='search'>", "<input id='q' name='q' type='search' tabindex='-1'>")
              .replace("<a href='/a", "<a tabindex='-1' href='/a").replace("<a href='/list", "<a tabindex='-1' href='/list"))
    style = CLEAN_STYLE + "<style>*:focus{outline:none}</style>"
    routes = clean_site()
    routes["/"] = page(doc("青山县人民政府", "<p><a href='/a1.html'>一</a> <a href='/a2.html'>二</a></p>",
                           style=style, header=header))
    result, _ = check(browser, routes)
    found = rules(result)
    assert "elderly:keyboard-nav" in found and "elderly:keyboard-search" in found
    (focus,) = found["elderly:focus-visible"]
    assert focus.evidence["no_focus_style"] and focus.evidence["wcag"] == ["2.4.7"]
    assert result.metrics["elderly_keyboard_nav"] == 0 and result.metrics["elderly_keyboard_search"] == 0
    assert result.metrics["elderly_focus_visible"] < 0.8


def test_the_page_cap_holds_and_signs_move_pages_up(browser: Browser) -> None:
    routes = clean_site()
    for i in range(4, 12):  # eight more articles of the same template
        routes[f"/a{i}.html"] = page(doc(f"文章{i}", "<p>正文</p>"))
    routes["/a9.html"] = page(doc("文章9", "<p>正文</p><p><img src='/img.png'></p>"))  # only this one lacks alt
    nav = "".join(f"<a href='/a{i}.html'>文章{i}</a> " for i in range(4, 12))
    routes["/"] = page(doc("青山县人民政府", f"<p>{nav}</p>"))
    result, base = check(browser, routes, max_pages=4)
    assert result.metrics["pages_tested"] == 4
    why = {row["page"][len(base):]: row["why"] for row in result.data["pages"]}
    assert why["/a9.html"] == "sign: image-alt"
    (finding,) = rules(result)["axe:image-alt"]
    assert finding.page == base + "/a9.html"


def test_without_a_browser_the_check_is_skipped_with_the_reason() -> None:
    cfg = AuditConfig()
    cfg.browser.path = "/nonexistent/chromium"
    with LocalServer(clean_site()) as srv:

        async def go() -> CheckResult:
            async with Fetcher(cfg.crawl) as fetcher:
                snap = await crawl(srv.url("/"), cfg.crawl, fetcher)
                ctx = CheckContext(fetcher=fetcher, config=cfg, as_of=date(2026, 11, 20), renderer=None)
                return await AccessibilityCheck().run(snap, ctx)

        result = run(go())
    assert result.status == "skipped"
    assert result.error == ("no browser: --browser /nonexistent/chromium: no such file; install one with "
                            "`apt-get install -y chromium fonts-noto-cjk`, or give --browser PATH")
    assert result.findings == [] and "violations" not in result.metrics


def test_options_are_validated_before_the_crawl() -> None:
    from govaudit.audit import AuditPlan, validate_plan
    from govaudit.profiles import load_profile

    cfg = AuditConfig()
    cfg.checks["accessibility"] = {"max_pages": "many"}
    plan = AuditPlan(url="http://unreachable.invalid/", profile=load_profile("wcag21-aa"), as_of=date(2026, 11, 20),
                     config=cfg)
    with pytest.raises(UsageError, match=r"\[checks.accessibility\]: max_pages"):
        validate_plan(plan)
    assert Options.parse({}).max_pages is None  # the whole site by template and defect sign
    assert Options.parse({"pages": 3, "elderly": False}).elderly is False
    for bad in ({"max_pages": 0}, {"elderly": "yes"}, {"popup_wait": -1}, {"axe_tags": "wcag2a"},
                {"whatever": 1}, {"axe_rules": {"image-alt": "off"}}):
        with pytest.raises(UsageError):
            Options.parse(bad)


def test_an_unusable_axe_script_makes_the_check_fail_not_skip(browser: Browser, tmp_path) -> None:
    from govaudit.browser import Renderer
    from tests.a11y.conftest import chromium

    fake = tmp_path / "axe.min.js"
    fake.write_text("window.notAxe = true;" * 1000)
    renderer = Renderer(chromium(), axe_js=str(fake))
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    with LocalServer(clean_site()) as srv:

        async def go() -> CheckResult:
            try:
                async with Fetcher(cfg.crawl) as fetcher:
                    snap = await crawl(srv.url("/"), cfg.crawl, fetcher)
                    ctx = CheckContext(fetcher=fetcher, config=cfg, as_of=date(2026, 11, 20), renderer=renderer)
                    return await AccessibilityCheck().run(snap, ctx)
            finally:
                await renderer.close()

        result = browser.run(go())
    assert result.status == "error" and "does not look like axe.min.js" in result.error


def many_templates_site(n: int) -> dict[str, Reply]:
    """A home page linking n pages, each built from a template of its own (distinct DOM structure);
    page t{n-1} alone has an unlabelled input (the search page nobody samples by URL)."""
    links = "".join(f"<li><a href='/t{i}.html'>栏目{i}</a></li>" for i in range(n))
    routes = {"/": page(doc("青山县人民政府", f"<ul>{links}</ul>"))}
    for i in range(n):
        # a template of its own: i nested sections with a class of their own
        shape = "".join(f"<section class='s{chr(97 + k)}'>" for k in range(i % 6 + 1)) + "<p>内容</p>" \
            + "</section>" * (i % 6 + 1)
        wrapper = f"<div class='tpl-{chr(97 + i % 26)}{chr(97 + i // 26)}'>{shape}</div>"
        form = "<form action='/s'><input name='kw' type='text'><button>查询</button></form>" if i == n - 1 else ""
        routes[f"/t{i}.html"] = page(doc(f"栏目{i}", wrapper + form))
    return routes


def test_by_default_every_template_and_every_defect_sign_is_tested(browser: Browser) -> None:
    """Issue 14 item 4: the default covers the site by DOM template, not a 20-page sample."""
    result, base = check(browser, many_templates_site(26), elderly=False, screenshots=False)
    assert result.status == "ok", result.error
    tested = {row["page"] for row in result.data["pages"]}
    templates = result.metrics["templates"]
    assert templates >= 22 and result.metrics["pages_tested"] >= templates  # more than the old 20
    assert f"{base}/t25.html" in tested  # the page with the unlabelled input
    assert "axe:label" in rules(result)
    assert "cap" not in result.data and result.partial == {}


def test_an_explicit_cap_that_binds_is_stated_and_makes_the_verdict_partial(browser: Browser) -> None:
    result, _ = check(browser, many_templates_site(26), elderly=False, screenshots=False, max_pages=5)
    assert result.metrics["pages_tested"] == 5 and result.metrics["cap_bound"] == 1
    assert "the cap of 5 pages (--a11y-pages)" in result.data["cap"]
    assert "templates" in result.data["cap"]
    assert set(result.partial) >= {"violations", "wcag_a", "wcag_aa"}
