"""The kernel a run starts ahead (publish.kernel): the review's modules are loaded before the
notebook's first cell, what the kernel itself prints reaches the report's kernel log, and a run
refused before its notebook leaves neither a kernel running nor a trace in the reports folder."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from storeops import config
from storeops.errors import ReportError
from storeops.publish import run
from tests.publish.test_mail import storeops

DAY = "2026-11-25"


@pytest.fixture
def store(demo_project, tmp_path, monkeypatch) -> Path:
    """A copy of the demo store; the commands' temporary files and kernels' connection files in
    folders of the test's own, to see what is left there."""
    root = tmp_path / "store"
    shutil.copytree(demo_project, root, ignore=shutil.ignore_patterns("reports"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    return root


def _kernels(runtime: Path) -> list[str]:
    """The processes running a kernel whose connection file is in ``runtime``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            line = (proc / "cmdline").read_bytes() if proc.name.isdigit() else b""
        except OSError:  # ended while looked at
            continue
        if str(runtime).encode() in line:
            found.append(line.replace(b"\0", b" ").decode())
    return found


def test_the_kernel_has_the_review_loaded_and_its_lines_reach_the_log(store, tmp_path):
    nb = nbformat.read(store / "notebooks" / "daily.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    # before the notebook imports anything: what is there, the kernel loaded as it started
    nb.cells.insert(at, nbformat.v4.new_code_cell(
        "import os, sys\nos.write(2, b'a line of the kernel itself\\n')\n"
        "print([m for m in ('storeops.daily', 'storeops.settings', 'storeops.present.charts', 'ibis', 'matplotlib.pyplot') "
        "if m in sys.modules])"))
    path = store / "notebooks" / "loaded.ipynb"
    nbformat.write(nb, path)
    r = storeops(store, "run", "daily", "--date", DAY, "--notebook", str(path))
    assert r.returncode == 0, r.stderr
    executed = nbformat.read(store / "reports" / "daily" / "2026" / f"daily-{DAY}.ipynb", as_version=4)
    cell = next(c for c in executed.cells if c.cell_type == "code" and "os.write(2" in c.source)
    assert [o.get("text") for o in cell.outputs] == [
        "['storeops.daily', 'storeops.settings', 'storeops.present.charts', 'ibis', 'matplotlib.pyplot']\n"]
    log = store / "reports" / ".logs" / f"daily-{DAY}.kernel.log"
    assert "a line of the kernel itself" in log.read_text(encoding="utf-8")
    assert list((tmp_path / "tmp").iterdir()) == []  # the kernel's own file went into the log
    assert _kernels(tmp_path / "runtime") == []


def test_a_refused_run_leaves_no_kernel_and_no_trace(store, tmp_path, monkeypatch):
    # in this process, which lives on: its kernel cannot end by seeing it gone
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    cfg = config.load(store / "params" / "store.yaml")
    with pytest.raises(ReportError, match="no data for 2027-01-05 in orders"):  # after the demo's data ends
        run.publish(cfg, "daily", period="2027-01-05")
    logs = store / "reports" / ".logs"
    assert not logs.exists() or list(logs.iterdir()) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    assert _kernels(tmp_path / "runtime") == []


def test_a_kernel_that_cannot_start_is_one_line_and_recorded(store, tmp_path, monkeypatch):
    """Its python gone (a venv rebuilt elsewhere): the run fails in one line, recorded as failed."""
    spec = tmp_path / "jupyter" / "kernels" / "storeops"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(tmp_path / "gone" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "storeops", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # found before the installed one
    r = storeops(store, "run", "daily", "--date", DAY)
    says = "its kernel 'storeops' could not start: FileNotFoundError: "
    assert r.returncode == 1 and r.stderr.startswith(f"storeops run: {says}") and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    (line,) = [json.loads(x) for x in (store / "reports" / "runs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert line["status"] == "failed" and line["error"].startswith(says)
    assert list((tmp_path / "tmp").iterdir()) == [] and list((store / "reports" / ".logs").iterdir()) == []
