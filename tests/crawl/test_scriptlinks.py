"""Links inline scripts write with literal values are read from the page's text (issue 11 item 6):
a TRS related-article box or 上一篇/下一篇 costs no browser load, and a script whose hrefs come from
anywhere else is reported incomplete so the page keeps its render signal."""

from __future__ import annotations

import time

from govaudit.crawl.extract import parse_html
from govaudit.crawl.scriptlinks import script_links

TRS_NEXT = """
    var  str="";
    var str_1 = "./t20190810_21912794.html";
    var str_4 = '道真县2019年事业单位公开招聘面试成绩公示';
    if(str_4!="") {
        jQuery("#no2").hide();
        if (str=="") {
            document.write('<a  href="'+str_1+'" alt="'+str_4+'" title="'+str_4+'">'+str_4+'</a>');
        } else {
            document.write('<a  href="'+str+'" alt="'+str_4+'" title="'+str_4+'">'+str_4+'</a>');
        }
    }
"""
RELATED = "".join(  # a related-article box: one block of literals and one write per item
    f'var str_1 = "../2017{i:02}/t2017{i:02}20_{i}.html"; var str_4 = "标题{i}";'
    "document.write('<li><a href=\"'+str_1+'\" title=\"'+str_4+'\">'+str_4+'</a></li>');\n"
    for i in range(1, 4))


def test_literal_hrefs_are_read_and_complete() -> None:
    got = script_links(TRS_NEXT)
    assert got.urls == ["./t20190810_21912794.html"] and got.complete  # str="" is no URL
    got = script_links(RELATED)
    assert got.urls == ["../201701/t20170120_1.html", "../201702/t20170220_2.html", "../201703/t20170320_3.html"]
    assert got.complete
    got = script_links("document.write('<li><a href=\"../zyzc/\">专题专栏</a></li><a href=/x/>x</a>');")
    assert got.urls == ["../zyzc/", "/x/"] and got.complete
    # JS-escaped quotes inside a double-quoted string
    got = script_links('document.write("<a href=\\"/jgsz/index.html\\">机构设置</a>");')
    assert got.urls == ["/jgsz/index.html"] and got.complete


def test_hrefs_from_outside_the_text_make_it_incomplete() -> None:
    partial = script_links("document.write('<a href=\"/show.asp?id=' + id + '\">x</a>');")
    assert not partial.complete and partial.urls == []  # never the cut '/show.asp?id='
    for code in (
        "$.each(d, function (i, item) { html += '<a href=\"' + item.url + '\">' + item.name + '</a>'; });",
        "html += '<a href=\"' + d[i].url + '\">';",
        "function w(u) { document.write('<a href=\"' + u + '\">x</a>'); }",  # a parameter
        "el.innerHTML = `<a href=\"${u}\">x</a>`;",
        "var a = document.createElement('a'); a.href = '/x.html';",
        "document.write(unescape('%3Ca href=%22/x%22%3E'));",
        "document.write('<a ' + attrs + '>x</a>');",  # more anchors than hrefs seen
        "document.write('<a href=\"' + base + '/list.html\">x</a>'); var base = '/a';",  # more after the value
    ):
        assert not script_links(code).complete, code


def test_script_redirects_and_plain_code_are_not_links() -> None:
    got = script_links("if (m) { window.location.href = '/search.html'; } location.href=\"/m/\";")
    assert got.urls == [] and got.complete
    got = script_links("document.write('<span>' + new Date().getFullYear() + '</span>');")
    assert got.urls == [] and got.complete


def test_the_page_parser_adds_script_written_links() -> None:
    html = (f"<html><body><a href='/a.html'>a</a><script>{TRS_NEXT}</script>"
            "<script src='/js/x.js'>var str_1 = '/never.html'; document.write('<a href=\"'+str_1+'\">')</script>"
            "<script>window.location.href = '/search.html';</script></body></html>")
    links = parse_html(html, "http://127.0.0.1:9/gzdt/rsks/201908/t20190822_1.html", "utf-8").links
    urls = [link.url for link in links]
    assert "http://127.0.0.1:9/gzdt/rsks/201908/t20190810_21912794.html" in urls
    assert next(link for link in links if link.url.endswith("t20190810_21912794.html")).element == "a"
    assert not any(u.endswith(("/never.html", "/search.html")) for u in urls)  # src scripts, redirects


def test_one_linear_pass_on_hostile_scripts() -> None:
    hostile = "href=\"'+x+'" * 30000 + "var x = '" + "y" * 100_000 + "href=" * 50000 + "<a " * 50000
    started = time.monotonic()
    script_links(hostile)
    assert time.monotonic() - started < 10.0
