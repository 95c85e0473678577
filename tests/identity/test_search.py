"""Site search: present or not, and answering a query (submitted through the audit's fetcher) or not."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from govaudit.checks.identity import IdentityCheck
from govaudit.checks.identity.html import Doc
from govaudit.checks.identity.search import find_search_form

from tests.identity.pages import cn_page, home
from tests.identity.servers import audit, rules
from tests.support.server import page, serving

STATIC = cn_page("站内搜索", {}, "<h1>站内搜索</h1><p>请输入关键词</p>")


def no_v6(host: str) -> list[str]:
    return []


def query_of(req: BaseHTTPRequestHandler) -> str:
    return parse_qs(urlsplit(req.path).query).get("q", [""])[0]


def echoing(req: BaseHTTPRequestHandler):  # noqa: ANN201
    q = query_of(req)
    return page(cn_page("搜索结果", {}, f"<p>共找到 0 条与“{q}”相关的结果</p>"))


def listing(req: BaseHTTPRequestHandler):  # noqa: ANN201
    # no echo of the query at all, but results for a real word
    results = "".join(f'<li><a href="/r/{n}.html">结果{n}</a></li>' for n in range(3)) if query_of(req) == "政府" else ""
    return page(cn_page("搜索结果", {}, f"<ul>{results}</ul>"))


def test_search_that_echoes_the_query_answers() -> None:
    with serving({"/": page(home()), "/search": echoing}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert (res.metrics["search_present"], res.metrics["search_answers"]) == (1, 1)
        assert not {"search-missing", "search-no-answer"} & rules(res)
        assert res.data["search"]["probe"]["reason"] == "the results page echoes the query"
        asked = [p for m, p in srv.log if p.startswith("/search?")]
        assert len(asked) == 2 and any("q=%E6%94%BF%E5%BA%9C" in p for p in asked)  # 政府, then a token


def test_search_that_lists_results_answers() -> None:
    with serving({"/": page(home()), "/search": listing}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert res.metrics["search_answers"] == 1
        assert "lists 3 links" in res.data["search"]["probe"]["reason"]


def test_static_search_page_does_not_answer() -> None:
    with serving({"/": page(home()), "/search": page(STATIC)}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert (res.metrics["search_present"], res.metrics["search_answers"]) == (1, 0)
        f = next(f for f in res.findings if f.rule == "search-no-answer")
        assert f.element == "form" and "/search?q=" in (f.target or "")


def test_search_page_that_errors_does_not_answer() -> None:
    with serving({"/": page(home())}) as srv:  # /search is a 404
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert res.metrics["search_answers"] == 0
        assert "404" in next(f for f in res.findings if f.rule == "search-no-answer").message


def test_no_search_box_fires() -> None:
    with serving({"/": page(home(search=False))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        # nothing to submit: "answers" is unknown (the missing box is search-missing's business)
        assert (res.metrics["search_present"], res.metrics["search_answers"]) == (0, None)
        assert "search-missing" in rules(res) and "search-no-answer" not in rules(res)


def test_post_and_script_search_boxes_are_present_but_not_judged() -> None:
    post = home(search=False).replace('<div class="header">', '<div class="header"><form action="/s.jsp" '
                                      'method="post"><input name="keyword"><input type="submit" value="搜索"></form>')
    script = home(search=False).replace('<div class="header">', '<div class="header"><input id="searchword" '
                                        'placeholder="请输入搜索关键词"><a onclick="doSearch()">搜索</a>')
    for html, reason in ((post, "uses POST"), (script, "script-driven")):
        with serving({"/": page(html)}) as srv:
            _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
            assert res.metrics["search_present"] == 1
            assert res.metrics["search_answers"] is None  # unknown: an indicator on it says "error"
            assert not {"search-missing", "search-no-answer"} & rules(res)
            assert reason in res.data["search"]["probe"]["reason"]


def test_search_query_option_and_hidden_inputs() -> None:
    form = ('<form action="/search" method="get"><input type="hidden" name="siteid" value="36">'
            '<input name="q"><button>检索</button></form>')
    got: list[dict] = []

    def record(req: BaseHTTPRequestHandler):  # noqa: ANN202
        got.append(parse_qs(urlsplit(req.path).query))
        return echoing(req)

    with serving({"/": page(home(search=False).replace('<div class="header">', '<div class="header">' + form)),
                  "/search": record}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), {"search_query": "青山"})
        assert res.metrics["search_answers"] == 1
        assert got[0] == {"siteid": ["36"], "q": ["青山"]}


def test_a_login_form_is_not_a_search_box() -> None:
    doc = Doc('<form action="/login.do" method="post"><input name="username"><input type="password" name="pw">'
              '<button>登录</button></form>', "http://s.gov.cn/")
    assert find_search_form(doc) is None


# ---- a search box driven by script, recognised by what it is (issue 17, pattern 11) ----------

SCRIPT_BOX = ('<div class="sous f_r"><dl><dt><a href="javascript:void(0);" id="j_search_btn">'
              '<img src="/images/sous.png"></a></dt><dd><input id="keyword" name="keyword" type="text" '
              'class="sous_sy" value="请输入关键字"></dd></dl></div>'
              '<script>jQuery("#j_search_btn").click(function(){ var key = document.getElementById("keyword")'
              '.value; window.location.href = "/search.html?keyword=" + key; });</script>')


def test_a_script_driven_box_with_an_image_button_is_a_search_box() -> None:
    html = home(search=False).replace('<div class="header">', '<div class="header">' + SCRIPT_BOX)
    with serving({"/": page(html)}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert res.metrics["search_present"] == 1
        assert "search-missing" not in rules(res)
        assert res.data["search"]["form"]["method"] == "script"
        assert "trigger" in res.data["search"]["form"]["evidence"]


def test_a_query_box_without_a_search_trigger_is_not_a_search_box() -> None:
    for box in ('<input name="keyword" placeholder="请输入关键字"><button>订阅</button>',
                '<input name="email" placeholder="请输入邮箱"><a href="/dy.html">订阅</a>',
                '<div><input id="k"><a href="/so.html">搜索</a></div>'.replace("搜索", "查看")):
        doc = Doc(f"<html><body><div class='top'>{box}</div></body></html>", "http://s.gov.cn/")
        assert find_search_form(doc) is None, box


def test_gzdzhrss_home_script_search_box(corpus: Path) -> None:
    """道真县人社局 (TRS WCM): `<input id=keyword>` beside `<a id=j_search_btn><img sous.png>`, a
    jQuery click handler going to /search.html?keyword=… — no <form>."""
    html = (corpus / "cn-portals" / "gzdzhrss_com" / "site" / "index.html").read_text(encoding="utf-8")
    found = find_search_form(Doc(html, "http://127.0.0.1/"))
    assert found is not None and (found.method, found.param) == ("script", "keyword")
    with serving({"/": page(html)}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), max_pages=1)
        assert res.metrics["search_present"] == 1 and "search-missing" not in rules(res)


def test_gxpopss_home_has_no_search_box(corpus: Path) -> None:
    """广西社科规划办's home page has no input at all: "no site search" is the truth there."""
    html = (corpus / "cn-portals" / "gxpopss_cn" / "site" / "index.html").read_text(encoding="utf-8")
    assert find_search_form(Doc(html, "http://127.0.0.1/")) is None
