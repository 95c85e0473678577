"""Firewall block pages and challenges as real ones look (trimmed, identifiers changed), and the
ordinary refusals of sites behind the same products that must never be taken for a wall."""

from __future__ import annotations

from tests.support.server import Reply

SAFEDOG_BLOCK = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>网站防火墙</title>'
    '<style>body{font-size:14px}</style></head><body><div id="wrap"><div class="logo">'
    '<img src="http://404.safedog.cn/images/safedogsite/broswer_logo.jpg" alt=""></div>'
    '<div class="msg"><h3>您的请求带有不合法参数，已被网站管理员设置拦截！</h3>'
    '<p>可能原因：您提交的内容包含危险的攻击请求</p><p>如何解决：</p><ul><li>1）检查提交内容；</li>'
    '<li>2）如网站托管，请联系空间提供商；</li><li>3）普通网站访客，请联系网站管理员；</li></ul></div>'
    '<a href="/never-follow-safedog.html">网站防火墙</a></div></body></html>')
# SafeDog also styles a site's missing pages: a real 404, never a wall.
SAFEDOG_404 = (
    '<html><head><meta charset="utf-8"><title>404-对不起！您访问的页面不存在</title></head><body>'
    '<div class="box"><img src="http://404.safedog.cn/images/safedogsite/head.png" alt="">'
    '<p>对不起！您访问的页面不存在</p><a href="/">返回首页</a></div>'
    '<script src="http://404.safedog.cn/sitedog_stat.html"></script></body></html>')
ALIYUN_405 = (
    '<!doctype html><html><head><meta charset="utf-8"><title>405</title></head><body>'
    '<div id="block_message"><h2>很抱歉，由于您访问的URL有可能对网站造成安全威胁，您的访问被阻断。</h2>'
    '<p>您的请求ID是：<span id="traceid">0bc1d3a517000000000000000e</span></p></div>'
    '<img src="https://errors.aliyun.com/images/TB1TpamHpXXXXaJXXXXeB7nYVXX-104-162.png" alt="">'
    '</body></html>')
RUISHU_412 = (
    '<html><head><meta content="{qqqqAbCdEf}" r=\'m\'><meta http-equiv="Content-Type" content="text/html; '
    'charset=utf-8"><script type="text/javascript" r=\'m\'>$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};'
    '$_ts.nsd=40217;$_ts.cd="qEzDrrAlWk7qtGqjqpq5tGQ9ck7q";</script><script type="text/javascript" '
    'charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r=\'m\'></script></head><body>'
    '<script type="text/javascript" r=\'m\'>_$kk();</script></body></html>')
JIASULE_521 = ('<html><body><script>document.cookie=("_"+"_jsl_clearance_s=1700000000.1|0|abc%3D");'
               'location.href=location.pathname+location.search</script></body></html>')
CLOUDFLARE = ('<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>'
              '<div class="main-wrapper"><noscript>Enable JavaScript and cookies to continue</noscript>'
              '<script>window._cf_chl_opt={cvId: "3",cType: "managed",cRay: "8f0c0c0c0c0c0c0c"};'
              'var a=document.createElement("script");a.src="/cdn-cgi/challenge-platform/h/g/orchestrate/'
              'chl_page/v1?ray=8f0c0c0c0c0c0c0c";document.head.appendChild(a);</script></div></body></html>')
TENCENT_403 = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>501 Not Implemented</title></head><body>'
    '<div class="content"><h1>抱歉，您的访问已被拦截</h1><p>当前访问可能对网站安全造成威胁，'
    '已被腾讯云Web应用防火墙拦截。</p><p>事件ID：d5e1a2b3c4</p></div></body></html>')
NGINX_403 = ('<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>'
             '\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')
PORTAL_404 = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在 - 青山县人民政府</title>'
              '</head><body><div class="err"><h1>抱歉，您访问的页面不存在或已删除</h1>'
              '<p><span id="sec">5</span> 秒后返回首页</p><script>var s=5;setInterval(function(){'
              'if(--s<=0){location.href="/";}document.getElementById("sec").innerHTML=s;},1000);</script>'
              '<p>请开启JavaScript以便自动返回</p></div></body></html>')
PORTAL_403 = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>403 禁止访问</title></head><body>'
              '<h1>您无权访问该目录</h1><p>目录浏览已关闭，请从首页进入。</p></body></html>')


def html(body: str, code: int, **headers: str) -> Reply:
    return Reply(status=code, body=body, headers=dict(headers))


# name -> (reply, wall name the fetcher must report); one per product the tests serve.
WALLS: dict[str, tuple[Reply, str]] = {
    "/safedog.html": (html(SAFEDOG_BLOCK, 403, **{"X-Powered-By": "WAF/2.0"}), "SafeDog (安全狗) block page"),
    "/aliyun.html": (html(ALIYUN_405, 405, Server="Tengine"), "Alibaba Cloud WAF (阿里云盾) block page"),
    "/ruishu.html": (html(RUISHU_412, 412, **{"Set-Cookie": "NfBCSins2OywS=60abcdef; path=/; HttpOnly"}),
                     "Rivers Security (瑞数) challenge"),
    "/jsl.html": (html(JIASULE_521, 521, **{"Set-Cookie": "__jsluid_s=0123456789abcdef; path=/; HttpOnly"}),
                  "Jiasule (加速乐) challenge"),
    "/cf.html": (html(CLOUDFLARE, 403, **{"cf-mitigated": "challenge", "Server": "cloudflare",
                                          "CF-RAY": "8f0c0c0c0c0c0c0c-HKG"}), "Cloudflare challenge"),
    "/cf-old.html": (html(CLOUDFLARE, 503, Server="cloudflare"), "Cloudflare challenge"),
    "/tencent.html": (html(TENCENT_403, 403), "Tencent Cloud WAF (腾讯云) block page"),
}

# Ordinary refusals, some from sites behind the same products: never a wall.
ORDINARY: dict[str, Reply] = {
    "/nginx403.html": html(NGINX_403, 403, Server="nginx"),
    "/portal404.html": html(PORTAL_404, 404),
    "/portal403.html": html(PORTAL_403, 403, Server="Microsoft-IIS/7.5", **{"X-Powered-By": "ASP.NET"}),
    "/safedog404.html": html(SAFEDOG_404, 404, Server="Safedog/4.0", **{"Set-Cookie": "safedog-flow-item=1A2B"}),
    "/cf404.html": html(PORTAL_404, 404, Server="cloudflare", **{"CF-RAY": "8f0c0c0c0c0c0c0d-HKG"}),
    "/cf403.html": html(PORTAL_403, 403, Server="cloudflare", **{"CF-RAY": "8f0c0c0c0c0c0c0e-HKG"}),
    "/jsl404.html": html(PORTAL_404, 404, **{"Set-Cookie": "__jsluid_s=fedcba9876543210; path=/"}),
}
