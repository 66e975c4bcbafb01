"""What an analyst sees: the published daily's notebook opened in JupyterLab (a real server on
loopback, headless Chromium). The notebook is untrusted there, as any notebook a scheduler wrote, so
JupyterLab sanitizes its outputs and shows them without the report's stylesheet."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.request

import pytest

from storeops.present import palette
from tests.conftest import BIN
from tests.e2e.test_browser import ARTIFACTS, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.e2e


def _rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture(scope="module")
def lab(review, tmp_path_factory):
    """JupyterLab serving the folder of the published daily; yields (base url, token, notebook path)."""
    _, html_path, _ = review("daily", "zh")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    home = tmp_path_factory.mktemp("lab-home")
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    server = subprocess.Popen(
        [BIN / "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.root_dir={html_path.parent}", f"--IdentityProvider.token={token}",
         "--ServerApp.open_browser=False", *(["--allow-root"] if os.geteuid() == 0 else []), "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {server.stderr.read()[-2000:]}", pytrace=False)
            time.sleep(0.5)
    yield base, token, html_path.with_suffix(".ipynb")
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:  # pragma: no cover
        server.kill()


def test_the_daily_in_jupyterlab_keeps_its_colours_and_shows_each_heading_once(browser, lab):  # noqa: F811
    base, token, notebook = lab
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base}/lab/tree/{notebook.name}?token={token}")
    page.wait_for_selector(".jp-OutputArea-output table.so-kpis", timeout=90_000)
    kpis = page.locator(".jp-OutputArea-output table.so-kpis")
    # a change is red up / green down (the zh store's market convention) in JupyterLab as in the report
    up, down = kpis.locator("td.so-up"), kpis.locator("td.so-down")
    assert up.count() + down.count() > 0
    if up.count():
        assert up.first.evaluate("e => getComputedStyle(e).color") == _rgb(palette.BAD)
    if down.count():
        assert down.first.evaluate("e => getComputedStyle(e).color") == _rgb(palette.GOOD)
    # each section's heading once: the output's, not again from the notebook's own markdown
    headings = page.locator(".jp-Notebook h2").all_inner_texts()
    assert headings.count("核心指标") == 1 and headings.count("今日待办") == 1, headings
    assert page.locator(".jp-RenderedMarkdown h2").count() == 0
    # the charts show (their phone drawing or their desk one)
    assert page.locator(".jp-OutputArea-output img").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "daily-jupyterlab.png"))
    page.close()

