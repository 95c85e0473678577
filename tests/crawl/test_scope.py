"""Site scope: host, www, subdomains, ports, include/exclude regexes, bad input."""

from __future__ import annotations

import pytest

from govaudit.crawl.scope import Scope
from govaudit.errors import UsageError


def test_start_host_only_by_default() -> None:
    scope = Scope("http://www.example.gov.cn/index.html")
    assert scope.contains("http://www.example.gov.cn/xxgk/a.html")
    assert scope.contains("https://www.example.gov.cn/")  # scheme never matters
    assert scope.contains("http://example.gov.cn/a")  # www.x and x are one site
    assert scope.contains("http://WWW.EXAMPLE.GOV.CN/")
    assert scope.contains("http://www.example.gov.cn./a")  # FQDN form
    assert not scope.contains("http://jyj.example.gov.cn/")
    assert not scope.contains("http://www.example.gov.cn.evil.org/")
    assert not scope.contains("http://notexample.gov.cn/")
    assert not scope.contains("http://www.gov.cn/")
    assert not scope.contains("mailto:xxgk@example.gov.cn")
    assert not scope.contains("ftp://www.example.gov.cn/")
    assert not scope.contains("")
    assert not scope.contains(None)  # type: ignore[arg-type]


def test_bare_start_host_accepts_www() -> None:
    scope = Scope("https://example.gov.cn")
    assert scope.contains("http://www.example.gov.cn/a") and scope.contains("https://example.gov.cn/b")
    assert not scope.contains("http://www2.example.gov.cn/")


def test_subdomains() -> None:
    scope = Scope("http://www.example.gov.cn/", subdomains=True)
    assert scope.contains("http://jyj.example.gov.cn/a")
    assert scope.contains("http://a.b.example.gov.cn/")
    assert scope.contains("http://example.gov.cn/")
    assert not scope.contains("http://otherexample.gov.cn/")
    assert not scope.contains("http://www.gov.cn/")


def test_ports_and_ip_hosts() -> None:
    scope = Scope("http://127.0.0.1:8080/")
    assert scope.contains("http://127.0.0.1:8080/a")
    assert scope.contains("https://127.0.0.1:8080/a")
    assert not scope.contains("http://127.0.0.1:9090/a")  # another local server is another site
    assert not scope.contains("http://127.0.0.1/a")
    default = Scope("https://example.gov.cn:443/")
    assert default.contains("http://example.gov.cn/") and not default.contains("http://example.gov.cn:8443/")
    v6 = Scope("http://[::1]:8000/")
    assert v6.contains("http://[::1]:8000/x") and not v6.contains("http://[::2]:8000/x")


def test_include_and_exclude() -> None:
    scope = Scope("http://www.example.gov.cn/", include=[r"/xxgk/", r"/zwgk/"], exclude=[r"\.pdf$", r"[?&]print=1"])
    assert scope.contains("http://www.example.gov.cn/xxgk/a.html")
    assert scope.contains("http://www.example.gov.cn/zwgk/")
    assert not scope.contains("http://www.example.gov.cn/other/")
    assert not scope.contains("http://www.example.gov.cn/xxgk/a.pdf")
    assert not scope.contains("http://www.example.gov.cn/xxgk/a.html?print=1")
    assert not scope.contains("http://other.gov.cn/xxgk/a.html")  # host first, regexes second


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"include": ["("]}, "invalid --include regex '('"),
    ({"exclude": ["[a-"]}, "invalid --exclude regex '[a-'"),
])
def test_invalid_regex_is_a_usage_error(kwargs: dict[str, list[str]], fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        Scope("http://www.example.gov.cn/", **kwargs)
    message = str(info.value)
    assert message.startswith(fragment) and "\n" not in message


@pytest.mark.parametrize("start", ["", "not a url", "ftp://example.gov.cn/", "http://.example.gov.cn/"])
def test_invalid_start_url_is_a_usage_error(start: str) -> None:
    with pytest.raises(UsageError, match="not an http"):
        Scope(start)
