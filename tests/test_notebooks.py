"""Sanity of every committed notebook: clean, parameterised as the runner expects, thin."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

from storeops import config
from storeops.publish import run

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "benchmarks").glob("*.ipynb"))
#: the notebooks storeops run executes (explore.ipynb is the analyst's, run by hand)
STEMS = [kind.replace("-", "_") for kind in run.REPORTS]  # group-daily runs group_daily.ipynb (resources.notebook)
REVIEWS = [ROOT / "notebooks" / f"{stem}.ipynb" for stem in STEMS] + sorted((ROOT / "benchmarks").glob("*.ipynb"))


def test_every_review_kind_has_its_notebook():
    assert all(p.is_file() for p in REVIEWS)
    assert {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")} == {*STEMS, "explore"}
#: the store settings the notebooks run with (email.yaml is the mailer's: tests/test_config.py checks it)
PARAMS = sorted(p for p in (ROOT / "params").glob("*.yaml") if p.name not in ("email.yaml", "alerts.yaml"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, f"{path.name}: commit without outputs"


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: p.name)
@pytest.mark.parametrize("path", REVIEWS, ids=lambda p: p.name)
def test_parameters_agree_with_the_runner(path, params):
    cfg = config.load(params)  # every params file loads
    nb = nbformat.read(path, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", []), "the parameters cell comes first"
    assert tuple(papermill.inspect_notebook(str(path))) == run.PARAMETERS
    assert nb.metadata.kernelspec.name == "storeops"
    assert cfg.language in ("zh", "en")


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_cells_are_thin(path):
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []):
            code = [ln for ln in c.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            assert len(code) <= 3, f"{path.name}: logic belongs in lib/storeops, not in a cell:\n{c.source}"
            assert not any(w in c.source for w in ("for ", "while ", "SELECT", "def ", "lambda")), c.source
        if c.cell_type == "markdown":
            assert "analyst" in c.metadata.get("tags", []), "report text comes from the i18n catalog"
    if path.stem in STEMS:
        assert any("summary" in c.metadata.get("tags", []) for c in nb.cells), "the notebook hands over its summary"
