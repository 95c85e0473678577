"""The identity check on the bundled demo portal: every planted identity defect is found, nothing
else about metadata or the footer is reported, and the marks the manifest lists are read right."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from govaudit.checks.identity import IdentityCheck

from govaudit.demo import DemoServer, load_manifest
from govaudit.model import CheckResult
from tests.identity.servers import audit


@pytest.fixture(scope="module")
def manifest() -> dict:
    return load_manifest()


@pytest.fixture(scope="module")
def demo_result(manifest: dict) -> Iterator[tuple[DemoServer, CheckResult]]:
    with DemoServer() as demo:
        # the system resolver: 127.0.0.1 is an address, so nothing is looked up
        _, res = audit(IdentityCheck(), demo.url, as_of=date.fromisoformat(manifest["as_of"]),
                       max_pages=400)
        yield demo, res


def path_of(demo: DemoServer, url: str) -> str:
    return "/" + url[len(demo.url):]


def test_every_planted_identity_defect_is_found(demo_result: tuple[DemoServer, CheckResult], manifest: dict) -> None:
    demo, res = demo_result
    found = set()
    for f in res.findings:
        if f.rule == "meta-missing":
            found.add((path_of(demo, f.page), "missing-meta", f.evidence["field"]))
        elif f.rule == "meta-siteidcode-mismatch":
            found.add((path_of(demo, f.page), "siteidcode-mismatch", f.evidence["field"]))
            assert (f.evidence["meta"], f.evidence["footer"]) == (
                manifest["identity_present"]["home_meta"]["SiteIDCode"], manifest["identity_present"]["site_id_code"])
    planted = {(d["page"], d["defect"], d["field"]) for d in manifest["identity_defects"]}
    assert planted, "the manifest lists no identity defect"
    assert found == planted  # all of them, and no metadata false alarm elsewhere on the site
    assert res.metrics["meta_invalid"] == 0


def test_footer_marks_match_the_manifest(demo_result: tuple[DemoServer, CheckResult], manifest: dict) -> None:
    _, res = demo_result
    present = manifest["identity_present"]
    footer = res.data["footer"]
    assert not [f for f in res.findings if f.rule.startswith("footer-")]
    assert footer["site_id"]["value"] == present["site_id_code"]
    assert footer["sponsor"]["value"] == present["sponsor"]
    assert footer["icp"]["value"] == present["icp"] and footer["icp"]["linked"]
    assert footer["police"]["value"] == present["police_record"] and footer["police"]["linked"]
    assert footer["conac"]["value"] == present["conac_link"]
    assert footer["error_report"]["value"] == present["error_report"]["text"]
    assert footer["contact"]["present"]
    # the demo is judged on its declared domain (it runs on 127.0.0.1)
    domain = res.data["domain"]
    assert (domain["domain"], domain["source"], domain["official"]) == (present["site_domain"], "SiteDomain meta", True)


def test_search_box_matches_the_manifest(demo_result: tuple[DemoServer, CheckResult], manifest: dict) -> None:
    demo, res = demo_result
    form = res.data["search"]["form"]
    assert path_of(demo, form["action"]) == manifest["identity_present"]["search"]["action"]
    assert form["param"] == manifest["identity_present"]["search"]["param"]
    assert res.metrics["search_present"] == 1
    # The form was submitted and judged (the demo's search page is a static file today, so it does not
    # answer; a dynamic one would): either way a verdict, never "unknown".
    assert res.data["search"]["probe"]["answers"] in (True, False)
    assert res.metrics["search_answers"] == int(res.data["search"]["probe"]["answers"])


def test_site_level_files_on_the_demo(demo_result: tuple[DemoServer, CheckResult], manifest: dict) -> None:
    _, res = demo_result
    m = res.metrics
    assert (m["robots_txt"], m["sitemap_xml"], m["missing_page_404"]) == (1, 1, 1)
    # a plain-HTTP loopback server: no HTTPS; 127.0.0.1 is an address, so IPv6 is not judged
    assert (m["https"], m["ipv6"]) == (0, None)
    assert not [f for f in res.findings if f.rule == "ipv6-missing"]
