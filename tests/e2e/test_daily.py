"""The daily review end to end: storeops run → papermill → nbconvert → HTML + summary.json."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from storeops import config, warehouse
from storeops.metrics import plan, sales
from storeops.periods import Period
from tests.conftest import BIN

pytestmark = pytest.mark.e2e
DAY = "2026-11-26"


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "storeops", *args, "--config", project / "params" / "store.yaml"],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module", params=["zh", "en"])
def published(request, demo_project):
    lang = request.param
    r = run(demo_project, "run", "daily", "--date", DAY, "--lang", lang)
    assert r.returncode == 0, r.stderr
    html_path = Path(r.stdout.strip().splitlines()[-1])
    return lang, html_path, html_path.read_text(encoding="utf-8")


def test_paths(published, demo_project):
    lang, html_path, _ = published
    stem = f"daily-{DAY}" + ("" if lang == "zh" else ".en")  # zh is the store's language
    folder = demo_project / "reports" / "daily" / "2026"
    assert html_path == folder / f"{stem}.html"
    assert (folder / f"{stem}.ipynb").is_file() and (folder / f"{stem}.summary.json").is_file()


def test_html_is_a_clean_self_contained_report(published):
    lang, _, page = published
    assert 'class="so-table so-kpis"' in page
    for sign in ("Traceback", "nan", "None", "inf", "NaN"):
        assert not re.search(rf"\b{sign}\b", re.sub(r'src="data:[^"]+"', "", page)), sign
    for code in ("storeops.daily", "import storeops", "report_date =", "papermill", "In&nbsp;[", "jp-InputPrompt"):
        assert code not in page, code
    assert "<script" not in page and "http://" not in page and "https://" not in page
    imgs = re.findall(r'<img[^>]* src="data:image/png;base64,([^"]+)"', page)
    assert len(imgs) == 1 and len(imgs[0]) > 10_000
    assert ("核心指标" in page and "指标说明" in page) if lang == "zh" else ("Headline KPIs" in page and "Glossary" in page)
    assert ("支付金额" in page) == (lang == "zh")


def test_summary_equals_the_metric_functions(published, demo_project):
    lang, html_path, _ = published
    s = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())
    assert s["kind"] == "daily" and s["lang"] == lang and s["period"] == {"start": DAY, "end": DAY}
    cfg = config.load(demo_project / "params" / "store.yaml")
    con = warehouse.connect(cfg, read_only=True)
    t = warehouse.Tables(con)
    p = Period.day(DAY)
    expected = sales.block(t, p)
    assert set(s["metrics"]) == set(expected) | {"target", "attainment"}
    for k, v in expected.items():
        assert s["metrics"][k] == pytest.approx(float(v)), k
    assert s["metrics"]["paid_amount"] > 0 and s["metrics"]["target"] == pytest.approx(plan.target(t, p))
    con.disconnect()


def test_no_papermill_traces_in_the_html_but_parameters_in_the_notebook(published):
    _, html_path, page = published
    nb = nbformat.read(html_path.with_suffix(".ipynb"), as_version=4)
    assert nb.metadata.papermill.parameters["report_date"] == DAY  # kept for debugging
    assert "injected-parameters" not in page and DAY in page


def test_a_failing_cell_is_one_clear_line_and_publishes_nothing(demo_project, tmp_path):
    nb = nbformat.read(demo_project / "notebooks" / "daily.ipynb", as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell("storeops.daily.no_such_section(ctx)"))
    bad = tmp_path / "broken.ipynb"
    nbformat.write(nb, bad)
    r = run(demo_project, "run", "daily", "--date", "2026-11-20", "--notebook", str(bad))
    assert r.returncode == 1
    lines = [x for x in r.stderr.splitlines() if x.startswith("storeops")]
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert re.search(r"failed in cell 5 of the executed notebook \(storeops\.daily\.no_such_section\(ctx\)\): AttributeError: .*no_such_section",
                     lines[0])
    folder = demo_project / "reports" / "daily" / "2026"
    assert f"kept at {folder / 'daily-2026-11-20.ipynb'}" in lines[0]
    assert (folder / "daily-2026-11-20.ipynb").is_file()
    assert not (folder / "daily-2026-11-20.html").exists()
    assert not (folder / "daily-2026-11-20.summary.json").exists()


def test_missing_warehouse_is_one_line(tmp_path):
    from tests.conftest import write_config

    cfg = write_config(tmp_path)
    r = subprocess.run([BIN / "storeops", "run", "daily", "--config", cfg], capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().startswith("storeops run: ")
