"""The site config's `interaction` part: accepted shapes, and one-line errors for bad ones."""

from __future__ import annotations

import tomllib

import pytest
from govaudit.checks.interaction.siteconfig import ListSelectors, parse_site_config

from govaudit.errors import UsageError

TOML = """
[site.interaction]
discover = false

[[site.interaction.boards]]
name = "县长信箱"
url = "http://www.example.gov.cn/hdjl/xzxx/index.html"
[site.interaction.boards.selectors]
row = "table.xjlist tr"
asked = "td.asked"
replied = "td.replied"
status = "td.state"
next = "div.pagination a.next"
[site.interaction.boards.detail]
unit = "td.unit"

[[site.interaction.boards]]
match = "/hdjl/zxft/"
kind = "interview"
"""


def test_toml_shape_is_read() -> None:
    cfg = parse_site_config(tomllib.loads(TOML)["site"])
    assert cfg.discover is False and len(cfg.boards) == 2
    first, second = cfg.boards
    assert first.selectors == ListSelectors(row="table.xjlist tr", asked="td.asked", replied="td.replied",
                                            status="td.state", next="div.pagination a.next")
    assert first.detail is not None and first.detail.unit == "td.unit" and first.kind == "consultation"
    assert second.kind == "interview" and second.applies_to("http://x.invalid/hdjl/zxft/index.html")
    assert cfg.for_url("http://www.example.gov.cn/hdjl/xzxx/index.html") is first
    assert cfg.for_url("http://x.invalid/other/") is None


def test_no_interaction_key_means_defaults() -> None:
    cfg = parse_site_config({"columns": {}})
    assert cfg.discover is True and cfg.boards == []
    assert parse_site_config(None).boards == []


@pytest.mark.parametrize(("site", "message"), [
    ({"interaction": []}, "interaction must be a mapping"),
    ({"interaction": {"board": []}}, "interaction.board: unknown key"),
    ({"interaction": {"discover": "yes"}}, "interaction.discover: must be true or false"),
    ({"interaction": {"boards": {}}}, "interaction.boards: must be a list"),
    ({"interaction": {"boards": [{"name": "x"}]}}, "boards[1]: give exactly one of 'url'"),
    ({"interaction": {"boards": [{"url": "ftp://x/"}]}}, "boards[1].url: must be an http(s) URL"),
    ({"interaction": {"boards": [{"match": "("}]}}, "boards[1].match: invalid regular expression"),
    ({"interaction": {"boards": [{"match": "x", "kind": "petition"}]}}, "boards[1].kind: must be one of"),
    ({"interaction": {"boards": [{"match": "x", "selectors": {"asked": "td"}}]}}, "needs 'row'"),
    ({"interaction": {"boards": [{"match": "x", "selectors": {"row": "tr", "when": "td"}}]}},
     "boards[1].selectors: unknown key 'when'"),
    ({"interaction": {"boards": [{"match": "x", "selectors": {"row": "tr["}}]}}, "not a CSS selector"),
    ({"interaction": {"boards": [{"match": "x", "detail": {"asked": ""}}]}}, "detail.asked: must be a non-empty"),
])
def test_bad_shapes_are_one_line_errors(site: dict, message: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_site_config(site)
    text = str(err.value)
    assert message in text and "\n" not in text and text.startswith("site config: interaction")
