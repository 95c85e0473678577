"""Choosing pages without a browser: URL patterns, page skeletons, templates, and raw-HTML signs."""

from __future__ import annotations

from govaudit.checks.accessibility.templates import group_pages, select_pages, skeleton, url_pattern
from govaudit.checks.accessibility.triage import contrast, signs

from govaudit.crawl.extract import parse_html
from govaudit.model import Page, SiteSnapshot

BASE = "http://gov.test"
CHROME = "<div class='top'><div class='w'>今天是</div></div><ul class='nav'><li><a href='/'>首页</a></li></ul>"
LIST = "<html lang='zh'><body>" + CHROME + "<div class='side'><ul><li>x</li></ul></div><div class='colmain'><ul class='list'>{items}</ul></div></body></html>"
ARTICLE = "<html lang='zh'><body>" + CHROME + "<div class='article'><h1>t</h1><div class='info'><span>d</span></div><div class='content'>{body}</div></div></body></html>"
HOME = "<html lang='zh'><body>" + CHROME + "<div class='focus'></div><div class='block'>{links}</div></body></html>"


def make(url: str, html: str, depth: int) -> Page:
    p = Page(url=url, final_url=url, depth=depth, status=200, is_html=True)
    p.links = parse_html(html, url).links
    p.set_text(html)
    return p


def site() -> SiteSnapshot:
    arts = [f"/xwdt/2026{m:02d}/t2026{m:02d}01_{m}.html" for m in range(1, 7)]
    lists = ["/xwdt/index.html", "/tzgg/index.html", "/ghjh/index.html"]
    home_links = "".join(f"<a href='{u}'>x</a>" for u in lists + arts)
    pages = {BASE + "/": make(BASE + "/", HOME.format(links=home_links), 0)}
    for i, u in enumerate(lists):
        items = "".join(f"<li><a href='{a}'>a</a></li>" for a in arts[: 2 + i])
        html = LIST.format(items=items)
        if u == "/ghjh/index.html":
            html = html.replace("<html lang='zh'>", "<html>")
        pages[BASE + u] = make(BASE + u, html, 1)
    for u in arts:
        body = "<p>正文</p>" * (2 if u.endswith("_3.html") else 5)
        if u.endswith("_5.html"):
            body += "<img src='/a.png'>"
        pages[BASE + u] = make(BASE + u, ARTICLE.format(body=body), 1)
    return SiteSnapshot(start_url=BASE + "/", home_url=BASE + "/", pages=pages)


def test_url_patterns_hide_numbers_and_query_values() -> None:
    assert url_pattern("http://x/xwdt/202611/t20261118_4341.html") == "/xwdt/{n}/t{n}_{n}.html"
    assert url_pattern("http://x/list.jsp?page=3&col=12") == "/list.jsp?col=&page="
    assert url_pattern("http://x") == "/"


def test_skeletons_ignore_list_length_and_text_but_not_layout() -> None:
    a = skeleton(LIST.format(items="<li><a href='/1'>1</a></li>"))
    b = skeleton(LIST.format(items="<li><a href='/1'>1</a></li>" * 30))
    c = skeleton(ARTICLE.format(body="<p>x</p>"))
    assert a == b and a != c
    assert "body>div.top>div.w" in a and "body>div.colmain>ul.list>li>a" in a
    assert skeleton("") == frozenset()


def test_pages_group_into_home_list_and_article_templates() -> None:
    templates = group_pages(site())
    keys = {t.key: (t.pattern, len(t.urls)) for t in templates}
    assert keys["home"] == ("/", 1)
    assert sorted(v for k, v in keys.items() if k != "home") == [
        ("/xwdt/index.html", 3),  # three list pages, one named: the pattern of the first in reading order
        ("/xwdt/{n}/t{n}_{n}.html", 6),  # six articles, short and long, one with an image
    ]
    # Members follow the reader's order: the home page's links, in page order.
    (arts,) = [t for t in templates if len(t.urls) == 6]
    assert arts.urls[0] == BASE + "/xwdt/202601/t20260101_1.html"


def test_selection_home_then_templates_then_signs_then_more() -> None:
    snap = site()
    templates = group_pages(snap)
    sign_map = {p.final_url: signs(p.text) for p in snap.pages.values()}
    assert sign_map[BASE + "/ghjh/index.html"] == {"html-has-lang"}
    assert sign_map[BASE + "/xwdt/202605/t20260501_5.html"] == {"image-alt"}
    picks = select_pages(templates, 5, sign_map)
    assert [(p.url[len(BASE):], p.reason) for p in picks] == [
        ("/", "home"),
        ("/xwdt/202601/t20260101_1.html", "template"),
        ("/xwdt/index.html", "template"),
        ("/xwdt/202605/t20260501_5.html", "sign: image-alt"),
        ("/ghjh/index.html", "sign: html-has-lang"),
    ]
    assert len(select_pages(templates, 100, sign_map)) == len(snap.pages)  # never more than there are
    assert [p.reason for p in select_pages(templates, 1, sign_map)] == ["home"]


def test_signs_in_raw_html() -> None:
    assert signs("<html><body></body></html>") == {"html-has-lang"}
    assert signs("<html lang=zh><img src=a.png alt=''><img src=b.png role=presentation></html>") == set()
    assert "image-alt" in signs("<html lang=zh><img src=a.png></html>")
    assert "label" in signs("<html lang=zh><p>建议：<input type=text name=jy></p></html>")
    assert signs("<html lang=zh><label>姓名 <input name=n></label><label for=t>电话</label><input id=t>"
                 "<input type=hidden name=h><input type=submit><input placeholder=搜索 name=q></html>") == set()
    assert "color-contrast" in signs("<html lang=zh><p style='color:#cccccc;background-color:#ffffff'>x</p></html>")
    assert signs("<html lang=zh><p style='color:#333;background:#fff'>x</p></html>") == set()


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert round(contrast((0, 0, 0), (255, 255, 255)), 2) == 21.0
    assert round(contrast((0xCC, 0xCC, 0xCC), (255, 255, 255)), 2) == 1.61  # the demo's p.tips
    assert round(contrast((0x77, 0x77, 0x77), (255, 255, 255)), 2) == 4.48  # just under 4.5
