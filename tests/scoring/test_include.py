"""`include:` lets one profile be split into one file per check."""

from pathlib import Path

import pytest

from govaudit.errors import UsageError
from govaudit.profiles import load_profile

HEAD = """id: t
title: T
grading: {model: threshold, pass_mark: 100, grades: {pass: ok, fail: bad, incomplete: "?"}}
"""
IND = """indicators:
  - {id: %s, title: X, kind: info, group: g, metric: links.broken, source: {document: d}, verified: V}
"""


def test_included_indicators_are_appended_in_order(tmp_path: Path) -> None:
    (tmp_path / "t.d").mkdir()
    (tmp_path / "t.d" / "a.yaml").write_text(IND % "a.one", encoding="utf-8")
    (tmp_path / "t.d" / "b.yaml").write_text(IND % "b.one", encoding="utf-8")
    (tmp_path / "t.yaml").write_text(HEAD + "include: [t.d/a.yaml, t.d/b.yaml]\n" + IND % "main", encoding="utf-8")
    assert [i.id for i in load_profile(str(tmp_path / "t.yaml")).indicators] == ["main", "a.one", "b.one"]


@pytest.mark.parametrize(("include", "content", "message"), [
    ("[missing.yaml]", None, "cannot read"),
    ("[../x.yaml]", None, "inside the profile's folder"),
    ("[f.yaml]", "other: 1\n", "exactly one key"),
    ("f.yaml", None, "list of file names"),
])
def test_include_errors_are_one_line(tmp_path: Path, include: str, content: str | None, message: str) -> None:
    if content is not None:
        (tmp_path / "f.yaml").write_text(content, encoding="utf-8")
    (tmp_path / "t.yaml").write_text(HEAD + f"include: {include}\n" + IND % "main", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_profile(str(tmp_path / "t.yaml"))
    assert message in str(err.value) and "\n" not in str(err.value)
