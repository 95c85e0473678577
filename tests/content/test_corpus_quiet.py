"""No false alarm on real pages: the misstatement dictionary and the hidden-spam-link rule run over
the real HTML pages of ../shared/corpus (government portals, news sites, test fixtures) and flag
nothing. Hidden off-site links that are not spam (share widgets, tab panels, a CMS credit) are
common on real pages: they stay warnings, never errors."""

from __future__ import annotations

import re
from pathlib import Path

from govaudit.checks.content.check import DEFAULT_HIDDEN_ALLOW, site_key
from govaudit.checks.content.hidden import find_hidden_links
from govaudit.checks.content.misstatements import load_dictionary
from govaudit.checks.content.spam import Lexicon, judge_anchor
from govaudit.checks.identity.html import Doc

from govaudit.crawl.charset import decode_html
from govaudit.crawl.urls import host_of

SITE = "http://www.example.gov.cn/page.html"
GOV_PAGES = ("gne/tests", "simonxinw-job-govcn-saved", "mic1on-gerapy-govnews/samples", "htmldate/tests")


def test_real_pages_raise_no_misstatement_and_no_spam_link(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*.htm*") if p.is_file() and p.stat().st_size < 3_000_000)
    assert len(files) > 1000
    dictionary, lex = load_dictionary({}), Lexicon()
    allow = [re.compile(p, re.I) for p in DEFAULT_HIDDEN_ALLOW]
    key = site_key(host_of(SITE))
    misstatements, spam, hidden, gov_hidden = [], [], 0, []
    for path in files:
        doc = Doc(decode_html(path.read_bytes(), None)[0], SITE)
        misstatements += [(path.name, h.found) for h in dictionary.scan(doc.title + "\n" + doc.text)]
        for link in find_hidden_links(doc, lambda u: site_key(host_of(u)) != key):
            verdict = judge_anchor(link.anchor.text, link.anchor.host, lex)
            if verdict.category:
                spam.append((path.name, link.anchor.url))
            elif not any(p.search(link.anchor.url) for p in allow):
                hidden += 1
                if str(path.relative_to(corpus)).startswith(GOV_PAGES):
                    gov_hidden.append(link.anchor.url)
    assert misstatements == [] and spam == []
    assert hidden > 100  # real sites hide plenty of ordinary off-site links
    # on the government pages: hanweb's CMS credit (fgw.zj.gov.cn), bShare widgets (cmse),
    # xinhuanet's tab panels, bayern.de's read-aloud button
    assert any("hanweb.com" in u for u in gov_hidden) and any("bshare.cn" in u for u in gov_hidden)
