"""Screenshots kept with a run: PNG files under the report folder, named from their page URL."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from govaudit.errors import StoreError

PREFIX = "screenshot:"
_SAFE = re.compile(r"[^A-Za-z0-9]+")


def file_name(url: str) -> str:
    """A short, stable, filesystem-safe name: readable path words plus a hash of the whole URL."""
    tail = _SAFE.sub("-", url.split("://", 1)[-1].split("/", 1)[-1]).strip("-")[-60:] or "home"
    return f"{tail}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}.png"


def save_screenshots(out_dir: Path, assets: dict[str, bytes]) -> list[Path]:
    """Write every "screenshot:<url>" asset to out_dir/screenshots/, with an index.json of url -> file."""
    shots = {name[len(PREFIX):]: blob for name, blob in assets.items() if name.startswith(PREFIX)}
    if not shots:
        return []
    folder = Path(out_dir) / "screenshots"
    written: list[Path] = []
    index: dict[str, str] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for url, blob in sorted(shots.items()):
            target = folder / file_name(url)
            target.write_bytes(blob)
            index[url] = target.name
            written.append(target)
        (folder / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write screenshots under {folder}: {exc.strerror or exc}") from None
    return written
