"""Conformance on three whole real portals (../shared/corpus/cn-portals): columns, boards, marks, links.

Each site folder is served on 127.0.0.1 (a free port, http.server in a thread) and audited end to end:

    govaudit audit URL --as-of D --delay 0 --format json --out TMP --db TMP/db

report.json is compared with expected values written by reading the pages (tables below; nothing of a
page is copied here, only paths, names, dates and counts):
- columns, dates, verdicts: every real content column (栏目) of the site: its URL path, that it is found, its newest
  item's date, and its stale/empty verdict under the thresholds the report prints (news 14 days,
  notice/policy 183, personnel/plan 365; "other" has none). A column the report judges that is not in
  the table is counted as a difference ("not a content column");
- vetoes: the column and channel vetoes the tables imply, under the counts the report prints;
- boards: a consultation channel found or not, each board found, its message counts;
- identity: 网站标识码, ICP备案, 公安备案, 党政机关 badge, site search, present or not;
- links: the distinct broken internal targets (same host 127.0.0.1:PORT) of the pages a crawl from
  the home page reaches. Absolute links to the original domain are external (the corpus README).

    .venv/bin/python bench/conformance/cnportals.py [--site NAME] [--json FILE] [--corpus DIR] [--only-diffs]

Prints every item (expected vs got, ok/DIFF) and totals per category and overall; exits 0 (a
measurement, not a gate). CNPORTALS.md has the totals of a run and the differences;
tests/corpus/test_cnportals_corpus.py checks the tables and runs gxpopss_cn.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.conformance.linkharness import Tally  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "cn-portals"
THRESHOLDS = {"news": 14, "notice": 183, "policy": 183, "personnel": 365, "plan": 365, "other": None}
LONG_STALE_DAYS = 365
VETO_STALE_AT, VETO_LONG_STALE_AT, VETO_EMPTY_AT = 5, 10, 5  # as the report prints them ("veto at N")
CATEGORIES = ("columns", "dates", "verdicts", "vetoes", "boards", "identity", "links")
MARKS = ("site_id", "icp", "police", "conac", "search")


# ---- expected values ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Col:
    """One content column. `path` is its list page (the page read for `latest`: the newest item's
    date on that list, or None with `empty` for a page with its heading and no item); `aliases` are
    pages that redirect to it (<meta http-equiv=refresh>), which the report may name instead."""

    path: str
    name: str
    type: str
    latest: date | None
    empty: bool = False
    topic: bool = False  # a 专题专栏 sub-column (a finished campaign): not counted as "should be updated"
    aliases: tuple[str, ...] = ()

    def verdict(self, as_of: date) -> str:
        if self.empty:
            return "empty"
        limit = THRESHOLDS[self.type]
        if self.latest is not None and limit is not None and (as_of - self.latest).days > limit:
            return "stale"
        return "ok"


@dataclass(frozen=True, slots=True)
class Board:
    """A 政民互动 board: its list page, the messages it lists and how many have a reply."""

    path: str
    name: str
    messages: int | None
    answered: int | None
    source: str  # the pages read


@dataclass(frozen=True, slots=True)
class SiteExpect:
    name: str
    as_of: date
    as_of_basis: str
    columns: tuple[Col, ...]
    not_columns: tuple[str, ...]  # pages read and found not to be content columns (navigation, single pages)
    consultation: bool  # a consultation channel (信箱, 留言, 咨询 …) exists anywhere on the site
    boards: tuple[Board, ...]
    surveys: int  # 调查征集 / 在线访谈 activities in the 12 months before as_of
    interviews: int
    marks: dict[str, bool]
    marks_source: str
    home_latest: date  # the newest item the home page shows (its date read on the item's list)
    broken: tuple[str, ...]  # distinct broken internal targets (URL paths, decoded)
    broken_note: dict[str, str] = field(default_factory=dict)


def d(text: str) -> date:
    return date.fromisoformat(text)


def C(path: str, name: str, kind: str, latest: str | None, **kw: Any) -> Col:  # noqa: N802 - a table row
    return Col(path, name, kind, d(latest) if latest else None, **kw)


# gxpopss_cn: 广西社科规划办. The home page menu lists four list columns (staticmores/NNN/NNN-1.html,
# 20 items a page, dates as YYYY-MM-DD beside each title); 联系我们 is one article. Read: index.html
# (menu, footer), each staticmores/*-1.html list. `make time: 2020-07-27` closes index.html: as-of is
# the day after. No 信箱/留言/咨询 anywhere (grep of every page); the footer has three unlabeled badge
# images (no record number, no 标识码, no CONAC script) and no search box. 成果集萃 (articles) and
# 资料下载 (forms to download) have no threshold of their own; 规划 in the body's name is not their type.
GXPOPSS = SiteExpect(
    name="gxpopss_cn", as_of=d("2020-07-28"), as_of_basis="index.html make time 2020-07-27 18:00:24",
    columns=(
        C("/staticmores/003/003-1.html", "通知公告", "notice", "2019-05-20"),
        C("/staticmores/011/011-1.html", "工作动态", "news", "2019-05-13"),
        C("/staticmores/004/004-1.html", "成果集萃", "other", "2019-05-23"),
        C("/staticmores/008/008-1.html", "资料下载", "other", "2015-01-19"),
    ),
    not_columns=("/staticpages/20180330/ghb5abdfa1f-194.html", "/staticmores/014/014-1.html",
                 "/staticmores/023/023-1.html"),
    consultation=False, boards=(), surveys=0, interviews=0,
    marks={"site_id": False, "icp": False, "police": False, "conac": False, "search": False},
    marks_source="index.html footer (版权所有, 电话, 地址, 技术支持, three image links to javascript:;)",
    home_latest=d("2019-05-23"),
    broken=(),
)

# 上一篇 / 下一篇 of articles whose neighbour is not in the copy: TRS writes them with
# `var str_1 = "./t….html"; document.write('<a href="'+str_1+'"…')`, so a browser gets the same 404.
PREV_NEXT_GZDZ = (
    "/bmgk/sbjb/gzdt_62434/201705/t20170520_20926175.html", "/bmgk/sbjb/gzdt_62434/201705/t20170520_20926176.html",
    "/bmgk/sbjb/gzdt_62434/201705/t20170520_20926177.html", "/bmgk/sbjb/gzdt_62434/201705/t20170520_20926178.html",
    "/gzdt/rsks/201908/t20190810_21912794.html", "/gzdt/tzgg/201711/t20171120_21335223.html",
    "/gzdt/ywyw/201705/t20170524_20933454.html", "/ywgz/202004/t20200409_55874487.html",
    "/zwgk/gsgg/202008/t20200820_62587133.html", "/zwgk/gsgg/202008/t20200825_62705740.html",
    "/zwgk/gsgg/202008/t20200825_62705768.html", "/zwgk/gsgg/202008/t20200828_62796650.html",
    "/zwgk/gsgg/202008/t20200828_62802188.html", "/zwgk/zcfg_62459/201705/t20170520_20926259.html",
)

# gzdzhrss_com: 道真县人社局, TRS WCM. Columns are the home page menu (工作动态, 业务工作, 部门概况,
# 政务公开 and their sub-menus); each list page holds <li><a>title</a><span>YYYY-MM-DD</span></li>, 20 a
# page, newest first (read: every */index.html listed below). 部门概况's four units (监察大队, 就业创业,
# 社保经办, 争议仲裁) each redirect (meta refresh) to their 工作动态 and carry 通知公告/政策法规/办事指南 lists
# last filled in 2017. Four 政务公开 columns have their heading and breadcrumb and no item: 扶贫工作,
# 政策解读, 规划计划, 公共资源配置 (empty). 单位职能, 领导信息 (one page each), 依申请公开 (a form), 网站纠错,
# 联系方式, 网站地图, RSS订阅 are not columns. The newest item is 公示公告 2020-12-30. No 信箱/留言/咨询 link
# on any page (grep); 网站纠错 is an error-report form. Footer: CONAC mark written by a script from
# dcs.conac.cn (present), no ICP, no 公安备案, no 网站标识码; a search box driven by script (present).
GZDZHRSS = SiteExpect(
    name="gzdzhrss_com", as_of=d("2021-01-01"), as_of_basis="newest item 2020-12-30 (zwgk/gsgg)",
    columns=(
        C("/gzdt/ywyw/index.html", "业务要闻", "news", "2020-06-23", aliases=("/gzdt/index.html",)),
        C("/gzdt/xydt/index.html", "行业动态", "news", "2019-01-17"),
        C("/gzdt/ldhd/index.html", "领导活动", "news", "2018-02-13"),
        C("/gzdt/rsks/index.html", "人事考试", "personnel", "2020-08-20"),
        C("/gzdt/tzgg/index.html", "通知公告", "notice", "2020-11-27"),
        C("/ywgz/index.html", "业务工作", "other", "2017-08-08"),
        C("/zwgk/gsgg/index.html", "公示公告", "notice", "2020-12-30"),
        C("/zwgk/fpgz/index.html", "扶贫工作", "other", None, empty=True),
        C("/zwgk/djxx/index.html", "党建信息", "other", "2015-09-17"),
        C("/zwgk/zcfg_62459/index.html", "政策法规", "policy", "2020-04-30"),
        C("/zwgk/zcjd/index.html", "政策解读", "policy", None, empty=True),
        C("/zwgk/bmwj/index.html", "部门文件", "policy", "2018-10-18"),
        C("/zwgk/ghjh/index.html", "规划计划", "plan", None, empty=True),
        C("/zwgk/rsxx/index.html", "人事信息", "personnel", "2019-07-10"),
        C("/zwgk/lydp/index.html", "录用调配", "personnel", "2011-07-13"),
        C("/zwgk/ggzypz/index.html", "公共资源配置", "other", None, empty=True),
        C("/zwgk/zyzc/index.html", "专业职称", "other", "2018-04-25"),
        C("/zwgk/gwygl/index.html", "公务员管理", "personnel", "2011-03-03"),
        C("/bmgk/jcdd/gzdt_62442/index.html", "监察大队 工作动态", "news", "2017-08-11",
          aliases=("/bmgk/jcdd/index.html",)),
        C("/bmgk/jcdd/tzgg_62444/index.html", "监察大队 通知公告", "notice", "2017-08-08"),
        C("/bmgk/jcdd/zcfg_62443/index.html", "监察大队 政策法规", "policy", "2017-08-11"),
        C("/bmgk/jycy/gzdt_62430/index.html", "就业创业 工作动态", "news", "2017-07-02",
          aliases=("/bmgk/jycy/index.html",)),
        C("/bmgk/jycy/zcfg/index.html", "就业创业 政策法规", "policy", "2017-08-11"),
        C("/bmgk/jycy/bszn/index.html", "就业创业 办事指南", "other", "2017-08-11"),
        C("/bmgk/sbjb/gzdt_62434/index.html", "社保经办 工作动态", "news", "2017-06-23",
          aliases=("/bmgk/sbjb/index.html",)),
        C("/bmgk/sbjb/zcfg_62435/index.html", "社保经办 政策法规", "policy", "2017-08-11"),
        C("/bmgk/sbjb/bszn_62436/index.html", "社保经办 办事指南", "other", "2017-08-11"),
        C("/bmgk/zyzc/gzdt_62438/index.html", "争议仲裁 工作动态", "news", "2017-08-08",
          aliases=("/bmgk/zyzc/index.html",)),
        C("/bmgk/zyzc/tzgg_62440/index.html", "争议仲裁 通知公告", "notice", "2017-08-08"),
        C("/bmgk/zyzc/zcfg_62439/index.html", "争议仲裁 政策法规", "policy", "2017-08-11"),
    ),
    not_columns=("/bmgk/index.html", "/bmgk/dwzn/index.html", "/bmgk/ldxx/index.html", "/zwgk/index.html",
                 "/zwgk/ysqgk/index.html", "/zwgk/xxgkyjx/index.html", "/syqt/index.html",
                 "/syqt/lxfs/index.html", "/syqt/rssdy/index.html", "/syqt/wzdt/index.html",
                 "/syqt/wzjc/index.html"),
    consultation=False, boards=(), surveys=0, interviews=0,
    marks={"site_id": False, "icp": False, "police": False, "conac": True, "search": True},
    marks_source="index.html: footer (主办, 电话, the _ideConac script), the 搜索 block (input#keyword, j_search_btn)",
    home_latest=d("2020-12-30"),
    broken=(
        "/gzdt/ywyw/201802/W020180213347619225316.png",
        "/images/110827103140057.gif", "/images/110827103140099.gif", "/images/110827103140184.gif",
        "/images/110827103140215.gif", "/images/110827103140245.gif", "/images/110827103140292.gif",
        "/syqt/yqlj/", "/trsapp/appWeb.do", "/zwgk/xxgkyjx/yjxsybz/",
        *PREV_NEXT_GZDZ,
    ),
    broken_note={"/gzdt/ywyw/201802/W020180213347619225316.png": "missing-from-snapshot.txt: the live site had it",
                 **{p: "上一篇/下一篇 written by a TRS document.write; the article is not in the copy"
                    for p in PREV_NEXT_GZDZ},
                 "/trsapp/appWeb.do": "the 网站纠错 form's server endpoint (not in a static copy)"},
)

# lgedu_net: 岚皋县教育体育局, SiteServer CMS on IIS. Two kinds of list pages, both read one by one:
# the bureau's own channels (channels/181xx-19773.html: breadcrumb 首页 - …, items "title(YYYY-MM-DD)",
# 共 N 条) and the bureau's 政府信息公开 pages inside the city portal group (channels/1751, 2146, 215x,
# 216x, 458x, 483x: "日间：YYYY-MM-DD" under each item). Parent channels that list their sub-columns'
# items (科室, 办公室, 二级机构 …) are columns of type other. 专题专栏 sub-columns are marked topic. Four
# channels hold a heading, a pager and 共 0 条 (empty). The city portal's own columns carried in the
# copy (鹰城要闻, 领导活动, 政策解读, 走进鹰城 …), navigation pages and 互动 pages are not columns here.
# Board: 局长信箱 (channels/18296.html, 共 1 条; contents/18296/20507.html: submitted 2020-12-21, replied
# 2020-12-23); 办理统计 and 意见征集 list 共 0 条; 在线访谈 and 咨询反馈 have an empty href. Footer
# (index.html): 网站标识码 4104000017, 陕ICP备08003687号-1, no 公安备案, the 党政机关 image
# (Picture/red.png), a search form. Newest item 2020-12-31 (学校新闻, 县区动态).
LGEDU = SiteExpect(
    name="lgedu_net", as_of=d("2021-01-01"), as_of_basis="newest items 2020-12-31 (channels/18374, 18376)",
    columns=(
        C("/channels/18287.html", "新闻动态", "news", "2020-12-29"),
        C("/channels/18288.html", "电视报道", "news", "2020-12-08"),
        C("/channels/18374.html", "学校新闻", "news", "2020-12-31"),
        C("/channels/18376.html", "县区动态", "news", "2020-12-31"),
        C("/channels/18290.html", "公文通知", "notice", "2020-12-24"),
        C("/channels/18291.html", "通知公告", "notice", "2020-12-28"),
        C("/channels/18105.html", "科室", "other", "2020-12-30"),
        C("/channels/18106.html", "办公室", "other", "2020-12-16"),
        C("/channels/18107.html", "办公室 公文通知", "notice", "2020-09-30"),
        C("/channels/18108.html", "办公室 工作动态", "news", "2020-12-16"),
        C("/channels/18109.html", "教育大事记", "other", "2020-04-08"),
        C("/channels/18110.html", "规章制度", "policy", "2020-03-27"),
        C("/channels/18111.html", "人事科", "other", "2020-12-29"),
        C("/channels/18112.html", "人事科 公文通知", "notice", "2020-12-29"),
        C("/channels/18113.html", "教育资格证", "other", "2019-09-04"),
        C("/channels/18114.html", "招教考试", "personnel", "2020-09-16"),
        C("/channels/18115.html", "免费师范生就业", "other", "2020-12-31"),
        C("/channels/18116.html", "机关党委", "other", "2020-12-25"),
        C("/channels/18117.html", "党建之窗", "other", "2020-11-24"),
        C("/channels/18118.html", "文件速递", "policy", "2020-12-25"),
        C("/channels/18119.html", "党务公开", "other", "2019-05-29"),
        C("/channels/18120.html", "学习园地", "other", "2019-09-05"),
        C("/channels/18121.html", "党员风采", "other", "2020-03-20"),
        C("/channels/18122.html", "党纪条例", "other", "2019-09-05"),
        C("/channels/18123.html", "思想政治科", "other", "2020-12-25"),
        C("/channels/18124.html", "思想政治科 公文通知", "notice", "2020-12-24"),
        C("/channels/18125.html", "宣传报道", "news", "2020-12-25"),
        C("/channels/18126.html", "财务科", "other", "2020-12-08"),
        C("/channels/18129.html", "离退休干部工作科", "other", "2020-10-28"),
        C("/channels/18132.html", "安全应急管理科", "other", "2020-12-29"),
        C("/channels/18141.html", "基础教育科", "other", "2020-12-24"),
        C("/channels/18150.html", "职业教育与成人教育科", "other", "2020-12-14"),
        C("/channels/18154.html", "教师教育科", "other", "2020-12-24"),
        C("/channels/18156.html", "体育卫生艺术工作科", "other", "2020-12-14"),
        C("/channels/18159.html", "政策法规科", "other", "2020-12-01"),
        C("/channels/18162.html", "高等教育科", "other", "2020-05-09"),
        C("/channels/18166.html", "发展规划科", "other", "2020-12-30"),
        C("/channels/18174.html", "群众体育科", "other", "2020-12-28"),
        C("/channels/18177.html", "竞赛训练科", "other", "2020-12-30"),
        C("/channels/18179.html", "体育产业科", "other", "2020-06-23"),
        C("/channels/18180.html", "教育督导科", "other", "2020-06-23"),
        C("/channels/18181.html", "党风行风建设工作办公室", "other", "2020-12-22"),
        C("/channels/18182.html", "市委教育领导小组秘书", "other", "2020-06-23"),
        C("/channels/18183.html", "科技信息科", "other", "2020-06-23"),
        C("/channels/18184.html", "二级机构", "other", "2020-12-30"),
        C("/channels/18185.html", "招生办公室", "other", "2020-12-30"),
        C("/channels/18191.html", "电教馆（教育电视台）", "other", "2020-12-24"),
        C("/channels/18194.html", "教育技术信息中心", "other", "2020-12-30"),
        C("/channels/18202.html", "基础教育研究室", "other", "2020-12-29"),
        C("/channels/18205.html", "教育技术装备站", "other", "2020-12-24"),
        C("/channels/18208.html", "学校卫生保健站", "other", "2020-12-22"),
        C("/channels/18212.html", "学生资助管理中心", "other", "2020-11-18"),
        C("/channels/18214.html", "督导室", "other", "2020-12-02"),
        C("/channels/18220.html", "职成教研室", "other", "2020-10-30"),
        C("/channels/18224.html", "教科所", "other", "2020-12-15"),
        C("/channels/18228.html", "教育时报岚皋县记者站", "other", "2020-11-03"),
        C("/channels/18231.html", "体育科研所", "other", "2020-12-08"),
        C("/channels/18233.html", "体育服务中心", "other", "2020-01-03"),
        C("/channels/18235.html", "体育村", "other", None, empty=True),
        C("/channels/18236.html", "体育活动指导中心", "other", None, empty=True),
        C("/channels/18272.html", "体育运动学校", "other", None, empty=True),
        C("/channels/18276.html", "关心下一代工作委员会", "other", "2020-12-14"),
        C("/channels/18283.html", "语言文字工作委", "other", "2020-01-13"),
        C("/channels/18386.html", "抗击肺炎专栏", "other", "2020-06-03", topic=True),
        C("/channels/18387.html", "权威发布", "other", "2020-03-13", topic=True),
        C("/channels/18388.html", "文件通知", "other", "2020-04-06", topic=True),
        C("/channels/18389.html", "战“疫”动态", "other", "2020-06-03", topic=True),
        C("/channels/18390.html", "祝福武汉", "other", "2020-02-11", topic=True),
        C("/channels/18391.html", "基层活动", "other", "2020-06-03", topic=True),
        C("/channels/18395.html", "个人防护", "other", "2020-02-08", topic=True),
        C("/channels/18397.html", "鉴真辟谣", "other", "2020-02-07", topic=True),
        C("/channels/18398.html", "疫情问答", "other", "2020-02-01", topic=True),
        C("/channels/18399.html", "信息快报", "other", "2020-02-16", topic=True),
        C("/channels/18400.html", "不忘初心牢记使命主题教育", "other", "2020-02-14", topic=True),
        C("/channels/18401.html", "主题教育 新闻", "other", "2020-02-13", topic=True),
        C("/channels/18403.html", "主题教育 工作部署", "other", "2019-12-19", topic=True),
        C("/channels/18404.html", "主题教育 工作动态", "other", "2020-02-14", topic=True),
        C("/channels/18408.html", "我为祖国歌唱拉歌活动", "other", "2019-12-12", topic=True),
        C("/channels/18409.html", "活动风采", "other", "2019-12-12", topic=True),
        C("/channels/18413.html", "活动新闻", "other", "2019-11-27", topic=True),
        C("/channels/18417.html", "法制建设专题", "other", "2019-12-31", topic=True),
        C("/channels/18420.html", "网络文明传播", "other", None, empty=True, topic=True),
        C("/channels/18421.html", "教育改革发展成就专题", "other", "2019-08-30", topic=True),
        C("/channels/18422.html", "第十届运动会", "other", "2019-10-14", topic=True),
        C("/channels/18427.html", "教育资格网", "other", "2020-12-28", topic=True),
        C("/channels/18432.html", "人事服务平台", "other", "2019-04-12", topic=True),
        C("/channels/18438.html", "扫黑除恶专项斗争", "other", "2019-12-19", topic=True),
        C("/channels/18440.html", "全市教育大会", "other", "2019-08-27", topic=True),
        C("/channels/18443.html", "全市教育大会 直属学校", "other", "2019-08-27", topic=True),
        C("/channels/19773.html", "空中课堂", "other", "2020-11-30", topic=True),
        C("/channels/19172.html", "纪检监察组 举报指南", "other", "2020-12-21"),
        C("/channels/19173.html", "纪检监察组 政策法规", "policy", "2020-08-03"),
        C("/channels/19174.html", "纪检监察组 通知公告", "notice", "2020-09-28"),
        C("/channels/19175.html", "纪检监察组 工作动态", "news", "2020-10-27"),
        C("/channels/19176.html", "纪检监察组 廉政要闻", "news", "2020-03-10"),
        C("/channels/19177.html", "纪检监察组 以案为鉴", "other", "2020-07-01"),
        C("/channels/19178.html", "纪检监察组 学习园地", "other", "2020-12-07"),
        C("/channels/1751.html", "信息公开 市教育体育局", "other", "2020-03-17"),
        C("/channels/2146.html", "政府信息公开年度报告", "other", "2020-01-29"),
        C("/channels/2150.html", "组织机构", "other", "2019-05-03"),
        C("/channels/2151.html", "部门领导", "other", "2019-01-22"),
        C("/channels/2152.html", "机构职能", "other", "2019-05-03"),
        C("/channels/2156.html", "综合政务", "other", "2019-11-14"),
        C("/channels/2161.html", "工作信息", "news", "2019-07-09"),
        C("/channels/2163.html", "人大代表建议回复", "other", "2019-06-27"),
        C("/channels/2164.html", "政协提案议案回复", "other", "2019-07-09"),
        C("/channels/2166.html", "财政信息", "other", "2019-11-14"),
        C("/channels/2169.html", "三公经费", "other", "2019-11-14"),
        C("/channels/4582.html", "业务管理", "other", "2020-03-17"),
        C("/channels/4583.html", "义务教育", "other", "2020-03-17"),
        C("/channels/4584.html", "教育指导工作", "other", "2020-03-17"),
        C("/channels/4585.html", "教育系统管理", "other", "2020-01-03"),
        C("/channels/4586.html", "教育体制改革", "other", "2019-11-13"),
        C("/channels/4831.html", "教育经费管理", "other", "2019-11-14"),
        C("/channels/4832.html", "教育队伍建设", "other", "2019-04-04"),
    ),
    not_columns=("/channels/19124.html", "/channels/18104.html", "/channels/18237.html", "/channels/18385.html",
                 "/channels/18103.html", "/channels/19171.html", "/channels/2145.html",
                 "/channels/5329.html", "/channels/5330.html", "/channels/5332.html", "/channels/3.html",
                 "/channels/4.html", "/channels/5.html", "/channels/13.html", "/channels/29.html",
                 "/channels/30.html", "/channels/1049.html", "/channels/10320.html", "/channels/12719.html",
                 "/channels/18296.html", "/channels/18298.html", "/channels/18300.html"),
    consultation=True,
    boards=(Board("/channels/18296.html", "局长信箱", 1, 1,
                  "channels/18296.html (共 1 条), contents/18296/20507.html (提交 2020-12-21, 回复 2020-12-23)"),),
    surveys=0, interviews=0,
    marks={"site_id": True, "icp": True, "police": False, "conac": True, "search": True},
    marks_source="index.html footer (网站标识码 4104000017, 陕ICP备08003687号-1, Picture/red.png 党政机关), "
                 "form#formsub (search)",
    home_latest=d("2020-12-31"),
    broken=(
        "/Css/base.css", "/Css/dwgkcontent.css", "/Css/iconfont.css", "/Css/index.css",
        "/Interactivesearch/Interactivesearch_s.html",
        *(f"/SiteFiles/bairong/icons/tree/{n}.gif" for n in (
            "empty", "folder", "tree_bottom", "tree_line", "tree_middle", "tree_minusbottom", "tree_minusmiddle",
            "tree_plusbottom", "tree_plusmiddle")),
        "/channels/2144.html",
        *(f"/oldFiles/Video/{p}.mp4" for p in (
            "2019/11/08/201911080815179277", "2019/11/14/201911140757102817", "2019/11/14/201911140759030663",
            "2019/11/18/201911181427142220", "2019/11/22/201911220834154628", "2019/11/22/201911220835594590",
            "2019/11/27/201911271515325293", "2019/11/28/201911280946547118", "2019/12/12/201912121629508635",
            "2019/12/12/201912121630419495", "2020/12/08/12月8日教育体育报道")),
        *(f"/oldFiles/Video/2020/{md}/{f}" for md, day in (
            ("11/06", "11月6日"), ("11/10", "11月10日"), ("11/13", "11月13日"), ("11/17", "11月17日"),
            ("11/20", "11月20日"), ("11/24", "11月24日"), ("11/27", "11月27日"), ("12/01", "12月1日"),
            ("12/04", "12月4日"))
          for f in (f"2020年{day}教育体育报道.mp4", "QQ图片20190412164348.jpg")),
        "/utils/search.html",
    ),
    broken_note={"/Css/base.css": "IIS case: the folder is css/ (the live IIS served it)",
                 "/channels/2144.html": "公开指南, linked from every page, not in the copy"},
)

SITES: dict[str, SiteExpect] = {s.name: s for s in (GXPOPSS, GZDZHRSS, LGEDU)}


def expected_vetoes(site: SiteExpect) -> dict[str, bool | None]:
    """The vetoes the tables imply, by the counts the report prints. Long-stale ("columns that should
    be updated, not updated for over a year") is counted twice: over the typed columns (news, notice,
    policy, personnel, plan) and over every dated column (专题 and "other" ones too); where the two
    counts fall on different sides of the threshold the reading of the rule decides: None, unscored."""
    as_of = site.as_of
    verdicts = [(c, c.verdict(as_of)) for c in site.columns]
    stale = sum(v == "stale" and c.type in ("news", "notice", "policy") for c, v in verdicts)
    empty = sum(v == "empty" for c, v in verdicts)

    def long_stale(every: bool) -> bool:
        old = [c for c in site.columns if c.latest is not None and (as_of - c.latest).days > LONG_STALE_DAYS]
        return sum(every or (THRESHOLDS[c.type] is not None and not c.topic) for c in old) >= VETO_LONG_STALE_AT

    typed, every = long_stale(False), long_stale(True)
    return {
        "cn.veto.home-update": (as_of - site.home_latest).days > THRESHOLDS["news"],
        "cn.veto.columns.stale": stale >= VETO_STALE_AT,
        "cn.veto.columns.long-stale": typed if typed == every else None,
        "cn.veto.columns.empty": empty >= VETO_EMPTY_AT,
        "cn.veto.interaction.channel": not site.consultation,
    }


# ---- comparing ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    category: str
    key: str
    expected: str
    ours: str  # what the report says ("offline": nothing to compare, counts as neither)
    shown: str = ""  # what the report says, where `ours` is "offline"

    @property
    def reproduced(self) -> bool:
        return self.expected == self.ours

    def line(self) -> str:
        mark = "ok  " if self.reproduced else ("n/a " if self.ours == "offline" else "DIFF")
        return f"  {mark} {self.category:<8} {self.key}: expected {self.expected}, got {self.shown or self.ours}"


@dataclass(slots=True)
class SiteResult(Tally):
    name: str
    compared: list[Item] = field(default_factory=list)
    seconds: float = 0.0
    grade: str = ""
    error: str = ""

    def of(self, category: str) -> list[Item]:
        return [c for c in self.compared if c.category == category]


def _path(url: str) -> str:
    """URL path, percent-decoded, `/dir/index.html` as `/dir/` (servers answer both alike)."""
    path = unquote(urlsplit(url).path) or "/"
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def _date_text(value: date | str | None) -> str:
    return str(value) if value else "none"


def compare(site: SiteExpect, report: dict[str, Any]) -> list[Item]:
    items: list[Item] = []
    checks = report.get("checks", {})
    host = urlsplit(report.get("site", {}).get("url", "")).netloc

    fresh = checks.get("freshness") or {}
    judged: dict[str, dict[str, Any]] = {}
    for col in fresh.get("columns") or []:
        for url in [col.get("url", ""), *(col.get("list_pages") or [])]:
            judged.setdefault(_path(url), col)
    used: set[int] = set()
    for c in site.columns:
        got = next((judged[p] for p in (_path(c.path), *map(_path, c.aliases)) if p in judged), None)
        key = f"{c.name} {c.path}"
        if got is None:
            fresh_ok = fresh.get("status") == "ok"
            items.append(Item("columns", f"{key} found", "yes", "no" if fresh_ok else "error"))
            items.append(Item("dates", f"{key} latest", _date_text(c.latest), "not found"))
            items.append(Item("verdicts", f"{key} verdict", c.verdict(site.as_of), "not found"))
            continue
        used.add(id(got))
        items.append(Item("columns", f"{key} found", "yes", "yes"))
        items.append(Item("dates", f"{key} latest", _date_text(c.latest), _date_text(got.get("latest"))))
        verdict = "error" if got.get("error") else "empty" if got.get("empty") else "stale" if got.get("stale") else "ok"
        items.append(Item("verdicts", f"{key} verdict", c.verdict(site.as_of),
                          f"{verdict} ({got.get('type')})" if verdict != c.verdict(site.as_of) else verdict))
    for col in fresh.get("columns") or []:
        if id(col) not in used:
            items.append(Item("columns", f"{col.get('name')} {_path(col.get('url', ''))} judged",
                              "not a content column", f"column ({col.get('type')}, {_date_text(col.get('latest'))})"))

    fired = set(report.get("score", {}).get("vetoes") or [])
    results = {i["id"]: i.get("result") for i in report.get("indicators", []) if i.get("kind") == "veto"}
    for veto, want in expected_vetoes(site).items():
        got_text = "error" if results.get(veto) == "error" else "fires" if veto in fired else "passes"
        if want is None:
            items.append(Item("vetoes", veto, "unclear (the reading of the rule decides)", "offline", got_text))
        else:
            items.append(Item("vetoes", veto, "fires" if want else "passes", got_text))

    inter = checks.get("interaction") or {}
    metrics = inter.get("metrics") or {}
    if inter.get("status") != "ok":
        ours_channel = "error"
    else:
        ours_channel = "yes" if metrics.get("consultation_channels") else "no"
    items.append(Item("boards", "consultation channel", "yes" if site.consultation else "no", ours_channel))
    boards = {_path(b.get("url", "")): b for b in inter.get("boards") or []}
    for b in site.boards:
        got_b = boards.get(_path(b.path))
        key = f"{b.name} {b.path}"
        items.append(Item("boards", f"{key} read", "readable", "not found" if got_b is None else
                          "readable" if got_b.get("readable") else f"unreadable ({got_b.get('status')})"))
        for name, want_n in (("messages", b.messages), ("answered", b.answered)):
            if want_n is not None:
                has = got_b is not None and got_b.get("readable")
                items.append(Item("boards", f"{key} {name}", str(want_n), str(got_b.get(name)) if has else "none"))
    for name, want_n in (("surveys_in_window", site.surveys), ("interviews_in_window", site.interviews)):
        items.append(Item("boards", name, str(want_n), str(metrics.get(name))))

    ident = checks.get("identity") or {}
    footer = ident.get("footer") or {}
    for mark in MARKS:
        if ident.get("status") != "ok":
            got_m = "error"
        elif mark == "search":
            got_m = "present" if (ident.get("search") or {}).get("form") or (ident.get("metrics") or {}).get(
                "search_present") else "absent"
        else:
            got_m = "present" if (footer.get(mark) or {}).get("present") else "absent"
        items.append(Item("identity", mark, "present" if site.marks[mark] else "absent", got_m))

    links = checks.get("links") or {}
    reported = {_path(f["target"]) for f in links.get("findings") or []
                if f.get("target") and urlsplit(f["target"]).netloc == host and f.get("rule") == "broken-link"}
    want_broken = {_path(p) for p in site.broken}
    status = links.get("status")
    for p in sorted(want_broken):
        items.append(Item("links", p, "broken", "error" if status != "ok" else "broken" if p in reported else "not reported"))
    for p in sorted(reported - want_broken):
        items.append(Item("links", p, "resolves", "broken"))
    return items


# ---- serving and auditing -------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` on http://127.0.0.1:PORT/ (a free port), for the length of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def govaudit_command() -> list[str]:
    exe = Path(sys.executable).parent / "govaudit"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "govaudit"]


def audit(site: SiteExpect, corpus: Path = CORPUS, timeout: float = 900) -> tuple[dict[str, Any], float]:
    """Serve the site, audit it as a user would, and return report.json with the seconds it took."""
    work = Path(tempfile.mkdtemp(prefix=f"cnportals-{site.name}-"))
    try:
        with serving(corpus / site.name / "site") as url:
            start = time.monotonic()
            cmd = [*govaudit_command(), "audit", url, "--as-of", site.as_of.isoformat(), "--delay", "0",
                   "--format", "json", "--out", str(work), "--db", str(work / "db")]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
            seconds = time.monotonic() - start
        report_file = work / "report.json"
        if not report_file.exists():
            raise RuntimeError(f"govaudit wrote no report (exit {proc.returncode}): {proc.stderr[-2000:]}")
        return json.loads(report_file.read_text(encoding="utf-8")), seconds
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_site(site: SiteExpect, corpus: Path = CORPUS) -> SiteResult:
    result = SiteResult(site.name)
    try:
        report, result.seconds = audit(site, corpus)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        result.error = str(exc)
        return result
    result.grade = str(report.get("score", {}).get("grade", ""))
    result.compared = compare(site, report)
    return result


# ---- output ---------------------------------------------------------------------------------------


def _count(items: list[Item]) -> str:
    judged = [i for i in items if i.ours != "offline"]
    return f"{sum(i.reproduced for i in judged)}/{len(judged)}"


def print_result(result: SiteResult, only_diffs: bool = False) -> None:
    print(f"== {result.name}: {result.seconds:.0f} s, grade {result.grade or '-'}")
    if result.error:
        print(f"  ERROR {result.error}")
        return
    for item in result.compared:
        if not only_diffs or not (item.reproduced or item.ours == "not found"):  # a missing column: one line
            print(item.line())
    per = ", ".join(f"{cat} {_count(result.of(cat))}" for cat in CATEGORIES)
    print(f"  {result.name}: {per}; all {result.reproduced}/{result.total - len(result.offline)}")


def summary(results: list[SiteResult]) -> dict[str, Any]:
    every = [i for r in results for i in r.compared]
    return {
        "sites": {r.name: {"seconds": round(r.seconds, 1), "grade": r.grade, "error": r.error,
                           "totals": {cat: _count(r.of(cat)) for cat in CATEGORIES},
                           "all": f"{r.reproduced}/{r.total - len(r.offline)}",
                           "items": [asdict(i) | {"reproduced": i.reproduced} for i in r.compared]}
                  for r in results},
        "totals": {cat: _count([i for i in every if i.category == cat]) for cat in CATEGORIES},
        "all": _count(every),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", choices=sorted(SITES), action="append", help="run only this site (repeatable)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the cn-portals folder")
    parser.add_argument("--json", type=Path, help="write the items and totals to this file")
    parser.add_argument("--only-diffs", action="store_true", help="print the differences only")
    args = parser.parse_args(argv)
    results = []
    for name in args.site or list(SITES):
        result = run_site(SITES[name], args.corpus)
        print_result(result, args.only_diffs)
        results.append(result)
    data = summary(results)
    print("== totals: " + ", ".join(f"{cat} {n}" for cat, n in data["totals"].items()) + f"; all {data['all']}")
    if args.json:
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
