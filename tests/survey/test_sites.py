"""Survey input: own columns, Chinese headers, GBK files, the US registry's CSV as published,
malformed rows reported by line and skipped, duplicates merged."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from govaudit.errors import UsageError
from govaudit.survey.sites import parse_sites, read_sites, site_url


def test_own_columns_with_problems_and_duplicates() -> None:
    text = ("url,name,region,level,site_id_code,owner\n"
            "http://www.a.gov.cn,甲县,江西省,县级,3607000001,甲县办\n"
            "ftp://files.a.gov.cn,bad,,,,\n"
            "\n"
            "HTTP://WWW.A.GOV.CN/,,,,,甲县信息中心\n"
            "www.b.gov.cn,\"乙市, 人民政府\",河北省,市级,1300000002,\n"
            "https://www.a.gov.cn/,甲县 https,,,,\n"
            "http://c.gov.cn,丙,1,2,3,4,5\n"
            ",no url,,,,\n"
            "http://exa mple/\u0000,x,,,,\n")
    sites = parse_sites(text, "t.csv")
    assert sites.kind == "govaudit"
    assert [s.url for s in sites.sites] == ["http://www.a.gov.cn/", "http://www.b.gov.cn/"]
    a, b = sites.sites
    assert (a.name, a.region, a.level, a.site_id_code, a.line, a.extra) == (
        "甲县", "江西省", "县级", "3607000001", 2, {"owner": "甲县办"})
    assert (b.name, b.line) == ("乙市, 人民政府", 6)
    assert sites.problems == [
        "line 3: not an http(s) URL: 'ftp://files.a.gov.cn'",
        "line 8: 7 fields but the header has 6 (an unquoted comma?)",
        "line 9: no URL",
        "line 10: not a valid URL: 'http://exa mple/\\x00'",
    ]
    assert sites.merged == [
        "line 5: same site as line 2 (http://www.a.gov.cn/), merged",
        "line 7: same site as line 2 (http://www.a.gov.cn/), merged",
    ]


def test_merge_fills_only_what_the_first_listing_left_empty() -> None:
    sites = parse_sites("url,name,region\nhttp://x.gov.cn,,华北\nhttp://x.gov.cn/,某区,华东\n")
    (only,) = sites.sites
    assert (only.name, only.region, only.line) == ("某区", "华北", 2)


def test_chinese_headers_semicolons_and_a_multiline_field() -> None:
    text = '网站名称;网站地址;地区;级别;网站标识码\n"某某县\n人民政府";http://www.x.gov.cn;四川省;县级;5100000001\n'
    (site,) = parse_sites(text).sites
    assert (site.url, site.name, site.region, site.level, site.site_id_code, site.line) == (
        "http://www.x.gov.cn/", "某某县\n人民政府", "四川省", "县级", "5100000001", 2)


def test_gbk_file_as_excel_saves_it(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes("url,name,region\nhttp://www.y.gov.cn,某某市人民政府,河北省\n".encode("gbk"))
    (site,) = read_sites(path).sites
    assert (site.name, site.region) == ("某某市人民政府", "河北省")


def test_headerless_list_of_urls() -> None:
    sites = parse_sites("http://a.gov.cn/\nhttps://b.gov.cn/x/\nnot a url\n")
    assert sites.kind == "urls"
    assert [s.url for s in sites.sites] == ["http://a.gov.cn/", "https://b.gov.cn/x/"]
    assert sites.problems == ["line 3: not a URL or host name: 'not a url'"]


def test_the_us_registry_as_published(corpus: Path) -> None:
    path = corpus / "dotgov-data" / "current-federal.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    sites = read_sites(path)
    assert sites.kind == "dotgov"
    assert sites.problems == [] and sites.merged == []
    assert len(sites.sites) == len(raw) == 1321
    first = sites.sites[0]
    row = raw[0]
    assert first.url == f"https://{row['Domain name'].lower()}/"
    assert first.name == row["Organization name"]
    assert first.region == row["State"]
    assert first.level == row["Domain type"]
    assert first.extra == {"City": row["City"], "Security contact email": row["Security contact email"]}
    with_sub = next(s for s, r in zip(sites.sites, raw, strict=True) if r["Suborganization name"])
    sub_row = raw[sites.sites.index(with_sub)]
    assert with_sub.name == f"{sub_row['Organization name']} — {sub_row['Suborganization name']}"


def test_the_registry_hostname_list_reports_its_non_hosts(corpus: Path) -> None:
    sites = read_sites(corpus / "dotgov-data" / "dotgov-websites" / "other-websites.csv")
    assert sites.kind == "dotgov"
    assert len(sites.sites) > 10_000
    # Wildcards and mail-style entries are not sites; each is named with its line.
    assert "line 5: not a URL or host name: '*.ecmapps.treasuryecm.gov'" in sites.problems
    assert all(p.startswith("line ") for p in sites.problems)


@pytest.mark.parametrize(("raw", "expected"), [
    ("www.gov.cn", ("http://www.gov.cn/", "")),
    ("www.gov.cn/zhengce/", ("http://www.gov.cn/zhengce/", "")),
    ("127.0.0.5:8080", ("http://127.0.0.5:8080/", "")),
    ("mailto:x@y.cn", (None, "not a URL or host name: 'mailto:x@y.cn'")),
    ("  ", (None, "no URL")),
])
def test_site_url(raw: str, expected: tuple[str | None, str]) -> None:
    assert site_url(raw) == expected


def test_unusable_files_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="sites file not found"):
        read_sites(tmp_path / "none.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(UsageError, match="is empty"):
        read_sites(tmp_path / "empty.csv")
    (tmp_path / "nourl.csv").write_text("name,region\n甲,乙\n")
    with pytest.raises(UsageError, match="no url column in the header"):
        read_sites(tmp_path / "nourl.csv")
    (tmp_path / "bin.csv").write_bytes(b"url\n\xff\xfe\xfa\x80\x81")
    with pytest.raises(UsageError, match="neither UTF-8 nor GB18030"):
        read_sites(tmp_path / "bin.csv")


def test_cli_reports_bad_rows_and_a_file_with_none_usable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("url\nftp://x\nnot a url\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "govaudit.cli", "survey", str(bad), "--id", "x",
                           "--db", str(tmp_path / "g.db"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"{bad}: line 2: not an http(s) URL: 'ftp://x'",
        f"{bad}: line 3: not a URL or host name: 'not a url'",
        f"govaudit: {bad}: no usable site (every row was malformed)",
    ]
    assert "Traceback" not in proc.stderr
