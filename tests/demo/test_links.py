"""The manifest's link facts hold on the live demo, and it lists every broken link (nothing more).

A link checker scored against `broken_links` can only reach precision and recall 1.0 if this file
passes: the set of broken (page, target) pairs found here by an independent probe equals the list.
"""

from __future__ import annotations

import httpx
from protego import Protego

from govaudit.demo import DemoServer
from tests.demo.walk import SitePage, walk

BROKEN_WORDS = {"dns", "refused", "redirect-loop", "too-many-redirects", "soft-404"}


def is_broken(outcome: int | str) -> bool:
    return outcome in BROKEN_WORDS or (isinstance(outcome, int) and outcome >= 400) or (
        isinstance(outcome, str) and outcome.startswith("connect-error"))


def test_every_broken_entry_is_linked_from_its_page(site: dict[str, SitePage], manifest: dict) -> None:
    for entry in manifest["broken_links"]:
        page = site[entry["page"]]
        matches = [link for link in page.links
                   if link.target == entry["target"] and link.element == entry["element"] and link.raw == entry["raw"]]
        assert matches, f"{entry['target']} ({entry['element']}) is not linked from {entry['page']}"


def test_every_broken_entry_fails_the_way_the_manifest_says(probes: dict[str, int | str], manifest: dict) -> None:
    for entry in manifest["broken_links"]:
        assert probes[entry["target"]] == entry["status"], entry


def test_manifest_lists_exactly_the_broken_links(site: dict[str, SitePage], probes: dict[str, int | str],
                                                 manifest: dict) -> None:
    found = {(page.path, link.target, probes[link.target], link.element)
             for page in site.values() for link in page.links
             if link.target in probes and is_broken(probes[link.target])}
    expected = {(e["page"], e["target"], e["status"], e["element"]) for e in manifest["broken_links"]}
    assert found - expected == set(), "broken links missing from the manifest"
    assert expected - found == set(), "manifest entries that are not broken on the site"
    # Every other checkable link answers 2xx (after redirects): nothing is broken by accident.
    healthy = {t for t, outcome in probes.items() if not is_broken(outcome)}
    assert all(isinstance(probes[t], int) and 200 <= int(probes[t]) < 300 for t in healthy)
    assert len(healthy) > 140 and len(expected) == 16


def test_broken_link_variety(manifest: dict) -> None:
    entries = manifest["broken_links"]
    statuses = {e["status"] for e in entries}
    assert {404, 410, 500, "soft-404", "redirect-loop", "refused", "dns"} <= statuses
    assert {"a", "img", "script", "link"} <= {e["element"] for e in entries if e["status"] == 404}
    assert {"pdf", "docx"} <= {e["target"].rsplit(".", 1)[-1] for e in entries}  # attachments
    home = [e for e in entries if e["page"] == "/"]
    assert len(home) == manifest["broken_home"] >= 1
    pages_per_target: dict[str, set[str]] = {}
    for e in entries:
        pages_per_target.setdefault(e["target"], set()).add(e["page"])
    assert max(len(p) for p in pages_per_target.values()) >= 3  # one target, several pages


def test_not_broken_links_work(demo: DemoServer, client: httpx.Client, site: dict[str, SitePage],
                               manifest: dict) -> None:
    for entry in manifest["not_broken"]:
        assert any(link.target == entry["target"] and link.element == entry["element"]
                   for link in site[entry["page"]].links), entry
        kind = entry["kind"]
        if kind in ("mailto", "tel"):
            assert entry["target"].startswith(kind + ":")
            continue
        url = demo.url_for(entry["target"])
        if kind == "head-405":
            assert client.head(url).status_code == 405
            got = client.get(url)
            assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
            assert got.content.startswith(b"%PDF-")
        elif kind == "redirect-301":
            first = client.get(url, follow_redirects=False)
            assert first.status_code == 301 and first.headers["location"] == entry["location"]
            assert client.get(url, follow_redirects=True).status_code == 200
        else:
            got = client.get(url)
            assert got.status_code == 200 and got.content, entry


def test_placeholders_are_exactly_the_listed_ones(site: dict[str, SitePage], manifest: dict) -> None:
    found = {(p.path, link.raw, link.element) for p in site.values() for link in p.links if link.kind == "placeholder"}
    assert found == {(e["page"], e["raw"], e["element"]) for e in manifest["placeholders"]}
    mail_tel = {(p.path, link.raw) for p in site.values() for link in p.links if link.kind in ("mailto", "tel")}
    assert mail_tel == {(e["page"], e["target"]) for e in manifest["not_broken"] if e["kind"] in ("mailto", "tel")}


def test_outside_links_are_loopback_invalid_or_declared(site: dict[str, SitePage], outside_prefixes: tuple[str, ...],
                                                        partner_urls: dict[str, str], manifest: dict) -> None:
    declared_broken = {e["target"] for e in manifest["broken_links"]}
    partners = set(partner_urls.values())
    outside = {link.target for p in site.values() for link in p.links if link.kind == "external"}
    undeclared = {t for t in outside if not t.startswith(outside_prefixes) and t not in declared_broken | partners}
    assert undeclared == set()
    assert partners <= outside
    hosts = {t.split("/")[2] for t in outside if t.startswith(outside_prefixes)}
    assert len(hosts) == len(outside_prefixes) == 3  # few real hosts, every one used
    for entry in manifest["external_unreachable"]:
        assert entry["href"].startswith(entry["target"]) and entry["href"] in outside


def test_robots_disallows_admin_and_it_is_linked(demo: DemoServer, client: httpx.Client,
                                                 site: dict[str, SitePage], manifest: dict) -> None:
    robots = client.get(demo.url_for("/robots.txt"))
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    rules = Protego.parse(robots.text)
    assert list(rules.sitemaps) == [demo.url_for("/sitemap.xml")]
    for rule in manifest["robots_disallowed"]:
        for linked in rule["linked"]:
            assert linked["target"].startswith(rule["rule"])
            assert not rules.can_fetch(demo.url_for(linked["target"]), "govaudit")
            assert any(link.target == linked["target"] and link.element == linked["element"]
                       for link in site[linked["page"]].links)
    # Everything the crawl kept is allowed.
    assert all(rules.can_fetch(demo.url_for(path), "govaudit") for path in site)


def test_sitemap_lists_every_page_and_one_page_only_it_lists(site: dict[str, SitePage], sitemap_paths: list[str],
                                                             demo: DemoServer, client: httpx.Client,
                                                             manifest: dict) -> None:
    assert len(sitemap_paths) == manifest["sitemap"]["urls"] == manifest["html_pages"]
    assert set(sitemap_paths) == set(site)
    by_links = walk(client, demo.url, ["/"], never=("/admin/",))
    assert set(site) - set(by_links) == set(manifest["sitemap_only"])
    linked = {link.target for p in site.values() for link in p.links}
    assert not linked & set(manifest["sitemap_only"])
