"""Site search (搜索功能): is there a search box, and does submitting it give an answer?

Finding the box: a <form> scored by what it says about itself (role=search, an action such as
/search, /sousuo, /jsearch, s.jsp, an input of type search or named q/keyword/searchword…, a
搜索/检索/search button or label), or — when the box is driven by script (no <form>, a click
handler reads the input) — a text input recognised by what it is: its own wording (搜索, 检索,
关键字, a query name such as `keyword`), a search trigger beside it (a button, link or image whose
text, value, alt, title, id, class, src or onclick says 搜索/检索/search/sousuo), and a script of
the page that reads it and goes to a search URL. A trigger, or the input's own search wording, is
needed: a lone `keyword` box with an 订阅 button is not a site search. Answering: the form is submitted twice through the audit's fetcher (GET forms only; the
fetcher sends no request bodies), once with a real word and once with a token that cannot occur on
the site. The search answers when a reply echoes the token (the page processed the query) or the
real word's reply lists links that the token's reply does not (results). A static page that
ignores its query gives the same page twice, and does not answer.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

from govaudit.checks.identity.html import Doc, squash, visible_text
from govaudit.checks.identity.transport import not_asked

from govaudit.crawl.charset import decode_html
from govaudit.crawl.urls import normalize_url

_ACTION_WORDS = re.compile(r"search|sousuo|jsearch|query|/so/|/so\b|s\.jsp|find|retrieval|jiansuo", re.I)
_TEXT_WORDS = re.compile(r"搜索|检索|站内搜|全文搜|search", re.I)
QUERY_NAMES = frozenset("q query keyword keywords searchword searchWord wd kw key word qt text searchtext "
                        "searchkey sw s".lower().split())
_TEXT_TYPES = ("", "text", "search")
# What a script-driven box's own attributes say: search words, or a query prompt (关键字, 关键词).
_QUERY_WORDS = re.compile(r"关键字|关键词|keyword|searchword|query", re.I)
# A trigger beside the box: its text, value, alt, title, id, class, src, onclick or href.
_TRIGGER_WORDS = re.compile(r"搜\s*索|检\s*索|搜一搜|search|sousuo|sous|jiansuo|(?<![a-z])so(?![a-z])", re.I)
_TRIGGER_TAGS = "button, a, input[type=button], input[type=submit], input[type=image], img, span[onclick], " \
                "div[onclick], i[onclick]"
_TRIGGER_ATTRS = ("value", "alt", "title", "id", "class", "src", "onclick", "href", "aria-label")
TRIGGER_LEVELS = 3  # how far up from the input a trigger is looked for (its box)
_SCRIPT_SEARCH = re.compile(r"search|sousuo|jsearch|jiansuo|s\.jsp", re.I)
SEARCH_BYTES = 512 * 1024


@dataclass(slots=True)
class SearchForm:
    page: str  # where it was found
    action: str | None  # absolute URL to submit to; None when the box has no submittable form
    method: str
    param: str  # the query input's name
    hidden: dict[str, str] = field(default_factory=dict)
    evidence: str = ""


@dataclass(slots=True)
class SearchProbe:
    answers: bool | None  # None: could not be tried (script-driven box, POST form, fetch failed)
    url: str = ""
    reason: str = ""
    status: int | str | None = None


def find_search_form(doc: Doc) -> SearchForm | None:
    best: tuple[int, SearchForm] | None = None
    for form in doc.tree.css("form"):
        inputs = [i for i in form.css("input") if (i.attributes.get("type") or "").lower() in _TEXT_TYPES]
        if not inputs:
            continue
        attrs = form.attributes
        action_raw = (attrs.get("action") or "").strip()
        score = 0
        why = []
        if (attrs.get("role") or "").lower() == "search":
            score, why = score + 3, why + ["role=search"]
        if _ACTION_WORDS.search(action_raw):
            score, why = score + 2, why + [f"action {action_raw}"]
        named = [i for i in inputs if (i.attributes.get("name") or "").lower() in QUERY_NAMES]
        if any((i.attributes.get("type") or "").lower() == "search" for i in inputs) or named:
            score, why = score + 1, why + ["query input"]
        labels = " ".join([visible_text(form)] + [
            (n.attributes.get(a) or "") for n in form.css("input, button") for a in ("value", "placeholder", "title")
        ])
        if _TEXT_WORDS.search(labels):
            score, why = score + 2, why + ["search wording"]
        if score < 2:
            continue
        query = (named or inputs)[0]
        param = (query.attributes.get("name") or "").strip()
        method = (attrs.get("method") or "get").strip().lower()
        action = normalize_url(action_raw, doc.base_url) if action_raw else doc.url
        hidden = {
            (h.attributes.get("name") or ""): (h.attributes.get("value") or "")
            for h in form.css("input[type=hidden]") if h.attributes.get("name")
        }
        found = SearchForm(doc.url, action if param else None, method, param, hidden, ", ".join(why))
        if best is None or score > best[0]:
            best = (score, found)
    if best is not None:
        return best[1]
    return _script_box(doc)


def _script_box(doc: Doc) -> SearchForm | None:
    """A search box with no form to submit, recognised by what it is (see the module text)."""
    scripts = " ".join(text for _, text in doc.scripts)
    best: tuple[int, SearchForm] | None = None
    for node in doc.tree.css("input"):
        attrs = node.attributes
        kind = (attrs.get("type") or "").lower()
        if kind not in _TEXT_TYPES or _inside(node, "form"):
            continue  # a form's inputs were judged with their form
        label = " ".join((attrs.get(a) or "") for a in ("id", "name", "class", "placeholder", "title", "aria-label",
                                                         "value"))
        score, why = 0, []
        own = bool(_TEXT_WORDS.search(label)) or kind == "search"
        if own:
            score, why = score + 2, why + [f"input {squash(label)[:60]}"]
        elif _QUERY_WORDS.search(label) or (attrs.get("name") or "").lower() in QUERY_NAMES:
            score, why = score + 1, why + [f"query input {squash(label)[:60]}"]
        trigger = _trigger(node)
        if trigger:
            score, why = score + 2, why + [f"trigger {trigger}"]
        ident = [v for v in (attrs.get("id"), attrs.get("name")) if v]
        if ident and any(v in scripts for v in ident) and _SCRIPT_SEARCH.search(scripts):
            score, why = score + 1, why + ["a script reads it"]
        if not (own or trigger) or score < 3 - own:
            continue
        found = SearchForm(doc.url, None, "script", attrs.get("name") or "", evidence=", ".join(why))
        if best is None or score > best[0]:
            best = (score, found)
    return best[1] if best is not None else None


def _trigger(node: object) -> str:
    """The search button, link or image in the input's box, described; "" when there is none."""
    box = node
    for _ in range(TRIGGER_LEVELS):
        box = getattr(box, "parent", None)
        if box is None or getattr(box, "tag", "") in ("body", "html", "form"):
            return ""
        for el in box.css(_TRIGGER_TAGS):  # type: ignore[attr-defined]
            if el.tag == "input" and (el.attributes.get("type") or "").lower() in _TEXT_TYPES:
                continue
            words = " ".join([visible_text(el) if el.tag in ("button", "a", "span", "div", "i") else ""] +
                             [(el.attributes.get(a) or "") for a in _TRIGGER_ATTRS])
            m = _TRIGGER_WORDS.search(words)
            if m:
                return f"<{el.tag}> {m.group(0)}"
    return ""


def _inside(node: object, tag: str) -> bool:
    parent = getattr(node, "parent", None)
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def default_query(doc: Doc) -> str:
    """A word the site certainly uses: 政府 on a Chinese portal, else the first word of the title."""
    if "政府" in doc.text:
        return "政府"
    words = re.findall(r"[A-Za-z]{3,}", doc.title)
    if words:
        return words[0]
    return doc.title[:2] or "gov"


def build_query_url(form: SearchForm, term: str, encoding: str = "utf-8") -> str:
    assert form.action is not None
    params = dict(form.hidden)
    params[form.param] = term
    codec = "gb18030" if encoding.lower() in ("gb18030", "gbk", "gb2312") else "utf-8"
    query = urlencode(params, encoding=codec)
    base = form.action.split("#", 1)[0]
    return f"{base}{'&' if '?' in base else '?'}{query}"


async def probe_search(form: SearchForm, fetcher: object, term: str, encoding: str = "utf-8") -> SearchProbe:
    """Submit the form with `term` and with a nonsense token; see the module text for the verdict."""
    if form.action is None:
        return SearchProbe(None, reason="the search box has no form to submit (script-driven)")
    if form.method not in ("get", ""):
        return SearchProbe(None, url=form.action, reason=f"the search form uses {form.method.upper()}; "
                                                         "only GET forms can be submitted")
    token = "zq" + secrets.token_hex(4) + "x"
    real_url = build_query_url(form, term, encoding)
    token_url = build_query_url(form, token, encoding)
    real = await fetcher.fetch(real_url, max_bytes=SEARCH_BYTES)  # type: ignore[attr-defined]
    if real.error == "robots":
        return SearchProbe(None, real_url, "not asked: robots.txt disallows the search", real.outcome)
    if not_asked(real):  # the budget ran out: the search was never tried, so it is not judged
        return SearchProbe(None, real_url, not_asked(real), real.outcome)
    if not real.ok or not real.body:
        return SearchProbe(False, real_url, f"the search answered {real.outcome}", real.outcome)
    other = await fetcher.fetch(token_url, max_bytes=SEARCH_BYTES)  # type: ignore[attr-defined]
    if not_asked(other):
        return SearchProbe(None, token_url, not_asked(other), other.outcome)
    real_html, _ = decode_html(real.body, real.headers.get("content-type"))
    other_html = decode_html(other.body, other.headers.get("content-type"))[0] if other.body else ""
    if token in other_html:
        return SearchProbe(True, real_url, "the results page echoes the query", real.status)
    if term in _text_of(real_html, real.final_url) and term not in _text_of(other_html, other.final_url):
        return SearchProbe(True, real_url, f"the results page for {term!r} shows the query", real.status)
    extra = _links(real_html, real.final_url) - _links(other_html, other.final_url)
    if extra:
        return SearchProbe(True, real_url, f"the results page lists {len(extra)} links for {term!r}", real.status)
    return SearchProbe(False, real_url, "the results page is the same whatever is searched for", real.status)


def _links(html: str, url: str) -> set[str]:
    if not html:
        return set()
    return {a.url for a in Doc(html, url).anchors if a.kind == "http"}


def _text_of(html: str, url: str) -> str:
    return Doc(html, url).text if html else ""
