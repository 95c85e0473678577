"""The footer marks of a Chinese government site (政府网站发展指引, 底部功能区).

What counts, learned from real portals (the corpus pages) as much as from the guideline:
- 网站标识码: "网站标识码：3609000002", "政府网站标识码：…", "网站标识码bm01000001". Well formed = 10 digits, or
  `bm` + 8 digits (State Council departments). The official format rule was not found (unverified).
- ICP备案: "赣ICP备06000141号", "京ICP备20027467号-1"; linked when any link on the page goes to the MIIT
  filing site (beian.miit.gov.cn, its old host miitbeian.gov.cn, or an IPv6-gateway rewrite of it).
- 公安机关备案: "京公网安备11010202000001号", "贵公网安备：52260102556121号" — 14 digits; linked when a link
  goes to www.beian.gov.cn / beian.mps.gov.cn.
- 党政机关网站标识: one set of markers, data in `CONAC` (not a case per site): a link to *.conac.cn, a
  badge image or script served from it, the `_ideConac` placeholder the conac script fills, an inline
  script that writes any of these (percent-encoded, as `document.write(unescape("%3Cspan
  id='_ideConac'…dcs.conac.cn/js/…"))`), an image whose alt/title names the badge, or — read by the
  check, which fetches the footer's own images — a copy of the badge image itself (its SHA-256), as
  岚皋县教育体育局 shows it with its link blanked.
- 主办单位: "主办单位：…", "主办：…", "主办方：…".
- 联系方式: a 联系方式/联系电话/联系我们 label or link, a phone number or an e-mail in the footer.
- 我为政府网站找错: that text (or 网站纠错/我要纠错) as a link, or the national 找错 widget (script id
  `_jiucuo_`, jiucuo.js from pucha.kaipuyun.cn, the `_span_jiucuo` placeholder, a link to /exposure/jiucuo),
  or a copy of the widget's image (`JIUCUO` digests, read by the check like the 党政机关 badge).
Text marks are read from the footer (or the page's tail); link marks from anywhere on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from govaudit.checks.identity.html import Doc

from govaudit.crawl.urls import host_of, normalize_url

# Province abbreviations, both forms where a province has two (贵/黔, 云/滇, 甘/陇, 川/蜀, 陕/秦):
# Guizhou files 黔ICP备 but 贵公网安备 (kaili.gov.cn shows both).
PROVINCES = "京津沪渝冀豫云滇辽黑湘皖鲁新苏浙赣鄂桂甘陇晋蒙陕秦吉闽贵黔粤青藏川蜀宁琼港澳"
_SITE_ID = re.compile(r"标识码\s*[:：]?\s*([A-Za-z]{0,2}\d[\dA-Za-z]{3,14})")
SITE_ID_FORMAT = re.compile(r"^(?:\d{10}|[bB][mM]\d{8})$")
_ICP = re.compile(rf"([{PROVINCES}])\s*ICP\s*[备证]\s*[:：]?\s*(\d{{4,12}})\s*号?(?:\s*-\s*(\d{{1,3}}))?")
_POLICE = re.compile(rf"([{PROVINCES}])\s*公网安备\s*[:：]?\s*(\d{{6,20}})\s*号?")
_SPONSOR = re.compile(r"主办(?:单位|方|机关)?\s*[:：]\s*([^\s|｜,，;；:：©]{2,40})")
_CONTACT_LABEL = re.compile(r"联系方式|联系电话|联系我们|电话\s*[:：]|邮箱\s*[:：]|E-?mail|Tel\s*[:：]", re.I)
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－ ]?\d{7,8}|1[3-9]\d{9}|12345|400-?\d{3}-?\d{4})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ERROR_TEXT = re.compile(r"我为政府网站找错|政府网站找错|网站纠错|我要纠错|我要找错")
_JIUCUO_URL = re.compile(r"jiucuo|kaipuyun\.cn", re.I)
_CONTACT_LINK = re.compile(r"联系我们|联系方式|contact", re.I)

ICP_HOSTS = ("beian.miit.gov.cn", "miitbeian.gov.cn")
POLICE_HOSTS = ("beian.gov.cn", "beian.mps.gov.cn")
CONAC_HOST = "conac.cn"


@dataclass(frozen=True, slots=True)
class BadgeMarkers:
    """What shows one badge, as data: every site is judged by the same markers."""

    hosts: tuple[str, ...]  # a link to, an image or a script from one of these (or a sub-domain)
    ids: tuple[str, ...]  # placeholders the badge's script fills (an id starting with one counts)
    words: re.Pattern[str]  # an image's alt or title naming the badge
    digests: dict[str, str] = field(default_factory=dict)  # sha256 of the badge image -> where it was seen


CONAC = BadgeMarkers(
    hosts=(CONAC_HOST,),
    ids=("_ideConac",),
    words=re.compile(r"党政机关|事业单位|conac", re.I),
    digests={
        # the red 党政机关 badge (80x80 PNG) the conac script shows, as copied to Picture/red.png on
        # www.lgedu.net (cn-portals/lgedu_net), linked there to javascript:;
        "99a002b7d69f0fb585fbab405c4c9038347a4a3ffe1b74d0f7bd69cbb018d817": "lgedu.net Picture/red.png",
    },
)
# The 找错 entry shown as the national widget's image (110x55 PNG, 政府网站 找错 with a tick), with
# its link blanked: its markup markers are in `_error_report`, its image copies here.
JIUCUO = BadgeMarkers(
    hosts=("kaipuyun.cn",),
    ids=("_span_jiucuo",),
    words=_ERROR_TEXT,
    digests={
        # as copied to Picture/index_33.png on www.lgedu.net (cn-portals/lgedu_net), linked to javascript:;
        "1ffad2e5b839a2d2c6546c3e5fab9e497049b0e21a14c073e35ec6129da7fce6": "lgedu.net Picture/index_33.png",
    },
)


def host_is(host: str, domain: str) -> bool:
    """`host` is `domain` or one of its sub-domains."""
    return host == domain or host.endswith("." + domain)


def icp_host(host: str) -> bool:
    # IPv6 gateways rewrite links as beian.miit.gov.cn.ipv6.<provider>; they still reach MIIT.
    return any(host_is(host, h) or host.startswith(h + ".") for h in ICP_HOSTS)


@dataclass(slots=True)
class Mark:
    present: bool
    value: str = ""  # the text as shown (code, number, sponsor name)
    linked: bool | None = None  # None: the rule has no link part
    valid: bool | None = None  # None: the rule has no format part
    evidence: str = ""  # where or how it was recognised


@dataclass(slots=True)
class FooterMarks:
    site_id: Mark
    icp: Mark
    police: Mark
    conac: Mark
    sponsor: Mark
    contact: Mark
    error_report: Mark
    other_codes: list[str] = field(default_factory=list)  # further 标识码 values on the page

    def as_dict(self) -> dict[str, dict[str, object]]:
        return {name: {"present": m.present, "value": m.value, "linked": m.linked, "valid": m.valid,
                       "evidence": m.evidence}
                for name, m in self.items()}

    def items(self) -> list[tuple[str, Mark]]:
        return [("site_id", self.site_id), ("icp", self.icp), ("police", self.police), ("conac", self.conac),
                ("sponsor", self.sponsor), ("contact", self.contact), ("error_report", self.error_report)]


def find_marks(doc: Doc) -> FooterMarks:
    """Every footer mark of one page."""
    footer = doc.footer_text
    whole = doc.text
    codes = [m.group(1) for m in _SITE_ID.finditer(footer)] or [m.group(1) for m in _SITE_ID.finditer(whole)]
    site_id = Mark(False, valid=None)
    if codes:
        code = codes[0]
        site_id = Mark(True, code, valid=bool(SITE_ID_FORMAT.match(code)), evidence="text")
    return FooterMarks(
        site_id=site_id, icp=_icp(doc, footer, whole), police=_police(doc, footer, whole), conac=_conac(doc),
        sponsor=_sponsor(footer), contact=_contact(doc, footer), error_report=_error_report(doc),
        other_codes=sorted(set(codes[1:]) - {site_id.value}),
    )


def site_id_code(doc: Doc) -> str:
    """The 网站标识码 a page shows (footer first), "" when none."""
    m = _SITE_ID.search(doc.footer_text) or _SITE_ID.search(doc.text)
    return m.group(1) if m else ""


def _icp(doc: Doc, footer: str, whole: str) -> Mark:
    m = _ICP.search(footer) or _ICP.search(whole)
    linked = any(a.kind == "http" and icp_host(a.host) for a in doc.anchors)
    if m is None:
        return Mark(False, linked=linked)
    return Mark(True, squash_spaces(m.group(0)), linked=linked, valid=True, evidence="text")


def _police(doc: Doc, footer: str, whole: str) -> Mark:
    m = _POLICE.search(footer) or _POLICE.search(whole)
    linked = any(a.kind == "http" and any(host_is(a.host, h) for h in POLICE_HOSTS) for a in doc.anchors)
    if m is None:
        return Mark(False, linked=linked)
    return Mark(True, squash_spaces(m.group(0)), linked=linked, valid=len(m.group(2)) == 14, evidence="text")


def _conac(doc: Doc) -> Mark:
    return find_badge(doc, CONAC)


def find_badge(doc: Doc, markers: BadgeMarkers) -> Mark:
    """The badge shown by any of `markers` in the page's markup (images' content is the check's)."""
    def from_host(url: str) -> bool:
        host = host_of(url.strip())
        return bool(host) and any(host_is(host, h) for h in markers.hosts)

    for a in doc.anchors:
        if a.kind == "http" and from_host(a.url):
            return Mark(True, a.url, evidence="link")
    for img in doc.tree.css("img[src]"):
        src = (img.attributes.get("src") or "").strip()
        if from_host(normalize_url(src, doc.base_url) or src):
            return Mark(True, src, evidence="image")
    for node in doc.tree.css("[id]"):
        ident = node.attributes.get("id") or ""
        if ident.startswith(markers.ids):
            return Mark(True, ident, evidence="placeholder")
    for attrs, text in doc.scripts:
        src = attrs.get("src", "").strip()
        if src and from_host(normalize_url(src, doc.base_url) or src):
            return Mark(True, src, evidence="script")
        written = unquote(text) if "%" in text else text
        if any(h in written for h in markers.hosts) or any(i in written for i in markers.ids):
            return Mark(True, "inline script", evidence="script")
    for img in doc.tree.css("img[alt], img[title]"):
        label = f"{img.attributes.get('alt') or ''} {img.attributes.get('title') or ''}"
        if markers.words.search(label):
            return Mark(True, squash_spaces(label), evidence="image text")
    return Mark(False)


def footer_images(doc: Doc, limit: int = 8) -> list[str]:
    """Absolute URLs of the images in the footer (else the page's last images), footer first."""
    nodes = [img for f in doc.footer_nodes for img in f.css("img[src]")] or doc.tree.css("img[src]")[-limit:]
    out: list[str] = []
    for img in nodes:
        url = normalize_url((img.attributes.get("src") or "").strip(), doc.base_url)
        if url and url.startswith(("http://", "https://")) and url not in out:
            out.append(url)
    return out[:limit]


def _sponsor(footer: str) -> Mark:
    m = _SPONSOR.search(footer)
    return Mark(True, m.group(1), evidence="text") if m else Mark(False)


def _contact(doc: Doc, footer: str) -> Mark:
    for a in doc.footer_anchors():
        if a.kind == "mailto" or _CONTACT_LINK.search(a.text):
            return Mark(True, a.text or a.url, evidence="link")
    for pattern, how in ((_CONTACT_LABEL, "label"), (_PHONE, "phone"), (_EMAIL, "e-mail")):
        m = pattern.search(footer)
        if m:
            return Mark(True, m.group(0), evidence=how)
    return Mark(False)


def _error_report(doc: Doc) -> Mark:
    for a in doc.anchors:
        if _ERROR_TEXT.search(a.text) or (a.kind == "http" and _JIUCUO_URL.search(a.url)):
            return Mark(True, a.text or a.url, evidence="link")
    for attrs, _ in doc.scripts:
        if attrs.get("id") == "_jiucuo_" or _JIUCUO_URL.search(attrs.get("src", "")):
            return Mark(True, attrs.get("src", "") or "_jiucuo_", evidence="widget")
    if doc.tree.css_first("#_span_jiucuo") is not None:
        return Mark(True, "_span_jiucuo", evidence="widget placeholder")
    node = doc.tree.css_first("[aria-label*='找错'], img[alt*='找错'], [title*='找错']")
    if node is not None:
        return Mark(True, "找错", evidence="image")
    return Mark(False)


def squash_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
