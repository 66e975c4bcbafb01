"""notebooks/explore.ipynb, the analyst's starting point, runs end to end on the demo store."""

from __future__ import annotations

import nbformat
import papermill
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def test_explore_runs_end_to_end(demo_project, tmp_path):
    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "explore.ipynb"), str(out), kernel_name="storeops",
                               parameters={"week": "2026-W47", "config": str(demo_project / "params" / "store.yaml")},
                               cwd=str(demo_project), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    texts = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "2026-W36" in texts and "2026-W47" in texts  # the 12 weeks
    assert "source" in texts and "category" in texts and "['by_source']" in texts  # a section's .data
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 3  # the seaborn charts
    # Chinese category names drawn in a CJK font: matplotlib warns of no missing glyph
    streams = "\n".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "missing from font" not in streams, streams[:300]
    # visitor counts are whole numbers, not 51707.0
    weeks = next(o["data"]["text/plain"] for o in outputs if "2026-W36" in o.get("data", {}).get("text/plain", ""))
    row = next(line for line in weeks.splitlines() if "2026-W47" in line).split()
    assert row[5].isdigit(), row  # the index, period, start, end, paid_amount, uv
