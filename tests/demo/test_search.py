"""The demo's site search against the live server: it finds exactly the site's articles whose title holds
the query, echoes the query escaped, and leaves the bare search page a static file."""

from __future__ import annotations

import re

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from govaudit.demo import DemoServer, build
from govaudit.demo.server import other_host
from tests.demo.walk import SitePage


def search(client: httpx.Client, demo: DemoServer, manifest: dict, q: str | bytes) -> httpx.Response:
    path, param = manifest["search"]["path"], manifest["search"]["param"]
    if isinstance(q, bytes):  # raw, already percent-encoded
        return client.get(demo.url_for(path) + f"?{param}=" + q.decode("ascii"))
    return client.get(demo.url_for(path), params={param: q})


def results(resp: httpx.Response) -> tuple[int, list[tuple[str, str, str]]]:
    """(the count the page states, [(href, text, date)] of the listed results)."""
    tree = HTMLParser(resp.text)
    summary = tree.css_first("p.summary").text()
    count = int(re.search(r"共找到(\d+)条", summary).group(1))
    box = tree.css_first(".search-result")
    rows = [(li.css_first("a").attributes["href"], li.css_first("a").text(), li.css_first("span.date").text())
            for li in box.css("ul.list li")]
    return count, rows


@pytest.fixture(scope="module")
def articles(site: dict[str, SitePage]) -> dict[str, tuple[str, str | None]]:
    """Every article page the walk reached: path -> (ArticleTitle, PubDate day or None)."""
    out = {}
    for path, page in site.items():
        title = page.tree.css_first('meta[name="ArticleTitle"]')
        if title is None:
            continue
        pub = page.tree.css_first('meta[name="PubDate"]')
        out[path] = (title.attributes["content"], pub.attributes["content"][:10] if pub is not None else None)
    return out


def test_the_home_form_submits_where_the_manifest_says(site: dict[str, SitePage], manifest: dict) -> None:
    form = site["/"].tree.css_first("form[role=search]")
    assert form.attributes["action"] == manifest["search"]["path"] and form.attributes["method"] == "get"
    assert form.css_first(f'input[name="{manifest["search"]["param"]}"]') is not None


def test_examples_list_exactly_the_matching_articles(demo: DemoServer, client: httpx.Client, manifest: dict,
                                                     articles: dict[str, tuple[str, str | None]]) -> None:
    shown_max = manifest["search"]["shown_max"]
    assert len(manifest["search"]["examples"]) >= 4
    assert any(e["results"] > shown_max for e in manifest["search"]["examples"])  # the cap is exercised
    for example in manifest["search"]["examples"]:
        resp = search(client, demo, manifest, example["q"])
        assert resp.status_code == 200 and resp.headers["content-type"] == "text/html; charset=utf-8"
        count, rows = results(resp)
        words = example["q"].split()
        expected = {p for p, (title, _) in articles.items() if all(w in title for w in words)}
        assert count == example["results"] == len(expected), example
        assert len(rows) == min(count, shown_max)
        assert {href for href, _, _ in rows} <= expected
        if count <= shown_max:
            assert {href for href, _, _ in rows} == expected
        dates = [day for _, _, day in rows]
        assert dates == sorted(dates, reverse=True)  # newest first
        if count > shown_max:  # what is shown is the newest ones
            left_out = [articles[p][1] for p in expected - {href for href, _, _ in rows}]
            assert all(day is None or day <= dates[-1] for day in left_out)
        for href, text, day in rows:
            title, pub = articles[href]
            assert text == title and (pub is None or pub == day)


def test_every_article_is_found_by_its_title(demo: DemoServer, client: httpx.Client, manifest: dict,
                                             articles: dict[str, tuple[str, str | None]]) -> None:
    assert len(articles) == 75  # 76 list items, one of them removed (the soft 404)
    for path, (title, _) in articles.items():
        count, rows = results(search(client, demo, manifest, title))
        assert path in {href for href, _, _ in rows} and count >= 1, title


def test_query_is_echoed_escaped_and_never_re_expanded(demo: DemoServer, client: httpx.Client, manifest: dict) -> None:
    hostile = '"><script>alert(1)</script>{{results}}&amp;'
    resp = search(client, demo, manifest, hostile)
    assert resp.status_code == 200
    assert "<script>alert" not in resp.text and '"><script' not in resp.text
    escaped = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{results}}&amp;amp;"
    assert resp.text.count(escaped) == 2  # the summary and the input's value
    tree = HTMLParser(resp.text)
    assert tree.css_first("#q2").attributes["value"] == hostile
    assert tree.css_first("p.summary em").text() == hostile
    assert resp.text.count('class="nodata"') == 1 and results(resp) == (0, [])


def test_token_is_echoed_and_finds_nothing(demo: DemoServer, client: httpx.Client, manifest: dict) -> None:
    resp = search(client, demo, manifest, "zq5e1f00aax")
    assert "zq5e1f00aax" in resp.text and results(resp) == (0, [])
    assert "没有找到相关结果" in resp.text
    title = HTMLParser(resp.text).css_first("title").text()
    assert "不存在" not in title and "404" not in title  # a no-result page is not an error page


def test_blank_odd_and_long_queries(demo: DemoServer, client: httpx.Client, manifest: dict) -> None:
    for blank in ("", "   "):
        resp = search(client, demo, manifest, blank)
        assert resp.status_code == 200 and "请输入关键词" in resp.text and results(resp) == (0, [])
    gbk = search(client, demo, manifest, b"%D5%FE%B8%AE")  # 政府 in GBK bytes: decoded with replacement
    assert gbk.status_code == 200 and results(gbk)[0] == 0
    long = search(client, demo, manifest, "县" * 500)
    assert long.status_code == 200 and HTMLParser(long.text).css_first("#q2").attributes["value"] == "县" * 64
    spaced = search(client, demo, manifest, "  脐橙 ")
    assert results(spaced)[0] == next(e["results"] for e in manifest["search"]["examples"] if e["q"] == "脐橙")


def test_results_page_wears_the_site_chrome_and_asks_not_to_be_indexed(demo: DemoServer, client: httpx.Client,
                                                                        manifest: dict) -> None:
    tree = HTMLParser(search(client, demo, manifest, "政府").text)
    assert tree.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert tree.css_first(".footer") is not None and tree.css_first("form[role=search]") is not None
    assert tree.css_first("html").attributes.get("lang") == "zh-CN"


def test_bare_page_head_and_hidden_data(demo: DemoServer, client: httpx.Client, manifest: dict) -> None:
    bare = client.get(demo.url_for(manifest["search"]["path"]))
    assert bare.content == (build.SITE / "search" / "index.html").read_bytes()
    get = search(client, demo, manifest, "政府")
    head = client.head(get.request.url)
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == str(len(get.content))
    assert client.post(str(get.request.url)).status_code == 405
    for data in ("/search/_index.json", "/search/_results.html"):
        assert client.get(demo.url_for(data)).status_code == 404


def test_other_host_swaps_loopback_names() -> None:
    assert other_host("127.0.0.1:8080") == "localhost:8080"
    assert other_host("localhost:8080") == "127.0.0.1:8080"
    assert other_host("LOCALHOST:81") == "127.0.0.1:81"
    assert other_host("localhost") == "127.0.0.1"
    assert other_host("[::1]:8080") == "localhost:8080"
    assert other_host("[::1]") == "localhost"
    assert other_host("demo.example:9000") == "localhost:9000"

