"""The manifest's content-safety defects hold on the live demo, and nothing else on the site looks like one.

Measured with this folder's own walker and plain string/DOM checks, not with govaudit's content check
(tests/content/test_demo_content.py runs the real check against the same manifest).
"""

from __future__ import annotations

import re
from importlib.resources import files
from urllib.parse import urlsplit

import httpx
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from govaudit.demo import DemoServer
from tests.demo.walk import SitePage, decode

# Words of a gambling page (a few; enough to tell the hijacked partner page from the clean one).
GAMBLING_WORDS = ("娱乐城", "百家乐", "真人视讯", "体育投注", "彩金", "返水")


def defect(manifest: dict, kind: str) -> dict:
    found = [d for d in manifest["content_defects"] if d["defect"] == kind]
    assert len(found) == 1, kind
    return found[0]


def content_text(page: SitePage) -> str:
    node = page.tree.css_first(".content")
    return node.text() if node is not None else ""


def test_three_planted_defects_on_three_pages(manifest: dict, site: dict[str, SitePage]) -> None:
    defects = manifest["content_defects"]
    assert sorted(d["defect"] for d in defects) == ["hidden-spam-link", "hijacked-link", "misstatement"]
    assert all(d["rule"] == d["defect"] and d["page"] in site for d in defects)
    assert len({d["page"] for d in defects}) == 3


def test_misstatement_is_in_one_article_body_only(manifest: dict, site: dict[str, SitePage]) -> None:
    d = defect(manifest, "misstatement")
    page = site[d["page"]]
    assert content_text(page).count(d["wrong"]) == 1
    title = page.tree.css_first("h1").text()
    assert d["right"] in title and d["wrong"] not in title  # the headline is right, the body is not
    assert [p for p, pg in site.items() if d["wrong"] in pg.html] == [d["page"]]
    # No other wrong form of the shipped dictionary appears anywhere on the site.
    dictionary = yaml.safe_load(files("govaudit.checks.content").joinpath("misstatements.yaml").read_text("utf-8"))["entries"]
    entry = next(e for e in dictionary if e.get("wrong") == d["wrong"])
    assert (entry["right"], entry["category"], entry.get("severity", "error")) == (d["right"], d["category"], "error")
    hits = {(path, e["wrong"]) for path, pg in site.items() for e in dictionary
            if "wrong" in e and e["wrong"] in pg.tree.body.text() and not any(x in pg.html for x in e.get("except", []))}
    assert hits == {(d["page"], d["wrong"])}


def _hidden_ancestor(node) -> str | None:  # noqa: ANN001 - selectolax node
    while node is not None and node.tag != "html":
        style = (node.attributes.get("style") or "").replace(" ", "").lower()
        if "display:none" in style:
            return "display:none"
        if "hidden" in node.attributes:
            return "hidden"
        node = node.parent
    return None


def test_hidden_spam_link_is_in_the_footer_of_its_page_only(manifest: dict, site: dict[str, SitePage],
                                                           probes: dict[str, int | str]) -> None:
    d = defect(manifest, "hidden-spam-link")
    page = site[d["page"]]
    anchors = [a for a in page.tree.css("a") if a.attributes.get("href") == d["target"]]
    assert len(anchors) == 1 and anchors[0].text() == d["text"]
    assert _hidden_ancestor(anchors[0]) == d["hidden_by"]
    assert page.tree.css_first(".footer").css_first(f'a[href="{d["target"]}"]') is not None
    assert urlsplit(d["target"]).hostname.endswith(".invalid")
    # It is a broken link too, and listed as one.
    assert probes[d["target"]] == "dns"
    assert any(b["page"] == d["page"] and b["target"] == d["target"] and b["status"] == "dns"
               for b in manifest["broken_links"])
    # Nowhere else on the site is an off-site link hidden (and the hidden one is the only hidden link).
    hidden = {(path, a.attributes.get("href")) for path, pg in site.items() for a in pg.tree.css("a")
              if _hidden_ancestor(a)}
    assert hidden == {(d["page"], d["target"])}


def test_partner_links_answer_and_one_reads_as_gambling(demo: DemoServer, client: httpx.Client,
                                                        site: dict[str, SitePage], manifest: dict,
                                                        partner_urls: dict[str, str],
                                                        probes: dict[str, int | str]) -> None:
    home = site["/"].tree
    block = next(b for b in home.css(".block") if b.css_first("h2") and b.css_first("h2").text() == "友情链接")
    shown = [(a.text(), a.attributes.get("href")) for a in block.css("a")]
    assert shown == [(e["text"], partner_urls[e["target_path"]]) for e in manifest["partner_links"]]
    for e in manifest["partner_links"]:
        url = partner_urls[e["target_path"]]
        assert probes[url] == 200  # answers: not a broken link
        resp = client.get(url)
        assert resp.headers["content-type"].startswith("text/html")
        title = HTMLParser(decode(resp)).css_first("title").text()
        words = [w for w in GAMBLING_WORDS if w in decode(resp)]
        assert (len(words) >= 4) is e["hijacked"] and (not words) is (not e["hijacked"]), (e, words)
        assert e["target_path"] not in site  # another site: the crawl of the portal never reaches it
    d = defect(manifest, "hijacked-link")
    hijacked = next(e for e in manifest["partner_links"] if e["hijacked"])
    assert (d["target_path"], d["text"], d["page"]) == (hijacked["target_path"], hijacked["text"], "/")
    title = HTMLParser(client.get(partner_urls[d["target_path"]]).text).css_first("title").text()
    assert title == d["title"]


def test_partner_host_is_the_other_loopback_name(demo: DemoServer, client: httpx.Client, manifest: dict) -> None:
    """Browsed as localhost, the portal links its partners on 127.0.0.1: always another host name."""
    as_localhost = client.get(f"http://localhost:{demo.port}/").text
    hrefs = re.findall(r'href="(http://[^"/]+)/yl', as_localhost)
    assert hrefs == [f"http://127.0.0.1:{demo.port}"] * len(manifest["partner_links"])
    assert "__FRIEND__" not in client.get(demo.url).text
