"""Regenerate the demo portal's static files under `site/` from the tables in `content.py`.

The committed files under site/ are what ships and what the server serves; this script is only run
by hand after editing content.py (`python -m govaudit.demo.build`). It writes plain HTML the way a
TRS-style CMS publishes it: shared header and footer, paged column lists, dated article pages.
"""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from collections.abc import Iterable
from datetime import date
from html import escape
from pathlib import Path

from govaudit.demo import content as c
from govaudit.demo.content import AS_OF, Column, Item
from govaudit.demo.server import (
    FRIEND_MARK,
    PARTNER_CLEAN,
    PARTNER_HIJACKED,
    SEARCH_INDEX,
    SEARCH_PATH,
    SEARCH_TEMPLATE,
)

SITE = Path(__file__).resolve().parent / "site"
WEEKDAYS = "一二三四五六日"

# Fixed paths the manifest refers to.
DEAD_ARTICLE = "/xwdt/202610/t20261015_4521.html"  # removed article still linked from the home carousel
MISSING_BANNER = "/images/banner_2026.jpg"
SHARED_404 = "/zwgk/xxgknb/2019.html"  # one missing target linked from several pages
GONE_410 = "/zwgk/jgzn/2018/index.html"
LOOP = "/zt/2025/index.html"
DEAD_DOMAIN = "http://www.qingshan-old.invalid/"
REFUSED = "http://127.0.0.1:9/"
SERVER_500 = "/hdjl/dczj/result.do?id=12"
HEAD_405 = "/system/download.jsp?fileid=2026041001"
MOVED_301 = "/xxgk/index.html"
OLD_SCRIPT = "/js/jquery-1.4.2.min.js"
OLD_CSS = "/css/tzgg_old.css"
SITEMAP_ONLY = "/zwgk/zfxxgkzd.html"
GBK_POLICY_URL = "/gbk/%D5%FE%B2%DF.html"  # 政策 in GBK bytes
GBK_LAW_URL = "/gbk/%E6%B3%95%E8%A7%84.html"  # 法规 in UTF-8 bytes

# Planted content-safety defects (manifest `content_defects`; the misstatement is in content.py).
SPAM_PAGE = "/zwgk/xxgknb/2025.html"  # an old page nobody edits: where a 暗链 goes unnoticed
SPAM_URL = "http://www.amdc-yulecheng.invalid/"  # a gambling domain that no longer resolves
SPAM_TEXT = "澳门金沙娱乐城"
FRIEND = FRIEND_MARK.decode("ascii")  # the server writes the other loopback host name here
PARTNERS = [("云岭市人民政府", f"http://{FRIEND}{PARTNER_CLEAN}"),
            ("云岭文旅网", f"http://{FRIEND}{PARTNER_HIJACKED}")]  # the second one is hijacked


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def article_path(col: Column, item: Item) -> str:
    return f"/{col.slug}/{item.day:%Y%m}/t{item.day:%Y%m%d}_{item.doc_id}.html"


def list_path(col: Column, n: int) -> str:
    return f"/{col.slug}/index.html" if n == 0 else f"/{col.slug}/index_{n}.html"


def pub_time(item: Item) -> str:
    # A stable time of day so regenerated pages do not churn.
    return f"{item.day:%Y-%m-%d} {8 + item.doc_id % 9:02d}:{item.doc_id * 7 % 60:02d}"


def assign_doc_ids() -> None:
    """TRS document ids grow with time; give every item one in publishing order. Items with a fixed
    id (the removed article the server answers with a soft 404) keep theirs."""
    items = sorted((it for col in c.COLUMNS for it in col.items), key=lambda it: (it.day, it.title))
    fixed = {it.doc_id for it in items if it.doc_id} | {4521}
    n = 0
    for it in items:
        if it.doc_id:
            continue
        while 3100 + n * 17 in fixed:
            n += 1
        it.doc_id = 3100 + n * 17
        n += 1


# ---- page chrome ------------------------------------------------------------------------------

NAV = [
    ("首页", "/"), ("政务公开", "/zwgk/index.html"), ("新闻动态", "/xwdt/index.html"),
    ("通知公告", "/tzgg/index.html"), ("政策文件", "/zcwj/index.html"), ("人事信息", "/rsxx/index.html"),
    ("规划计划", "/ghjh/index.html"), ("办事服务", "/bsfw/index.html"), ("互动交流", "/hdjl/index.html"),
]


def metas(pairs: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f'<meta name="{n}" content="{escape(v)}">' for n, v in pairs)


def site_metas(code: str = c.SITE_ID_FOOTER) -> list[tuple[str, str]]:
    return [("SiteName", c.SITE_NAME), ("SiteDomain", c.SITE_DOMAIN), ("SiteIDCode", code)]


def header(home: bool) -> str:
    wza = '<a href="javascript:void(0)" id="wza">无障碍</a> ' if home else ""
    nav = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in NAV)
    return f"""<div class="topbar"><div class="w"><span class="today">今天是：{cn_date(AS_OF)} 星期{WEEKDAYS[AS_OF.weekday()]}</span>
<span class="tools">{wza}<a href="/ghb/index.html">关怀版</a></span></div></div>
<div class="header"><div class="w"><a href="/" class="logo"><img src="/images/logo.png" alt="县徽" width="60" height="60"><span class="sitename">{c.SITE_NAME}</span></a>
<form class="search" action="/search/index.html" method="get" role="search"><label for="q">站内搜索</label><input id="q" name="q" type="text"><button type="submit">搜索</button></form></div></div>
<ul class="nav">{nav}</ul>"""


def footer(home: bool, extra: str = "") -> str:
    admin = ' | <a href="/admin/login.html">网站管理</a>' if home else ""
    return f"""<div class="footer"><div class="w">
<p class="flinks"><a href="/about/lxwm.html">联系我们</a> | <a href="/about/wzdt.html">网站地图</a> | <a href="/wzzc/index.html">我为政府网站找错</a>{admin}</p>
<p>主办单位：青山县人民政府办公室　承办单位：青山县融媒体中心</p>
<p>联系方式：0797-6321000　地址：云岭市青山县政府大道1号　邮编：341900</p>
<p>网站标识码：{c.SITE_ID_FOOTER}　<a href="{c.ICP_URL}" target="_blank" rel="noopener">{c.ICP}</a>　<a href="{escape(c.POLICE_URL)}" target="_blank" rel="noopener"><img src="/images/gongan.png" alt="公安备案图标" width="16" height="16">赣公网安备 {c.POLICE_CODE}号</a></p>
<p class="copy">Copyright © 2008-2026 {c.SITE_NAME} 版权所有</p>
<a class="conac" href="{escape(c.CONAC_URL)}" target="_blank" rel="noopener"><img src="/images/conac_red.png" alt="党政机关" width="48" height="58"></a>{extra}
</div></div>"""


def page(title: str, body: str, meta_pairs: list[tuple[str, str]], *, home: bool = False,
         lang: bool = True, extra_head: str = "", footer_extra: str = "") -> str:
    full_title = title if home else f"{title}_{c.SITE_NAME}"
    lang_attr = ' lang="zh-CN"' if lang else ""
    return f"""<!DOCTYPE html>
<html{lang_attr}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(full_title)}</title>
{metas(meta_pairs)}
<link rel="stylesheet" href="/css/style.css">{extra_head}
</head>
<body>
{header(home)}
<div class="main w">
{body}
</div>
{footer(home, footer_extra)}
<script src="/js/common.js"></script>
</body>
</html>
"""


def crumb(*parts: tuple[str, str | None]) -> str:
    out = ['<a href="/">首页</a>']
    for name, href in parts:
        out.append(f'<a href="{href}">{escape(name)}</a>' if href else f"<span>{escape(name)}</span>")
    return '<div class="crumb">当前位置：' + " &gt; ".join(out) + "</div>"


def li(href: str, title: str, when: str | None) -> str:
    span = f'<span class="date">{when}</span>' if when is not None else ""
    return f'<li><a href="{href}" title="{escape(title)}" target="_blank">{escape(title)}</a>{span}</li>'


# ---- columns ----------------------------------------------------------------------------------

NEWS_GROUP = [c.XWDT, c.BMDT, c.XZDT]
OPEN_GROUP = [c.TZGG, c.ZCWJ, c.ZCJD, c.RSXX, c.GHJH, c.TJSJ]


def sidebar(col: Column) -> str:
    group, name = (NEWS_GROUP, "新闻动态") if col in NEWS_GROUP else (OPEN_GROUP, "政务公开")
    links = "".join(f'<li><a href="/{g.slug}/index.html">{g.name}</a></li>' for g in group)
    extra = ""
    if col is c.ZCWJ:  # an old sidebar link to a report that no longer exists
        extra = f'<h2>信息公开年报</h2><ul class="sidenav"><li><a href="/zwgk/xxgknb/2025.html">2025年度报告</a></li><li><a href="{SHARED_404}">2019年度报告</a></li></ul>'
    return f'<div class="side"><h2>{name}</h2><ul class="sidenav">{links}</ul>{extra}</div>'


def column_metas(col: Column) -> list[tuple[str, str]]:
    return site_metas() + [("ColumnName", col.name), ("ColumnDescription", col.description),
                           ("ColumnKeywords", col.name), ("ColumnType", col.column_type)]


def pagination(col: Column, n: int, pages: int, total: int) -> str:
    if pages <= 1:
        return f'<div class="pagination">共{total}条</div>'

    def rel(i: int) -> str:
        return "index.html" if i == 0 else f"index_{i}.html"

    parts = [f"共{total}条 共{pages}页"]
    parts.append(f'<a href="{rel(0)}">首页</a>' if n else "<span>首页</span>")
    parts.append(f'<a href="{rel(n - 1)}">上一页</a>' if n else "<span>上一页</span>")
    for i in range(pages):
        parts.append(f"<span class='cur'>{i + 1}</span>" if i == n else f'<a href="{rel(i)}">{i + 1}</a>')
    parts.append(f'<a href="{rel(n + 1)}">下一页</a>' if n < pages - 1 else "<span>下一页</span>")
    parts.append(f'<a href="{rel(pages - 1)}">尾页</a>' if n < pages - 1 else "<span>尾页</span>")
    return '<div class="pagination">' + " ".join(parts) + "</div>"


def column_pages(col: Column, out: dict[str, str]) -> None:
    items = col.items
    pages = max(1, -(-len(items) // col.per_page))
    for n in range(pages):
        chunk = items[n * col.per_page:(n + 1) * col.per_page]
        if chunk:
            rows = "\n".join(
                li(f"./{it.day:%Y%m}/t{it.day:%Y%m%d}_{it.doc_id}.html", it.title,
                   it.day.strftime(col.date_fmt) if col.date_fmt else None)
                for it in chunk)
            listing = f'<div class="list-box"><ul class="list">\n{rows}\n</ul></div>'
        else:
            listing = '<div class="list-box"><p class="nodata">暂无信息</p></div>'
        extra_head = ""
        notice = ""
        if col is c.XWDT and n == 0:
            extra_head = f'\n<script src="{OLD_SCRIPT}"></script>'
        if col is c.TZGG and n == 0:
            extra_head = f'\n<link rel="stylesheet" href="{OLD_CSS}">'
            # Planted: light grey on white, about 1.7:1 (WCAG 1.4.3 asks 4.5:1).
            notice = ('<p class="tips" style="color:#cccccc;background-color:#ffffff">温馨提示：本栏目发布的公示信息，'
                      "如有异议，请在公示期内以书面形式向发布单位反映。</p>")
        body = (crumb((col.name, None)) + sidebar(col)
                + f'<div class="colmain"><h1 class="coltitle">{col.name}</h1>{notice}\n{listing}\n'
                + pagination(col, n, pages, len(items)) + "</div>")
        out[list_path(col, n)] = page(col.name, body, column_metas(col), lang=col is not c.GHJH,
                                      extra_head=extra_head)
    for it in items:
        if "soft404" not in it.flags:
            out[article_path(col, it)] = article(col, it)


def article(col: Column, it: Item) -> str:
    number = next((f[len("number:"):] for f in it.flags if f.startswith("number:")), "")
    source = it.source or col.source
    pairs = site_metas() + [("ColumnName", col.name), ("ColumnType", col.column_type),
                            ("ArticleTitle", it.title)]
    if "no-pubdate" not in it.flags:
        pairs.append(("PubDate", pub_time(it)))
    if "no-source" not in it.flags:
        pairs.append(("ContentSource", source))
    pairs.append(("Keywords", col.name))

    docmeta = ""
    if number:
        docmeta = (f'<table class="docmeta"><tr><th>文号</th><td>{number}</td><th>发布机构</th><td>{c.SITE_NAME}</td></tr>'
                   f"<tr><th>成文日期</th><td>{cn_date(it.day)}</td><th>发布日期</th><td>{cn_date(it.day)}</td></tr></table>")
    paras = [it.lead]
    if col.ctype == "news":
        paras.append("下一步，相关单位将进一步压实责任、细化措施，推动各项工作任务落地见效。")
    elif col.ctype in ("notice", "policy") and col is not c.ZCJD:
        paras.insert(0, "各乡镇人民政府，县政府各部门：")
        paras.append("特此通知。")
    elif col.ctype == "plan":
        paras.append("全文详见附件。")
    body_html = "".join(f"<p>{escape(p)}</p>" for p in paras)
    if "img-noalt" in it.flags:  # planted: a news photo with no alt text
        body_html += '<p class="pic"><img src="/xwdt/images/tp_20261118.png" width="600" height="360"></p>'
    attach = ""
    if "doc-404" in it.flags:
        attach = '<a href="./P020261027391204718365.docx">农村集体经济组织年报表.docx</a>'
    elif "pdf-404" in it.flags:
        attach = '<a href="./P020260115512307654321.pdf">青山县2026年国民经济和社会发展计划（全文）.pdf</a>'
    elif "pdf-ok" in it.flags:
        attach = '<a href="./P020260114300112233445.pdf">青山县城区停车管理办法.pdf</a>'
    elif "head405" in it.flags:
        attach = f'<a href="{HEAD_405}">青山县2026年优化营商环境工作方案.pdf</a>'
    if attach:
        body_html += f'<p class="fj">附件：{attach}</p>'
    if col.ctype in ("notice", "policy", "personnel") and col is not c.ZCJD:
        body_html += f'<p class="sign">{escape(source)}<br>{cn_date(it.day)}</p>'
    body = (crumb((col.name, "../index.html"), ("正文", None))
            + f'<div class="article"><h1>{escape(it.title)}</h1>{docmeta}'
            + f'<div class="info"><span>发布时间：{pub_time(it)}</span><span>来源：{escape(source)}</span></div>'
            + f'<div class="content">{body_html}</div></div>')
    return page(it.title, body, pairs)


# ---- home and hub pages -----------------------------------------------------------------------


def home_block(col: Column, count: int) -> str:
    rows = "\n".join(
        li(article_path(col, it), it.title, it.day.strftime(col.date_fmt) if col.date_fmt else None)
        for it in col.items[:count])
    return (f'<div class="block"><div class="bhead"><h2>{col.name}</h2><a class="more" href="/{col.slug}/index.html">更多</a></div>'
            f'<ul class="list">\n{rows}\n</ul></div>')


def home() -> str:
    top = c.XWDT.items[0]
    body = f"""<div class="focus">
<div class="slide"><a href="{DEAD_ARTICLE}"><img src="{MISSING_BANNER}" alt="青山县2026年秋季茶叶产销对接会" width="600" height="300"><span>青山县2026年秋季茶叶产销对接会</span></a></div>
<div class="slide"><a href="{article_path(c.XWDT, top)}"><img src="/images/focus_01.png" alt="{escape(top.title)}" width="600" height="300"><span>{escape(top.title)}</span></a></div>
</div>
{home_block(c.XWDT, 7)}
{home_block(c.TZGG, 6)}
{home_block(c.ZCWJ, 5)}
{home_block(c.BMDT, 5)}
{home_block(c.ZCJD, 4)}
<div class="block"><div class="bhead"><h2>互动交流</h2><a class="more" href="/hdjl/index.html">更多</a></div>
<ul class="entries"><li><a href="/hdjl/xzxx/index.html">县长信箱</a></li><li><a href="/hdjl/zxft/index.html">在线访谈</a></li><li><a href="/hdjl/dczj/index.html">调查征集</a></li></ul></div>
<div class="block"><div class="bhead"><h2>政务公开</h2><a class="more" href="/zwgk/index.html">更多</a></div>
<ul class="entries">
<li><a href="/zwgk/xxgkzn.html">政府信息公开指南</a></li>
<li><a href="/zwgk/xxgknb/2025.html">2025年政府信息公开年报</a></li>
<li><a href="{SHARED_404}">2019年政府信息公开年报</a></li>
<li><a href="{MOVED_301}">信息公开目录</a></li>
<li><a href="/tjsj/index.html">统计数据</a></li>
<li><a href="/rsxx/index.html">人事信息</a></li>
</ul></div>
<div class="block"><div class="bhead"><h2>走进青山</h2></div>
<ul class="entries"><li><a href="/gbk/index.html">县情概况（旧版）</a></li><li><a href="{DEAD_DOMAIN}">旧版网站</a></li></ul></div>
<div class="block"><div class="bhead"><h2>友情链接</h2></div>
<ul class="entries">{"".join(f'<li><a href="{href}" target="_blank">{name}</a></li>' for name, href in PARTNERS)}</ul></div>
<p class="util"><a href="" class="sethome">设为首页</a> <a href="#" class="gotop">返回顶部</a></p>"""
    return page(c.SITE_NAME, body, site_metas(c.SITE_ID_HOME_META), home=True)


def simple(title: str, inner: str, parents: tuple[tuple[str, str | None], ...] = (), footer_extra: str = "") -> str:
    body = crumb(*parents, (title, None)) + f'<div class="article"><h1>{escape(title)}</h1>{inner}</div>'
    return page(title, body, site_metas(), footer_extra=footer_extra)


# Planted 暗链: a block no visitor sees, as injected into a page's footer by whoever got in.
SPAM_BLOCK = f'\n<div style="display:none"><a href="{SPAM_URL}" target="_blank">{SPAM_TEXT}</a></div>'


def hub_pages(out: dict[str, str]) -> None:
    out["/zwgk/index.html"] = simple("政务公开", f"""<ul class="entries">
<li><a href="/zwgk/xxgkzn.html">政府信息公开指南</a></li>
<li><a href="/zwgk/jgzn/index.html">机构职能</a></li>
<li><a href="{GONE_410}">机构职能（2018年版）</a></li>
<li><a href="/tzgg/index.html">通知公告</a></li>
<li><a href="/zcwj/index.html">政策文件</a></li>
<li><a href="/zcjd/index.html">政策解读</a></li>
<li><a href="/rsxx/index.html">人事信息</a></li>
<li><a href="/ghjh/index.html">规划计划</a></li>
<li><a href="/tjsj/index.html">统计数据</a></li>
<li><a href="/zwgk/xxgknb/2025.html">2025年政府信息公开年报</a></li>
<li><a href="{SHARED_404}">2019年政府信息公开年报</a></li>
<li><a href="{LOOP}">2025年重点工作专题</a></li>
</ul>""")
    out["/zwgk/xxgkzn.html"] = simple("青山县人民政府信息公开指南", """<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>
<p>一、主动公开：县人民政府主动公开的政府信息，通过本网站、政府公报和政务新媒体等渠道发布。</p>
<p>二、依申请公开：公民、法人或者其他组织可以通过信函、当面提交或网上申请的方式提出申请。受理机构：青山县人民政府办公室，地址：青山县政府大道1号，电话：0797-6321000。</p>""", (("政务公开", "/zwgk/index.html"),))
    out[SPAM_PAGE] = simple("青山县人民政府2025年政府信息公开工作年度报告", """<p>本报告根据《中华人民共和国政府信息公开条例》要求编制，数据统计期限为2025年1月1日至12月31日。</p>
<p>2025年，县人民政府共主动公开政府信息2316条，受理政府信息公开申请47件，均在法定期限内答复。</p>""", (("政务公开", "/zwgk/index.html"),),
        footer_extra=SPAM_BLOCK)
    out["/zwgk/jgzn/index.html"] = simple("机构职能", """<p>青山县人民政府是县级国家行政机关，执行县人民代表大会及其常务委员会的决议，领导所属各工作部门和各乡镇人民政府的工作。</p>
<p>县人民政府设工作部门24个，辖4个镇、6个乡。</p>""", (("政务公开", "/zwgk/index.html"),))
    out[SITEMAP_ONLY] = simple("青山县政府信息公开工作制度", """<p>第一条　为规范本县政府信息公开工作，制定本制度。</p>
<p>第二条　县人民政府办公室是本县政府信息公开工作的主管部门。</p>
<p>第三条　本制度自发布之日起施行。</p>""", (("政务公开", "/zwgk/index.html"),))

    out["/about/lxwm.html"] = simple("联系我们", """<p>地址：云岭市青山县政府大道1号　邮编：341900</p>
<p>电话：<a href="tel:0797-6321000">0797-6321000</a></p>
<p>电子邮箱：<a href="mailto:qsxzfb@qingshan.gov.cn">qsxzfb@qingshan.gov.cn</a></p>""")
    groups = "".join(f'<li><a href="/{col.slug}/index.html">{col.name}</a></li>' for col in c.COLUMNS)
    out["/about/wzdt.html"] = simple("网站地图", f"""<h2>栏目</h2><ul class="entries">{groups}</ul>
<h2>互动交流</h2><ul class="entries"><li><a href="/hdjl/xzxx/index.html">县长信箱</a></li><li><a href="/hdjl/zxft/index.html">在线访谈</a></li><li><a href="/hdjl/dczj/index.html">调查征集</a></li></ul>
<h2>办事服务</h2><ul class="entries"><li><a href="/bsfw/index.html">办事指南</a></li></ul>""")
    out["/wzzc/index.html"] = simple("我为政府网站找错", """<form action="/wzzc/submit.html" method="get">
<p><label for="cw_url">错误页面地址</label><input id="cw_url" name="url" type="text"></p>
<p><label for="cw_desc">问题描述</label><textarea id="cw_desc" name="desc" rows="4" cols="50"></textarea></p>
<p><button type="submit">提交</button></p></form>""")
    out["/wzzc/submit.html"] = simple("提交成功", "<p>感谢您的反馈，我们将尽快核实处理。</p>", (("我为政府网站找错", "/wzzc/index.html"),))
    out["/search/index.html"] = simple("站内搜索", """<p>请输入关键词进行搜索。</p>
<form action="/search/index.html" method="get"><p><label for="q2">关键词</label><input id="q2" name="q" type="text"><button type="submit">搜索</button></p></form>""")
    big = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in NAV[1:])
    out["/ghb/index.html"] = page("关怀版", f'<div class="ghb"><h1>青山县人民政府（关怀版）</h1><ul class="entries">{big}</ul><p><a href="/">返回标准版</a></p></div>',
                                  site_metas(), extra_head='\n<style>.ghb{font-size:24px;line-height:2}</style>')
    out["/admin/login.html"] = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>内容管理系统登录</title><meta name="robots" content="noindex"></head>
<body><form action="/admin/login.html" method="post"><p><label for="u">用户名</label><input id="u" name="u" type="text"></p>
<p><label for="p">密码</label><input id="p" name="p" type="password"></p><p><button type="submit">登录</button></p></form></body></html>
"""
    guides = "".join(f'<li><a href="/bsfw/{slug}.html">{name}</a></li>' for slug, name, _ in c.GUIDES)
    out["/bsfw/index.html"] = simple("办事服务", f'<h2>办事指南</h2><ul class="entries">{guides}</ul>')
    for slug, name, elements in c.GUIDES:
        rows = "".join(f"<tr><th>{e}</th><td>{guide_value(e, name)}</td></tr>" for e in elements)
        out[f"/bsfw/{slug}.html"] = simple(f"{name}办事指南", f'<table class="guide">{rows}</table>',
                                           (("办事服务", "/bsfw/index.html"),))


def guide_value(element: str, name: str) -> str:
    return {
        "事项名称": name,
        "设定依据": "相关法律法规及省、市有关规定",
        "申请条件": "符合条件的本县户籍居民或常住人口",
        "办理材料": "居民身份证、户口簿及相关证明材料",
        "办理地点": "青山县政务服务中心一楼综合窗口",
        "办理时间": "工作日上午8:30—12:00，下午14:30—17:30",
        "联系电话": "0797-6321100",
        "办理流程": "申请—受理—审核—办结",
    }[element]


# ---- interaction ------------------------------------------------------------------------------


def hdjl_pages(out: dict[str, str]) -> None:
    out["/hdjl/index.html"] = simple("互动交流", f"""<ul class="entries">
<li><a href="/hdjl/xzxx/index.html">县长信箱</a></li>
<li><a href="/hdjl/zxft/index.html">在线访谈</a></li>
<li><a href="/hdjl/dczj/index.html">调查征集</a></li>
<li><a href="{REFUSED}">网上信访（旧系统）</a></li>
</ul>""")
    board_pages(out)
    dated_list(out, "/hdjl/zxft", "在线访谈", [(day, title, f"ft_{day:%Y%m%d}.html") for day, title, _ in c.INTERVIEWS])
    for day, title, summary in c.INTERVIEWS:
        out[f"/hdjl/zxft/ft_{day:%Y%m%d}.html"] = simple(title, f"""<p class="info">访谈时间：{cn_date(day)} 9:30　主持人：青山县融媒体中心</p>
<p>{escape(summary)}</p><p>本期访谈文字实录已整理发布，欢迎网友继续通过县长信箱留言咨询。</p>""",
                                                         (("互动交流", "/hdjl/index.html"), ("在线访谈", "/hdjl/zxft/index.html")))
    dated_list(out, "/hdjl/dczj", "调查征集", [(day, title, f"dc_{day:%Y%m%d}.html") for day, title, _ in c.SURVEYS])
    for day, title, state in c.SURVEYS:
        parents = (("互动交流", "/hdjl/index.html"), ("调查征集", "/hdjl/dczj/index.html"))
        head = f'<p class="info">发布时间：{day:%Y-%m-%d}　状态：{"征集中" if state == "open" else "已结束"}</p>'
        if state == "open":  # planted: the suggestion box has no label
            inner = head + """<p>为办好2027年民生实事，现公开征集项目建议，欢迎社会各界积极参与。</p>
<form action="/hdjl/dczj/thanks.html" method="get">
<fieldset><legend>建议领域</legend><label><input type="radio" name="ly" value="jy"> 教育</label> <label><input type="radio" name="ly" value="yl"> 医疗</label> <label><input type="radio" name="ly" value="jt"> 交通</label></fieldset>
<p>您的建议：<input type="text" name="jy" size="60"></p>
<p><button type="submit">提交</button></p></form>"""
        elif state == "closed-500":
            inner = head + f'<p>征求意见已结束，共收到意见建议36条。</p><p><a href="{SERVER_500}">查看调查结果</a></p>'
        else:
            inner = head + "<p>本次调查已结束，感谢您的参与。</p>"
        out[f"/hdjl/dczj/dc_{day:%Y%m%d}.html"] = simple(title, inner, parents)
    out["/hdjl/dczj/thanks.html"] = simple("提交成功", "<p>感谢您的参与！</p>", (("调查征集", "/hdjl/dczj/index.html"),))


def dated_list(out: dict[str, str], base: str, name: str, rows: list[tuple[date, str, str]]) -> None:
    items = "\n".join(li(f"./{href}", title, f"{day:%Y-%m-%d}") for day, title, href in rows)
    body = (crumb(("互动交流", "/hdjl/index.html"), (name, None))
            + f'<div class="colmain"><h1 class="coltitle">{name}</h1><div class="list-box"><ul class="list">\n{items}\n</ul></div></div>')
    pairs = site_metas() + [("ColumnName", name), ("ColumnDescription", f"青山县{name}"),
                            ("ColumnKeywords", name), ("ColumnType", "互动交流")]
    out[f"{base}/index.html"] = page(name, body, pairs)


def board_pages(out: dict[str, str]) -> None:
    per_page = 10
    letters = c.LETTERS
    pages = -(-len(letters) // per_page)
    parents = (("互动交流", "/hdjl/index.html"), ("县长信箱", "/hdjl/xzxx/index.html"))
    for n in range(pages):
        rows = []
        for lt in letters[n * per_page:(n + 1) * per_page]:
            rows.append(f'<tr><td>{lt.code}</td><td><a href="./xj_{lt.code}.html">{escape(lt.title)}</a></td>'
                        f'<td class="asked">{lt.asked[:10]}</td><td class="state">{lt.status}</td>'
                        f'<td class="replied">{lt.replied[:10] if lt.replied else "-"}</td></tr>')
        pager = " ".join(
            f"<span class='cur'>{i + 1}</span>" if i == n else f'<a href="{"index.html" if i == 0 else f"index_{i}.html"}">{i + 1}</a>'
            for i in range(pages))
        body = (crumb(("互动交流", "/hdjl/index.html"), ("县长信箱", None))
                + '<div class="colmain"><h1 class="coltitle">县长信箱</h1><p><a href="/hdjl/xzxx/write.html">我要写信</a></p>'
                + '<table class="xjlist"><tr><th>信件编号</th><th>留言标题</th><th>留言时间</th><th>办理状态</th><th>答复时间</th></tr>'
                + "\n".join(rows) + f'</table><div class="pagination">共{len(letters)}条 {pager}</div></div>')
        pairs = site_metas() + [("ColumnName", "县长信箱"), ("ColumnDescription", "县长信箱来信及答复"),
                                ("ColumnKeywords", "县长信箱"), ("ColumnType", "互动交流")]
        out["/hdjl/xzxx/index.html" if n == 0 else f"/hdjl/xzxx/index_{n}.html"] = page("县长信箱", body, pairs)
    for lt in letters:
        if lt.replied:
            reply = f"<tr><th>答复单位</th><td>{lt.unit}</td></tr><tr><th>答复时间</th><td>{lt.replied}</td></tr><tr><th>答复内容</th><td>{escape(lt.reply)}</td></tr>"
        elif lt.unit:
            reply = f"<tr><th>答复单位</th><td>{lt.unit}</td></tr><tr><th>答复时间</th><td>-</td></tr><tr><th>答复内容</th><td>您的来信正在办理中，请耐心等待。</td></tr>"
        else:
            reply = "<tr><th>答复单位</th><td>-</td></tr><tr><th>答复时间</th><td>-</td></tr><tr><th>答复内容</th><td>暂无答复</td></tr>"
        table = (f'<table class="xjdetail"><tr><th>信件编号</th><td>{lt.code}</td></tr>'
                 f"<tr><th>留言标题</th><td>{escape(lt.title)}</td></tr><tr><th>留言时间</th><td>{lt.asked}</td></tr>"
                 f"<tr><th>留言内容</th><td>{escape(lt.body)}</td></tr><tr><th>办理状态</th><td>{lt.status}</td></tr>{reply}</table>")
        out[f"/hdjl/xzxx/xj_{lt.code}.html"] = simple(lt.title, table, parents)
    out["/hdjl/xzxx/write.html"] = simple("我要写信", """<form action="/hdjl/xzxx/write.html" method="get">
<p><label for="xm">姓名</label><input id="xm" name="xm" type="text"></p>
<p><label for="bt">标题</label><input id="bt" name="bt" type="text"></p>
<p><label for="nr">内容</label><textarea id="nr" name="nr" rows="6" cols="50"></textarea></p>
<p><button type="submit">提交</button></p></form>""", parents)


# ---- the legacy GBK section -------------------------------------------------------------------


def gbk_page(title: str, inner: str, meta: str) -> bytes:
    html = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="zh-CN">
<head>
{meta}
<title>{title}_{c.SITE_NAME}</title>
{metas(site_metas())}
</head>
<body>
<table width="960" align="center" border="0" cellpadding="0" cellspacing="0">
<tr><td class="top">{c.SITE_NAME} · 走进青山</td></tr>
<tr><td><a href="/gbk/index.html">走进青山</a> | <a href="/">返回首页</a></td></tr>
<tr><td><h1>{title}</h1>{inner}</td></tr>
<tr><td>主办单位：青山县人民政府办公室　网站标识码：{c.SITE_ID_FOOTER}</td></tr>
</table>
</body>
</html>
"""
    return html.encode("gbk")


HTTP_EQUIV_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def gbk_files() -> dict[str, bytes]:
    return {
        "gbk/index.html": gbk_page("走进青山", f"""<ul>
<li><a href="xqgk.html">县情概况</a></li>
<li><a href="lsyg.html">历史沿革</a></li>
<li><a href="{GBK_POLICY_URL}">政策</a></li>
<li><a href="{GBK_LAW_URL}">法规</a></li>
</ul>""", HTTP_EQUIV_GB2312),
        "gbk/xqgk.html": gbk_page("县情概况", """<p>青山县位于云岭市东南部，总面积1862平方公里，辖4个镇、6个乡，户籍人口38.6万人。</p>
<p>境内青龙山主峰海拔1436米，青龙河自西向东贯穿全境，森林覆盖率达71.2%。</p>""", HTTP_EQUIV_GB2312),
        # Meta only, and a character outside GB2312 (喆): a decoder must use the GBK/GB18030 superset.
        "gbk/lsyg.html": gbk_page("历史沿革", """<p>青山县历史悠久，唐代始置县，明清两代属云岭府。</p>
<p>清代知县李喆主持修建青龙河石堤，至今仍有遗迹留存。1949年后县治设于城关镇。</p>""", HTTP_EQUIV_GB2312),
        "gbk/zhengce.html": gbk_page("政策", """<p>本栏目收录青山县历年发布的重要政策文件目录（2010年以前）。</p>
<p>更多政策文件请访问新版网站“政策文件”栏目。</p>""", '<meta charset="gb2312">'),
        "gbk/fagui.html": gbk_page("法规", """<p>本栏目收录与县域经济社会发展相关的法律法规目录。</p>
<p>镕铸法治，服务发展。</p>""", HTTP_EQUIV_GB2312),
    }


# ---- assets -----------------------------------------------------------------------------------


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b""))


def pdf(text: str) -> bytes:
    """A one-page PDF with valid xref offsets (a real attachment, not just bytes named .pdf)."""
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


CSS = """body{margin:0;font:14px/1.7 "Microsoft YaHei",sans-serif;color:#222;background:#fff}
a{color:#0b4a8b}
.nav a,.list a,.sidenav a,.entries a,.bhead a,.topbar a,.logo,.slide a{text-decoration:none}
.w{width:1100px;margin:0 auto}
.topbar{background:#f2f2f2;color:#333;font-size:12px;line-height:30px}.topbar .tools{float:right}
.topbar .tools a{margin-left:12px;color:#333}
.header{background:#fff;padding:14px 0;overflow:hidden}.logo{float:left}.search{float:right;margin-top:16px}
.logo img{vertical-align:middle}.sitename{margin-left:12px;font-size:30px;font-weight:bold;color:#a8141c;vertical-align:middle}
.nav{list-style:none;margin:0;padding:0 calc(50% - 550px);background:#a8141c;overflow:hidden}
.nav li{float:left}.nav a{display:block;padding:0 22px;line-height:44px;color:#fff;font-size:16px}
.main{overflow:hidden;padding:16px 0}
.block{float:left;width:530px;margin:0 10px 16px 0}.bhead{border-bottom:2px solid #a8141c;overflow:hidden}
.bhead h2{float:left;margin:0;font-size:17px;color:#a8141c}.bhead .more{float:right;color:#595959}
.list{list-style:none;margin:0;padding:0}.list li{border-bottom:1px dashed #ddd;line-height:34px;overflow:hidden}
.list .date{float:right;color:#595959}.nodata{color:#595959;padding:40px 0;text-align:center}
.side{float:left;width:220px}.colmain{float:right;width:850px}.sidenav{list-style:none;padding:0}
.crumb{color:#595959;margin-bottom:10px}.coltitle{font-size:20px;color:#a8141c}
.article h1{text-align:center;font-size:22px}.info{text-align:center;color:#595959}.info span{margin:0 10px}
.content p{text-indent:2em}.sign{text-align:right}.pagination{text-align:center;margin:14px 0}
.pagination a,.pagination span{margin:0 4px}.focus{overflow:hidden;margin-bottom:16px}
.slide{float:left;width:540px;margin-right:10px}.slide img{display:block;width:540px;height:270px}.slide span{display:block;padding:6px 0}
.util{clear:both;text-align:right}
table.xjlist,table.xjdetail,table.docmeta,table.guide{border-collapse:collapse;width:100%}
table th,table td{border:1px solid #ccc;padding:6px}
.footer{background:#7a1014;color:#fff;padding:16px 0;text-align:center;font-size:13px}.footer a{color:#fff}
.conac{display:inline-block;margin-top:6px}
"""

JS = """// Small page helpers: back-to-top and the font-size switch seen on most county portals.
(function () {
  var top = document.querySelector('.gotop');
  if (top) { top.addEventListener('click', function (e) { e.preventDefault(); window.scrollTo(0, 0); }); }
  var wza = document.getElementById('wza');
  if (wza) { wza.addEventListener('click', function () { document.body.style.fontSize = '18px'; }); }
})();
"""


def search_files() -> dict[str, str]:
    """What the server's site search reads: every live article (title, path, date) newest first, and
    the results page with {{query}}, {{count}} and {{results}} slots the server fills per request."""
    assign_doc_ids()  # article paths carry the document ids
    index = [{"title": it.title, "url": article_path(col, it), "date": f"{it.day:%Y-%m-%d}", "column": col.name}
             for col in c.COLUMNS for it in col.items if "soft404" not in it.flags]
    index.sort(key=lambda a: (a["date"], a["url"]), reverse=True)
    body = (crumb(("站内搜索", SEARCH_PATH), ("搜索结果", None))
            + '<div class="colmain search-result"><h1 class="coltitle">搜索结果</h1>'
            + f'<form action="{SEARCH_PATH}" method="get"><p><label for="q2">关键词</label>'
            + '<input id="q2" name="q" type="text" value="{{query}}"><button type="submit">搜索</button></p></form>'
            + '<p class="summary">搜索“<em>{{query}}</em>”，共找到{{count}}条结果</p>\n{{results}}</div>')
    template = page("搜索结果", body, site_metas() + [("robots", "noindex")])
    rows = ",\n".join(json.dumps(a, ensure_ascii=False) for a in index)  # one article a line: readable diffs
    return {SEARCH_INDEX: f"[\n{rows}\n]\n", SEARCH_TEMPLATE: template}


def sitemap(paths: list[str]) -> str:
    rows = "\n".join(f"  <url><loc>__BASE__{p}</loc></url>" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}\n</urlset>\n")


def build() -> dict[str, str]:
    assign_doc_ids()
    pages: dict[str, str] = {"/": home()}
    for col in c.COLUMNS:
        column_pages(col, pages)
    hub_pages(pages)
    hdjl_pages(pages)
    return pages


def write(site: Path = SITE) -> None:
    if site.exists():
        shutil.rmtree(site)
    pages = build()
    for path, html in pages.items():
        rel = "index.html" if path == "/" else path.lstrip("/")
        dest = site / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(html, encoding="utf-8")
    for rel, text in search_files().items():  # not pages: the server hides them and reads them
        (site / rel).write_text(text, encoding="utf-8")
    for rel, data in gbk_files().items():
        dest = site / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    assets = {
        "css/style.css": CSS.encode(), "js/common.js": JS.encode(),
        "images/logo.png": png(60, 60, (168, 20, 28)), "images/conac_red.png": png(48, 58, (200, 16, 30)),
        "images/gongan.png": png(16, 16, (30, 80, 160)), "images/focus_01.png": png(600, 300, (60, 120, 90)),
        "xwdt/images/tp_20261118.png": png(600, 360, (90, 110, 70)),
        "zcwj/202601/P020260114300112233445.pdf": pdf("Qingshan County parking rules (demo)"),
        "robots.txt": b"User-agent: *\nDisallow: /admin/\n\nSitemap: __BASE__/sitemap.xml\n",
    }
    for rel, data in assets.items():
        dest = site / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    listed = sorted(p for p in pages if not p.startswith("/admin/"))
    listed += ["/gbk/index.html", "/gbk/xqgk.html", "/gbk/lsyg.html", GBK_POLICY_URL, GBK_LAW_URL]
    (site / "sitemap.xml").write_text(sitemap(listed), encoding="utf-8")


if __name__ == "__main__":
    write()
    total = sum(f.stat().st_size for f in SITE.rglob("*") if f.is_file())
    print(f"wrote {sum(1 for f in SITE.rglob('*') if f.is_file())} files, {total} bytes under {SITE}")
