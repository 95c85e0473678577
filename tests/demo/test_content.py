"""The manifest's content facts (columns, board, identity, GBK, accessibility) hold on the live demo."""

from __future__ import annotations

import re
import statistics
from datetime import date, timedelta

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from govaudit.demo import DemoServer
from tests.demo.walk import SitePage, charset_of, decode, parse_date

# Update thresholds by column type (STANDARDS.md: 2 weeks; 6 months; 1 year).
THRESHOLDS = {"news": 14, "notice": 183, "policy": 183, "personnel": 365, "plan": 365}


def as_of(manifest: dict) -> date:
    return date.fromisoformat(manifest["as_of"])


def meta(tree: HTMLParser, name: str) -> str | None:
    node = tree.css_first(f'meta[name="{name}"]')
    return node.attributes.get("content") if node is not None else None


def list_dates(page: SitePage) -> list[str | None]:
    """One entry per list item of a column page: its date, or None when the item shows none."""
    out: list[str | None] = []
    for li in page.tree.css(".colmain ul.list li"):
        span = li.css_first("span.date")
        out.append(parse_date(span.text()) if span is not None else None)
    return out


# ---- columns ----------------------------------------------------------------------------------


def test_columns_match_their_lists(site: dict[str, SitePage], manifest: dict) -> None:
    today = as_of(manifest)
    for col in manifest["columns"]:
        first = site[col["path"]]
        assert meta(first.tree, "ColumnName") == col["name"] and meta(first.tree, "ColumnType")
        linked = {link.target for link in first.links}
        assert all(p in linked for p in col["list_pages"][1:]), "later list pages are linked from the first"
        dates = [d for p in col["list_pages"] for d in list_dates(site[p])]
        assert len(dates) == col["items"], col["name"]
        if col["empty"]:
            assert dates == [] and "暂无信息" in first.tree.css_first(".colmain").text()
            assert col["latest"] is None and col["stale"] is False
            continue
        if col["undated"]:
            assert all(d is None for d in dates)
            # The list has no dates; the article pages carry PubDate.
            articles = [link.target for p in col["list_pages"] for link in site[p].links
                        if link.element == "a" and re.search(r"/t\d{8}_\d+\.html$", link.target)]
            pub = [meta(site[a].tree, "PubDate") for a in articles]
            assert len(pub) == col["items"] and all(pub)
            dates = [str(p)[:10] for p in pub]
        assert all(dates), f"{col['name']}: an item without a date"
        valid = [d for d in dates if date.fromisoformat(d) <= today]
        assert max(dates) == col["latest"]
        assert max(valid) == col["latest_valid"]
        assert sorted(d for d in dates if date.fromisoformat(d) > today) == col["future_dates"]
        age = (today - date.fromisoformat(col["latest_valid"])).days
        assert age == col["age_days"]
        assert THRESHOLDS[col["type"]] == col["threshold_days"]
        assert (age > col["threshold_days"]) is col["stale"], col["name"]


def test_column_plan_covers_every_case(manifest: dict) -> None:
    cols = manifest["columns"]
    stale_types = {c["type"] for c in cols if c["stale"]}
    assert {"news", "personnel"} <= stale_types and stale_types & {"notice", "policy"}
    assert any(c["empty"] for c in cols) and any(c["undated"] for c in cols) and any(c["future_dates"] for c in cols)
    counts = manifest["column_counts"]
    assert counts == {"columns": len(cols), "stale": sum(c["stale"] for c in cols), "empty": sum(c["empty"] for c in cols),
                      "future": sum(bool(c["future_dates"]) for c in cols), "undated": sum(c["undated"] for c in cols)}


def test_home_is_fresh_and_distractors_are_there(site: dict[str, SitePage], manifest: dict) -> None:
    home = site["/"]
    dates = [parse_date(s.text()) for s in home.tree.css("ul.list span.date")]
    assert max(dates) == manifest["home_latest"]
    within = (as_of(manifest) - date.fromisoformat(manifest["home_latest"])).days <= 14
    assert within is manifest["home_updated_within_14_days"]
    distract = manifest["distractors"]
    assert distract["header_today"]["text"] in home.tree.css_first(".topbar").text()
    assert distract["copyright"] in home.tree.css_first(".footer").text()
    for d in distract["dates_in_titles"]:
        items = site[d["page"]].tree.css(".colmain ul.list li")
        row = next(li for li in items if li.css_first("a").text() == d["title"])
        assert parse_date(row.css_first("span.date").text()) == d["listed"]
        assert d["in_title"].replace("-", "")[:4] in d["title"]


# ---- identity ---------------------------------------------------------------------------------


def test_identity_marks(site: dict[str, SitePage], manifest: dict) -> None:
    ident = manifest["identity_present"]
    home = site["/"].tree
    for name, value in ident["home_meta"].items():
        assert meta(home, name) == value
    footer = home.css_first(".footer")
    text = footer.text()
    assert f"网站标识码：{ident['site_id_code']}" in text
    assert ident["sponsor"] in text and ident["contact"] in text and ident["police_record"] in text
    hrefs = {a.attributes.get("href"): a for a in footer.css("a")}
    assert hrefs[ident["icp_link"]].text() == ident["icp"]
    assert ident["police_code"] in hrefs[ident["police_link"]].text()
    conac = hrefs[ident["conac_link"]].css_first("img")
    assert conac is not None and conac.attributes.get("src") == ident["conac_img"]
    assert hrefs[ident["error_report"]["href"]].text() == ident["error_report"]["text"]
    top = {a.text(): a.attributes.get("href") for a in home.css(".topbar a")}
    assert top[ident["accessibility_entry"]["text"]] == ident["accessibility_entry"]["href"]
    assert top[ident["care_mode"]["text"]] == ident["care_mode"]["href"]
    form = home.css_first("form.search")
    assert form.attributes.get("action") == ident["search"]["action"]
    assert form.css_first(f'input[name="{ident["search"]["param"]}"]') is not None


def test_identity_defects_are_exactly_the_listed_ones(site: dict[str, SitePage], manifest: dict) -> None:
    ident = manifest["identity_present"]
    found: set[tuple[str, str, str]] = set()
    for path, page in site.items():
        tree = page.tree
        code = meta(tree, "SiteIDCode")
        shown = re.search(r"网站标识码：(\w+)", tree.body.text() if tree.body else "")
        assert code and shown, f"{path}: no SiteIDCode meta or footer code"
        if code != shown.group(1):
            found.add((path, "siteidcode-mismatch", "SiteIDCode"))
        assert shown.group(1) == ident["site_id_code"]
        if meta(tree, "ArticleTitle") is not None:  # an article page
            for field in ("PubDate", "ContentSource"):
                if not meta(tree, field):
                    found.add((path, "missing-meta", field))
    assert found == {(d["page"], d["defect"], d["field"]) for d in manifest["identity_defects"]}
    mismatch = next(d for d in manifest["identity_defects"] if d["defect"] == "siteidcode-mismatch")
    assert meta(site[mismatch["page"]].tree, "SiteIDCode") == mismatch["meta"]


# ---- interaction and services -----------------------------------------------------------------


def test_board_counts(demo: DemoServer, client: httpx.Client, site: dict[str, SitePage], manifest: dict) -> None:
    board = manifest["board"]
    today = as_of(manifest)
    start = date.fromisoformat(board["window_start"])
    assert start == today.replace(year=today.year - 1)
    listed = []
    for p in board["list_pages"]:
        for row in site[p].tree.css("table.xjlist tr")[1:]:
            cells = [td.text().strip() for td in row.css("td")]
            href = row.css_first("a").attributes["href"]
            listed.append((f"/hdjl/xzxx/{href.removeprefix('./')}", cells[2], cells[3], cells[4]))
    assert len(listed) == board["messages_total"] == len(board["messages"])
    messages = []
    for path, asked, status, replied in listed:
        rows = {tr.css_first("th").text(): tr.css_first("td").text() for tr in site[path].tree.css("table.xjdetail tr")}
        assert rows["留言时间"][:10] == asked and rows["办理状态"] == status
        reply_day = parse_date(rows["答复时间"])
        assert (reply_day or "-") == replied
        if status == "已回复":
            assert reply_day is not None and rows["答复单位"] != "-"
        else:  # 未回复 / 办理中: no reply time (办理中 already names the unit handling it)
            assert reply_day is None and (rows["答复单位"] != "-") == (status == "办理中")
        messages.append({"page": path, "asked": asked, "replied": reply_day, "status": status})
    limit = board["reply_limit_days"]
    delays, in_window, overdue = [], [], []
    for m in messages:
        asked = date.fromisoformat(m["asked"])
        m["in_window"] = start <= asked <= today
        end = date.fromisoformat(m["replied"]) if m["replied"] else today
        m["overdue"] = (end - asked).days > limit
        if m["in_window"]:
            in_window.append(m)
            if m["replied"]:
                delays.append((end - asked).days)
            if m["overdue"]:
                overdue.append({"page": m["page"], "asked": m["asked"], "replied": m["replied"],
                                "reason": "late-reply" if m["replied"] else "no-reply", "days": (end - asked).days})
    assert messages == board["messages"]
    assert len(in_window) == board["messages_in_window"]
    assert len(delays) == board["answered"] and len(in_window) - len(delays) == board["unanswered"]
    assert overdue == board["overdue_messages"] and len(overdue) == board["overdue"]
    assert statistics.median(delays) == board["median_reply_days"] and max(delays) == board["max_reply_days"]
    # No letter sits near the limit, so 90 vs 92 days ("3 months") cannot change the answer.
    for m in in_window:
        end = date.fromisoformat(m["replied"]) if m["replied"] else today
        assert abs((end - date.fromisoformat(m["asked"])).days - limit) > 14


@pytest.mark.parametrize("key", ["interviews", "surveys"])
def test_interviews_and_surveys(site: dict[str, SitePage], manifest: dict, key: str) -> None:
    entry = manifest[key]
    dates = [d for d in list_dates(site[entry["path"]]) if d]
    start = as_of(manifest) - timedelta(days=365)
    assert len(dates) == entry["items"] and max(dates) == entry["latest"]
    assert sum(start <= date.fromisoformat(d) <= as_of(manifest) for d in dates) == entry["in_window"]
    assert meta(site[entry["path"]].tree, "ColumnName") == entry["name"]


def test_service_guides(site: dict[str, SitePage], manifest: dict) -> None:
    guides = manifest["service_guides"]
    linked = {link.target for link in site[guides["path"]].links}
    for g in guides["guides"]:
        assert g["page"] in linked
        present = {th.text() for th in site[g["page"]].tree.css("table.guide th")}
        assert [e for e in guides["key_elements"] if e not in present] == g["missing"]


# ---- GBK --------------------------------------------------------------------------------------


def test_gbk_pages_decode_as_gb18030(demo: DemoServer, client: httpx.Client, site: dict[str, SitePage],
                                     manifest: dict) -> None:
    for g in manifest["gbk_pages"]:
        assert g["path"] in site, "reachable through links"
        resp = client.get(demo.url_for(g["path"]))
        assert resp.status_code == 200
        header = re.search(r"charset=(\S+)", resp.headers["content-type"])
        assert (header.group(1) if header else None) == g["header_charset"]
        assert re.search(rb"charset=\"?" + g["meta_charset"].encode(), resp.content[:1024])
        assert charset_of(resp) == "gb18030"
        text = resp.content.decode("gb18030")
        assert HTMLParser(text).css_first("title").text() == g["title"]
        with pytest.raises(UnicodeDecodeError):
            resp.content.decode("utf-8")  # really stored in GBK, not UTF-8 with a GBK label
        if g["outside_gb2312"]:
            assert g["outside_gb2312"] in text
            with pytest.raises(UnicodeDecodeError):
                resp.content.decode("gb2312")  # the label lies: only the superset decodes it
    # The Chinese URLs also work with lower-case escapes, and the pages link with Chinese text.
    assert client.get(demo.url_for("/gbk/%d5%fe%b2%df.html")).status_code == 200
    texts = {a.text() for a in site["/gbk/index.html"].tree.css("a")}
    assert {"政策", "法规", "县情概况", "历史沿革"} <= texts


def test_utf8_pages_are_utf8(demo: DemoServer, client: httpx.Client) -> None:
    resp = client.get(demo.url)
    assert resp.headers["content-type"] == "text/html; charset=utf-8"
    assert decode(resp).startswith("<!DOCTYPE html>")


# ---- accessibility ----------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _labelled(tree: HTMLParser, node) -> bool:  # noqa: ANN001 - selectolax node
    attrs = node.attributes
    if any(attrs.get(a) for a in ("aria-label", "aria-labelledby", "title", "placeholder")):
        return True
    if attrs.get("id") and tree.css_first(f'label[for="{attrs["id"]}"]') is not None:
        return True
    parent = node.parent
    while parent is not None:
        if parent.tag == "label":
            return True
        parent = parent.parent
    return False


def test_a11y_defects_are_exactly_the_listed_ones(site: dict[str, SitePage], manifest: dict) -> None:
    found: set[tuple[str, str]] = set()
    for path, page in site.items():
        tree = page.tree
        if not tree.css_first("html").attributes.get("lang"):
            found.add((path, "html-no-lang"))
        if any("alt" not in img.attributes for img in tree.css("img")):
            found.add((path, "img-no-alt"))
        fields = [n for n in tree.css("input, select, textarea")
                  if n.attributes.get("type") not in ("hidden", "submit", "button", "image", "reset")]
        if any(not _labelled(tree, n) for n in fields):
            found.add((path, "input-no-label"))
        for node in tree.css("[style]"):
            style = node.attributes.get("style") or ""
            fg = re.search(r"(?:^|;)\s*color:\s*(#[0-9a-fA-F]{6})", style)
            bg = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})", style)
            if fg and bg and contrast(fg.group(1), bg.group(1)) < 4.5:
                found.add((path, "low-contrast"))
    assert found == {(d["page"], d["defect"]) for d in manifest["a11y_defects"]}
    low = next(d for d in manifest["a11y_defects"] if d["defect"] == "low-contrast")
    assert round(contrast(low["foreground"], low["background"]), 2) == low["ratio"]
