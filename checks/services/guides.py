"""办事指南 (service guide) pages: which crawled pages are guides, and which key elements each shows.

A page is a guide by structure (at least `MIN_LABELS` of the eight key-element labels laid out as
labels: a table header cell, a definition term, a heading, or a line "label：value") or by name (its
title, h1 or URL says 办事指南 / 服务指南 / bszn) with at least one label. An element counts as
present only when its label carries a value; a label with an empty value is reported as empty.
Labels in the header, navigation and footer are ignored (a footer's 联系电话 is not the guide's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

# The eight key elements of 服务不实用 (国办秘函〔2019〕19号, V) and the 2015 census 办事指南 item
# (gov.cn 2015-06-10, V), each with the labels portals use for it (our list, extendable by option).
ELEMENTS: dict[str, tuple[str, ...]] = {
    "事项名称": ("事项名称", "项目名称", "服务事项", "事项", "审批事项名称", "服务名称"),
    "设定依据": ("设定依据", "办理依据", "法律依据", "实施依据", "法定依据", "政策依据", "依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件", "申报条件", "申请人条件", "准予许可的条件"),
    "办理材料": ("办理材料", "申请材料", "申报材料", "材料清单", "所需材料", "提交材料", "申请材料目录"),
    "办理地点": ("办理地点", "受理地点", "办公地点", "办理地址", "窗口地址", "受理窗口", "办理窗口"),
    "办理时间": ("办理时间", "受理时间", "办公时间", "工作时间", "窗口办公时间"),
    "联系电话": ("联系电话", "咨询电话", "咨询方式", "监督电话", "投诉电话", "联系方式"),
    "办理流程": ("办理流程", "办事流程", "办理程序", "审批流程", "业务流程", "办理步骤", "流程"),
}
MIN_LABELS = 4
_NAME_RE = re.compile(r"办事指南|服务指南|办事须知|事项指南")
_URL_RE = re.compile(r"bszn|fwzn|bsxz|guide|zhinan|bsznm", re.I)
_CHROME_RE = re.compile(r"foot|bottom|header|head\b|nav|menu|topbar|crumb|copyright", re.I)
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)")
_COLONS = "：:"


@dataclass(slots=True)
class Guide:
    url: str
    name: str
    present: dict[str, str] = field(default_factory=dict)  # element -> the label it was read under
    empty: list[str] = field(default_factory=list)  # labels shown with no value
    by: str = "structure"  # structure | name

    @property
    def missing(self) -> list[str]:
        return [e for e in ELEMENTS if e not in self.present]


def _label_index(extra: dict[str, list[str]] | None) -> list[tuple[str, str]]:
    """(label, element) pairs, longest label first so 事项名称 wins over 事项."""
    pairs = [(label, el) for el, labels in ELEMENTS.items() for label in labels]
    for el, labels in (extra or {}).items():
        if el in ELEMENTS:
            pairs += [(label, el) for label in labels]
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def content_lines(html: str) -> tuple[list[str], str, str]:
    """The page's text lines outside header, navigation and footer; its <title> and first <h1>."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else ""
    h1_node = tree.css_first("h1")
    h1 = h1_node.text(strip=True) if h1_node else ""
    for node in tree.css("script, style, noscript, header, footer, nav"):
        node.decompose()
    for node in tree.css("[class], [id]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _CHROME_RE.search(marks):
            node.decompose()
    body = tree.body
    text = body.text(separator="\n") if body is not None else ""
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    return [line for line in lines if line], title, h1


def read_guide(url: str, html: str, extra: dict[str, list[str]] | None = None) -> Guide | None:
    """The guide on this page, or None when the page is not a 办事指南."""
    lines, title, h1 = content_lines(html)
    index = _label_index(extra)
    labels: dict[str, str] = {}
    values: dict[str, bool] = {}
    for n, line in enumerate(lines):
        bare = _NUMBERING.sub("", line)
        for label, element in index:
            if not bare.startswith(label):
                continue
            rest = bare[len(label):]
            if rest and rest[0] not in _COLONS and rest.strip(_COLONS + " "):
                continue  # "事项名称变更…" is prose, not a label
            value = rest.lstrip(_COLONS + " ").strip()
            if not value and n + 1 < len(lines) and not _is_label(lines[n + 1], index):
                value = lines[n + 1]
            if element not in labels or (value and not values[element]):
                labels[element], values[element] = label, bool(value)
            break
    named = bool(_NAME_RE.search(title) or _NAME_RE.search(h1) or _URL_RE.search(url))
    if len(labels) >= MIN_LABELS:
        by = "structure"
    elif named and labels:
        by = "name"
    else:
        return None
    name = re.sub(r"(办事指南|服务指南|办事须知)$", "", h1 or title).strip() or url
    guide = Guide(url=url, name=name, by=by)
    for element, label in labels.items():
        if values[element]:
            guide.present[element] = label
        else:
            guide.empty.append(label)
    return guide


def _is_label(line: str, index: list[tuple[str, str]]) -> bool:
    bare = _NUMBERING.sub("", line)
    return any(bare == label or (bare.startswith(label) and bare[len(label):len(label) + 1] in tuple(_COLONS))
               for label, _ in index)
