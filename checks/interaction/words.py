"""The words Chinese portals use for citizen channels, message fields and message states.

Kept in one place so the channel finder, the list reader and the detail reader agree, and so a
reader can see at a glance what the heuristics look for.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# ---- channel kinds --------------------------------------------------------------------------

CONSULTATION = "consultation"  # 政务咨询: mailboxes and message boards, the ones the veto reads
SURVEY = "survey"  # 调查征集
INTERVIEW = "interview"  # 在线访谈
EXCLUDED = "excluded"  # 网上信访, 纪检举报: the standard says they do not count
HUB = "hub"  # 互动交流 / 政民互动: a page that lists the channels
KINDS = (CONSULTATION, SURVEY, INTERVIEW, EXCLUDED)

# Order matters: the first kind whose words appear in a link's text wins, so "纪检举报信箱" is
# excluded before 信箱 makes it a mailbox, and "民意征集" is a survey before anything else.
TEXT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (EXCLUDED, ("信访", "纪检", "纪委", "监委", "违纪", "巡视", "巡察", "监督举报")),
    (INTERVIEW, ("访谈", "在线直播", "网上直播")),
    # Not bare 调查: "调查数据" and "统计调查" are statistics columns, not citizen surveys.
    (SURVEY, ("征集", "网上调查", "在线调查", "民意调查", "问卷", "满意度调查", "调查征集", "民意", "征求意见")),
    (CONSULTATION, ("信箱", "留言", "咨询", "投诉", "建言", "12345", "来信", "问政", "诉求", "写信",
                    "热线", "献策", "网民")),
    (HUB, ("互动交流", "政民互动", "公众参与", "互动平台", "政民互动", "互动")),
)

# Links that look like a channel but are not a 政务咨询 one: reported as rejected candidates with why.
NEAR_MISSES: tuple[tuple[str, str], ...] = (
    ("信息公开意见箱", "a 政府信息公开 feedback box, not a 政务咨询 channel"),
    ("依申请公开", "a 政府信息公开 request service, not a 政务咨询 channel"),
    ("纠错", "a report-an-error form for the website, not a 政务咨询 channel"),
    ("意见箱", "an opinion box without 信箱/留言/咨询 wording: not counted as a 政务咨询 channel"),
)

# Filing marks of a site's footer (ICP备案, 公安备案, 网站标识码, 党政机关网站标识 / CONAC): the identity
# check's business, never a citizen channel, whatever digits (12345…) their numbers hold.
FILING_TEXT = re.compile(r"ICP\s*[备证]|公网安备|公安备案|网安备|网站标识码|党政机关|政府网站标识|备案号|备案序号", re.I)
FILING_HOSTS = ("beian.miit.gov.cn", "miitbeian.gov.cn", "beian.gov.cn", "conac.cn")
FILING_WHY = "a filing mark (ICP备案, 公安备案, 网站标识码 or 党政机关网站标识), never a 政务咨询 channel"


def is_filing_mark(text: str, url: str) -> bool:
    """A link to or named as one of the footer's filing marks."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".") if url else ""
    except ValueError:
        host = ""
    return bool(FILING_TEXT.search(text)) or any(host == h or host.endswith("." + h) for h in FILING_HOSTS)


# URL hints for links without useful text (image buttons). Matched against the lower-cased path.
URL_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (EXCLUDED, re.compile(r"xinfang|wsxf|/xf/|jjjc|jubao")),
    (INTERVIEW, re.compile(r"zxft|fangtan|interview|/ft/")),
    (SURVEY, re.compile(r"dczj|zjdc|myzj|yjzj|survey|zhengji|diaocha|/zj/")),
    (CONSULTATION, re.compile(r"xzxx|szxx|sjxx|ldxx|qzxx|mailbox|xinxiang|liuyan|/ly/|zxzx|12345|wzly|guestbook")),
    (HUB, re.compile(r"/hdjl/|/hudong/|/gzcy/|/zmhd/|/hdjl$|/hdjl\.")),
)

# A link to the writing form ("我要写信") proves a channel exists but is not a list to read.
FORM_TEXT = re.compile(r"^(我要|我来|点击)?(写信|留言|咨询|提问|投诉|建言)$|^我要")
FORM_URL = re.compile(r"write|xiexin|/tj\b|submit|add\.(s?html?|jsp|aspx?|php)")

MAX_SECTION_HEAD = 8  # a block heading on a hub page ("调查征集", "在线访谈 更多"), not an item title
MAX_LINK_TEXT = 16  # longer anchor text is an article title that happens to mention 留言, not a channel

# ---- message fields -------------------------------------------------------------------------

ASKED = "asked"
REPLIED = "replied"
STATUS = "status"
TITLE = "title"
UNIT = "unit"

# Header or label text -> field. Checked in order; the first match wins.
FIELD_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (REPLIED, re.compile(r"(回复|答复|办结|反馈|回信|处理|办理)(时间|日期)")),
    (ASKED, re.compile(r"(留言|来信|提问|写信|咨询|提交|发布|发信|投诉|信件|诉求|受理)(时间|日期)|^(时间|日期)$")),
    (STATUS, re.compile(r"状态|是否(回复|答复|办结)|办理情况|处理情况")),
    (UNIT, re.compile(r"(答复|回复|办理|处理|承办)(单位|部门|机关)")),
    (TITLE, re.compile(r"标题|主题|事项|信件名称|留言内容|^内容$")),
)

# A label immediately followed by a value in running text ("留言时间：2019-04-25 09:32").
LABELLED_VALUE = re.compile(
    r"(?P<label>(?:留言|来信|提问|写信|咨询|提交|发信|投诉|诉求|回复|答复|办结|反馈|回信)(?:时间|日期))"
    r"\s*[:：]?\s*(?P<value>[^\n|]{0,40})"
)

# ---- message states -------------------------------------------------------------------------

# Pending words are checked first: "未回复" contains "回复", "已受理" is not an answer.
PENDING_WORDS = ("未回复", "未答复", "未办结", "未处理", "未反馈", "办理中", "处理中", "待处理", "待回复",
                 "待答复", "待办理", "受理中", "已受理", "正在办理", "正在处理", "转办中", "已转办", "审核中",
                 "待审核", "未办理")
# 不予受理 / 拒绝受理 close a message with an answer (a refusal is a reply), so they count as answered.
ANSWERED_WORDS = ("已回复", "已答复", "已办结", "已处理", "已反馈", "已完成", "已解决", "办结", "已回", "已办理",
                  "处理完毕", "办理完毕", "已办毕", "不予受理", "拒绝受理")
NO_REPLY_TEXT = ("暂无答复", "暂无回复", "尚未答复", "尚未回复", "暂未答复", "暂未回复")

# A list that says it is empty. Only believed when no script could be filling it in.
EMPTY_TEXT = ("暂无留言", "暂无信件", "暂无数据", "暂无记录", "没有留言", "暂无内容", "没有记录", "暂无信息",
              "无记录", "没有找到相关")

# A pager that counts no items ("共 0 条", "共0条记录"): the list is empty.
ZERO_COUNT = re.compile(r"共\s*0\s*(条|篇|项|封)")

# Signs that a list is built by scripts or fetched as JSON after the page loads.
SCRIPTED = re.compile(
    r"\$\.(ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|\baxios\b|XMLHttpRequest|\bv-for=|\bng-repeat=|"
    r"\{\{\s*[\w.]+\s*\}\}|\blayui\.|\btemplate\s*\(|application/json|\.json\b|/api/",
    re.I,
)

# ---- pagination -----------------------------------------------------------------------------

NEXT_TEXT = ("下一页", "下页", "后一页", "下一頁", "next", ">", "›", "»", ">>")
# TRS/WCM pages write their pager with a script: createPageHTML(pages, current, "index", "html").
CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(?P<total>\d+)['\"]?\s*,\s*['\"]?(?P<current>\d+)['\"]?\s*,\s*"
    r"['\"](?P<name>[\w-]+)['\"]\s*,\s*['\"](?P<ext>\w+)['\"]"
)


def status_answer(text: str) -> bool | None:
    """True when `text` says the message was answered, False when it says it waits, None when silent."""
    if not text:
        return None
    if any(w in text for w in PENDING_WORDS):
        return False
    if any(w in text for w in ANSWERED_WORDS):
        return True
    return None


def field_of_label(text: str) -> str | None:
    """Which message field a header cell or label names."""
    clean = re.sub(r"\s+", "", text)
    if not clean or len(clean) > 12:
        return None
    for name, pattern in FIELD_LABELS:
        if pattern.search(clean):
            return name
    return None
