"""Real-browser test harness: `streamlit run` on 127.0.0.1 and Debian's Chromium via Playwright.

The app is started as `make run` starts it: `app/server.py` (the pages plus the warm-up of the
default page before the server accepts users).

The server runs with a temporary workspace (`LOCATIESCAN_WORKSPACE`) and offline sources only
(`LOCATIESCAN_ONLINE=0`). Every browser request that does not go to 127.0.0.1 is aborted and
recorded, so a test can assert that the app never reaches for the internet.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP = PROJECT_ROOT / "app" / "server.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
STARTUP_TIMEOUT_S = 90.0
LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
PAINT_TIMEOUT_S = 30.0
SETTLE_MS = 300
# The number of page elements, and per visible data grid (st.dataframe; hidden ones in closed
# expanders or tabs are skipped) its size and its canvas size. The grid is a lazily loaded
# canvas: until it has painted, its box is empty or a narrow placeholder.
PAGE_STATE_JS = """() => ({
  elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
  grids: [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .filter(el => el.checkVisibility())
    .map(el => {
      const box = el.getBoundingClientRect();
      const canvas = el.querySelector('canvas');
      return [Math.round(box.width), Math.round(box.height),
              canvas ? canvas.width : 0, canvas ? canvas.height : 0];
    }),
})"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def streamlit_command(port: int, script: Path = APP) -> list[str]:
    """The `streamlit run` command line for `script` (the app) on 127.0.0.1:`port`."""
    return [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.enableStaticServing", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


@dataclass
class AppServer:
    """A running `streamlit run` subprocess; `restart()` keeps the port and the workspace."""

    workspace: Path
    script: Path = APP
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(os.environ, LOCATIESCAN_WORKSPACE=str(self.workspace), LOCATIESCAN_ONLINE="0")
        self.log_path = self.workspace.parent / f"streamlit-{self.port}.log"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            streamlit_command(self.port, self.script),
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                msg = f"streamlit exited with code {self.process.returncode}; log: {self.log()}"
                raise RuntimeError(msg)
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        msg = f"streamlit did not answer /_stcore/health within {STARTUP_TIMEOUT_S:.0f} s; log: {self.log()}"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace")[-4000:]
            if self.log_path and self.log_path.exists()
            else ""
        )


@contextmanager
def app_server(workspace: Path, script: Path = APP) -> Iterator[AppServer]:
    """Start `script` (the app) with a workspace file at `workspace`; stop it afterwards."""
    server = AppServer(workspace, script)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def require_chromium() -> Path:
    """Debian's Chromium; a clear failure (not a skip) when it is missing."""
    found = (
        CHROMIUM if CHROMIUM.exists() else (Path(p) if (p := shutil.which("chromium")) else None)
    )
    if found is None:
        msg = "Chromium not found at /usr/bin/chromium: run `make test` (installs the Debian package chromium)"
        raise RuntimeError(msg)
    return found


@dataclass
class OfflineBrowser:
    """A Chromium context whose requests outside 127.0.0.1 are blocked and recorded."""

    playwright: Playwright
    browser: Browser
    context: BrowserContext
    blocked: list[str] = field(default_factory=list)

    def page(self) -> Page:
        return self.context.new_page()


@contextmanager
def offline_browser() -> Iterator[OfflineBrowser]:
    """Headless Chromium (viewport 1400x1000) that only reaches 127.0.0.1."""
    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        handle = OfflineBrowser(playwright, browser, context)

        def route(route: Route) -> None:
            url = route.request.url
            if url.startswith(LOCAL_PREFIXES):
                route.continue_()
            else:
                handle.blocked.append(url)
                route.abort()

        context.route("**/*", route)
        try:
            yield handle
        finally:
            context.close()
            browser.close()


def wait_for_grids(page: Page) -> None:
    """Wait until every visible data grid has painted its canvas and neither the elements nor the
    grids changed between two looks `SETTLE_MS` apart (the run may end before the grids render)."""
    deadline = time.monotonic() + PAINT_TIMEOUT_S
    previous = None
    while time.monotonic() < deadline:
        state = page.evaluate(PAGE_STATE_JS)
        painted = all(width > 0 and height > 0 for *_, width, height in state["grids"])
        if state == previous and painted:
            return
        previous = state
        page.wait_for_timeout(SETTLE_MS)
    msg = f"data grids did not paint within {PAINT_TIMEOUT_S:.0f} s: {previous}"
    raise AssertionError(msg)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png once the grids painted."""
    wait_for_grids(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


RUN_TIMEOUT_MS = 180_000  # a page run on this 2-core machine, loaded, can take minutes


def wait_for_run(page: Page) -> None:
    """Wait until the script run triggered by the last action has finished."""
    app = page.locator('[data-testid="stApp"]')
    try:
        expect(app).to_have_attribute("data-test-script-state", "running", timeout=1500)
    except AssertionError:
        pass  # the run was quicker than we could look
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=RUN_TIMEOUT_MS)


OPEN_LIST_TIMEOUT_MS = 15_000  # a list that has not opened by then was closed by a rerun


def choose(page: Page, label: str, option: str, *, type_to_filter: bool = False) -> None:
    """Pick `option` in the select box `label`.

    Open the list (typing `option` first when `type_to_filter`: a long virtual list scrolls away
    under a mouse click) and take the option. A script run that ends while the list is open
    redraws the box and closes the list, so opening is retried until `RUN_TIMEOUT_MS`.
    """
    box = page.get_by_role("combobox", name=label, exact=True)
    item = page.get_by_role("option").filter(has_text=option).first
    deadline = time.monotonic() + RUN_TIMEOUT_MS / 1000
    while True:
        wait_for_run(page)
        box.scroll_into_view_if_needed()
        box.click()
        if type_to_filter:
            page.keyboard.type(option)
        try:
            expect(item).to_be_visible(timeout=OPEN_LIST_TIMEOUT_MS)
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.keyboard.press("Escape")
    if type_to_filter:
        page.keyboard.press("Enter")
    else:
        item.click()
    wait_for_run(page)


# Shared fixtures (registered in conftest.py via `pytest_plugins`): one app server with a fresh
# workspace and one offline browser per test module. A module overrides one where it needs more.


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app served on 127.0.0.1 with this module's own empty workspace."""
    with app_server(tmp_path_factory.mktemp("app") / "workspace.sqlite") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[OfflineBrowser]:
    """Headless Chromium whose requests outside 127.0.0.1 are blocked and recorded."""
    with offline_browser() as handle:
        yield handle


@pytest.fixture(scope="module")
def page(browser: OfflineBrowser) -> Page:
    """One page of the module's browser, kept across the module's tests."""
    return browser.page()
