"""Finding the system Chromium: --browser PATH, then GOVAUDIT_BROWSER, then the usual names on PATH.

Playwright's own browser download (`playwright install`) cannot work offline or on many locked-down
inspection machines, so govaudit only ever drives a browser the system already has.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "install one with `apt-get install -y chromium fonts-noto-cjk`, or give --browser PATH"
ENV_VAR = "GOVAUDIT_BROWSER"


class BrowserUnavailable(Exception):
    """No usable browser: its message is the one-line reason shown in reports and by `doctor`."""


def find_browser(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The browser executable to launch, or BrowserUnavailable saying why there is none."""
    env = os.environ if env is None else env
    if explicit:
        return _usable(explicit, "--browser")
    if env.get(ENV_VAR):
        return _usable(env[ENV_VAR], ENV_VAR)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserUnavailable(f"no Chromium found ({', '.join(CANDIDATES[:3])} are not on PATH); {INSTALL_HINT}")


def _usable(path: str, origin: str) -> str:
    # A bare name ("chromium") is looked up on PATH like a shell would.
    resolved = shutil.which(path) if os.sep not in path else path
    if resolved is None or not os.path.exists(resolved):
        raise BrowserUnavailable(f"{origin} {path}: no such file; {INSTALL_HINT}")
    if os.path.isdir(resolved) or not os.access(resolved, os.X_OK):
        raise BrowserUnavailable(f"{origin} {path}: not an executable file")
    return resolved
