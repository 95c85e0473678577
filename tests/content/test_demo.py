"""The content check on the demo portal: it scans every page and raises no false alarm (the demo
plants no misstatement, hidden link or hijacked target)."""

from __future__ import annotations

from datetime import date

from checks.content import ContentCheck
from govaudit.demo import DemoServer, load_manifest
from tests.identity.servers import audit


def test_demo_is_clean_and_fully_scanned() -> None:
    manifest = load_manifest()
    with DemoServer() as demo:
        snap, res = audit(ContentCheck(), demo.url, as_of=date.fromisoformat(manifest["as_of"]), max_pages=400)
    assert res.status == "ok"
    assert res.findings == []
    html_pages = {p.final_url for p in snap.pages.values() if p.ok and p.is_html}
    # every HTML page but the soft 404 (answers 200, says the page does not exist) is scanned
    assert res.metrics["pages_scanned"] == len(html_pages) - 1
    assert res.metrics["external_checked"] >= 1 and res.metrics["harmful_links"] == 0
