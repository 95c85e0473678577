"""HTML builders for the identity tests: a Chinese county portal's pages with every mark in place,
so each test removes exactly one thing and watches its rule fire."""

from __future__ import annotations

CODE = "3611230001"
FOOTER_PARTS = {
    "contact": '<p>联系方式：0797-6321000　地址：云岭市青山县政府大道1号</p>',
    "sponsor": "<p>主办单位：青山县人民政府办公室　承办单位：青山县融媒体中心</p>",
    "site_id": f"<span>网站标识码：{CODE}</span>",
    "icp": '<a href="https://beian.miit.gov.cn/" target="_blank">赣ICP备20260001号-1</a>',
    "police": ('<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=36112302000101">'
               '赣公网安备 36112302000101号</a>'),
    "conac": ('<a class="conac" href="https://bszs.conac.cn/sitename?method=show&amp;id=5B8E"><img '
              'src="/images/red.png" alt="党政机关"></a>'),
    "error_report": '<a href="/wzzc/index.html">我为政府网站找错</a>',
}
SEARCH_FORM = ('<form class="search" action="/search" method="get" role="search"><input name="q" type="text">'
               '<button type="submit">搜索</button></form>')
SITE_META = {"SiteName": "青山县人民政府", "SiteDomain": "www.qingshan.gov.cn", "SiteIDCode": CODE}


def footer(without: tuple[str, ...] = (), replace: dict[str, str] | None = None) -> str:
    parts = dict(FOOTER_PARTS, **(replace or {}))
    return '<div class="footer">' + "".join(v for k, v in parts.items() if k not in without) + "</div>"


def cn_page(title: str, meta: dict[str, str], body: str, *, foot: str | None = None, search: bool = True,
            head_extra: str = "") -> str:
    metas = "".join(f'<meta name="{k}" content="{v}">' for k, v in meta.items())
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{metas}'
            f'{head_extra}</head><body><div class="header">{SEARCH_FORM if search else ""}</div>'
            f'<div class="main">{body}</div>{footer() if foot is None else foot}</body></html>')


def home(body: str = "", **kw: object) -> str:
    links = ('<ul class="list"><li><a href="/xwdt/index.html">要闻动态</a></li>'
             '<li><a href="/xwdt/202611/t20261118_4341.html">青山县召开冬季森林防火工作部署会</a></li></ul>')
    return cn_page("青山县人民政府", SITE_META, links + body, **kw)  # type: ignore[arg-type]


def column(meta: dict[str, str] | None = None, **kw: object) -> str:
    items = "".join(f'<li><a href="./202611/t202611{d:02d}_{4000 + d}.html">县里的第{d}条动态</a>'
                    f'<span>2026-11-{d:02d}</span></li>' for d in range(1, 7))
    m = dict(SITE_META, ColumnName="要闻动态", ColumnType="政务动态") if meta is None else meta
    return cn_page("要闻动态_青山县人民政府", m, f'<ul class="list">{items}</ul>', **kw)  # type: ignore[arg-type]


def article(meta: dict[str, str] | None = None, **kw: object) -> str:
    m = dict(SITE_META, ColumnName="要闻动态", ArticleTitle="青山县召开冬季森林防火工作部署会",
             PubDate="2026-11-18 09:30", ContentSource="青山县融媒体中心") if meta is None else meta
    body = ('<h1>青山县召开冬季森林防火工作部署会</h1><p>发布时间：2026-11-18 来源：青山县融媒体中心</p>'
            '<p>' + "会议要求各乡镇压实责任，做好冬季森林防火各项工作。" * 12 + '</p>')
    return cn_page("青山县召开冬季森林防火工作部署会_青山县人民政府", m, body, **kw)  # type: ignore[arg-type]
