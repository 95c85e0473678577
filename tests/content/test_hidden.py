"""Hidden spam links (暗链): every hiding technique fires, visible and in-site links do not, spam
wording turns a hidden link into an error, and government widgets that hide a link are allowed."""

from __future__ import annotations

import pytest
from govaudit.checks.content import ContentCheck
from govaudit.checks.content.css import colour, hiding_reason, parse_declarations, parse_stylesheet
from govaudit.checks.content.hidden import written_html

from tests.identity.servers import audit
from tests.support.server import page, serving

SPAM = '<a href="http://www.yl-casino888.example/">澳门葡京娱乐城 真人视讯</a>'
PLAIN = '<a href="http://www.partner.example/">合作伙伴</a>'


def site(body: str, head: str = "") -> str:
    return (f'<html><head><meta charset="utf-8"><title>青山县人民政府</title>{head}</head><body>'
            f'<div class="main"><p>正文</p>{body}</div></body></html>')


def scan(body: str, head: str = "", options: dict | None = None):  # noqa: ANN201
    with serving({"/": page(site(body, head))}) as srv:
        _, res = audit(ContentCheck(), srv.url("/"), dict({"external": False}, **(options or {})))
    return res


@pytest.mark.parametrize(("body", "head", "reason"), [
    (f'<div style="display:none">{SPAM}</div>', "", "display:none"),
    (f'<div style="DISPLAY: NONE !important">{SPAM}</div>', "", "display:none"),
    (f'<span style="visibility:hidden">{SPAM}</span>', "", "visibility:hidden"),
    (f'<div style="position:absolute;top:-9999px;left:-9999px">{SPAM}</div>', "", "off-screen"),
    (f'<div style="text-indent:-99999px">{SPAM}</div>', "", "off-screen"),
    (f'<div style="width:0;height:0;overflow:hidden">{SPAM}</div>', "", "overflow:hidden"),
    (f'<div style="height:1px;overflow:hidden">{SPAM}</div>', "", "overflow:hidden"),
    (f'<p style="font-size:0">{SPAM}</p>', "", "font-size"),
    (f'<p style="font-size:1px">{SPAM}</p>', "", "font-size"),
    (f'<div style="opacity:0">{SPAM}</div>', "", "opacity"),
    (f'<div style="color:#fff;background:#ffffff">{SPAM}</div>', "", "same colour"),
    ('<div style="background-color:white"><a style="color:rgb(255,255,255)" '
     'href="http://www.yl-casino888.example/">澳门葡京娱乐城</a></div>', "", "same colour"),
    (f'<div class="lk">{SPAM}</div>', "<style>.lk{display:none}</style>", "style rule .lk"),
    (f'<div id="x1"><ul><li>{SPAM}</li></ul></div>', "<style>@media screen{#x1 li{visibility:hidden}}</style>",
     "style rule #x1 li"),
    (f'<div hidden>{SPAM}</div>', "", "hidden attribute"),
    (f'<marquee height="1" width="1">{SPAM}</marquee>', "", "marquee"),
    (f'<div id="zz">{SPAM}</div><script>document.getElementById("zz").style.display="none";</script>', "",
     "script"),
])
def test_each_hiding_technique_fires(body: str, head: str, reason: str) -> None:
    res = scan(body, head)
    (f,) = [f for f in res.findings if f.rule == "hidden-spam-link"]
    assert reason in f.evidence["reason"], f.evidence["reason"]
    assert f.severity == "error" and f.target == "http://www.yl-casino888.example/"
    assert f.evidence["category"] == "gambling"
    assert res.metrics["hidden_spam_links"] == 1 and res.metrics["harmful_links"] == 1


def test_links_written_by_document_write_are_read() -> None:
    script = ("<script>document.write('<div style=\"display:none\">');"
              "document.write('<a href=\"http://av-tt.example/\">成人视频 无码</a>');"
              "document.write('</div>');</script>")
    res = scan(script)
    (f,) = [f for f in res.findings if f.rule == "hidden-spam-link"]
    assert f.evidence["source"] == "document.write" and f.evidence["category"] == "porn"


@pytest.mark.parametrize("body", [
    SPAM,  # visible: the links check and a human can see it; not a 暗链
    '<div style="display:none"><a href="/internal.html">内部链接</a></div>',  # hidden, but in-site
    '<a class="skip" style="position:absolute;left:-9999px" href="#main">跳到主要内容</a>',
    f'<div style="color:#fff;background:#000">{SPAM}</div>',  # contrasting colours
    f'<div style="height:0">{SPAM}</div>',  # zero height without clipping: the text overflows, visible
    f'<div class="lk">{SPAM}</div><style>.lk:hover{{display:none}}</style>',  # only on hover
])
def test_visible_or_in_site_links_do_not_fire(body: str) -> None:
    res = scan(body)
    assert [f.rule for f in res.findings] == []
    assert res.metrics["hidden_links"] == 0


def test_a_hidden_link_without_spam_wording_is_a_warning() -> None:
    res = scan(f'<div style="display:none">{PLAIN}</div>')
    (f,) = res.findings
    assert (f.rule, f.severity, f.evidence["category"]) == ("hidden-link", "warning", None)
    assert res.metrics["hidden_links"] == 1 and res.metrics["hidden_spam_links"] == 0


def test_spam_host_alone_is_enough() -> None:
    res = scan('<div style="display:none"><a href="http://bet365-vip.example/">点击进入</a></div>')
    (f,) = res.findings
    assert f.rule == "hidden-spam-link" and f.evidence["trigger_in"] == "host"


def test_government_widgets_that_hide_a_link_are_allowed() -> None:
    # gzggw's real footer: a hidden link to the national 找错 service on an IP address
    widget = ('<a style="display:none;" href="http://121.43.68.40/exposure/jiucuo.html?site_code=3300000020&url=x">'
              "纠错</a>")
    assert scan(widget).findings == []
    # …and a site may allow its own hidden partners
    assert scan(f'<div style="display:none">{PLAIN}</div>', options={"hidden_allow": [r"partner\.example"]}).findings == []
    # spam wording is never allowed away
    spam_widget = widget.replace("纠错", "百家乐 娱乐城")
    assert [f.rule for f in scan(spam_widget).findings] == ["hidden-spam-link"]


def test_css_helpers() -> None:
    assert parse_declarations("Display : None ; color:#FFF") == {"display": "none", "color": "#fff"}
    rules = parse_stylesheet("/* c */ a,b{display:none} @media print{.p{display:none}} @font-face{src:x}")
    assert [r.selector for r in rules] == ["a", "b"]
    assert hiding_reason({"display": "block"}) is None
    assert hiding_reason({"position": "absolute", "clip": "rect(0 0 0 0)"}) == "clip:rect(0 0 0 0)"
    assert colour("#FfF") == "#ffffff" and colour("rgba(0,0,0,0)") == "transparent" and colour("inherit") is None
    assert written_html("document.write(\"<p>no link</p>\")") == []
