"""A store folder anywhere: `storeops init`, then ingest and the daily with the package's presets and
notebooks, from a temporary folder outside the project; the folder's own files win."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from storeops import resources
from tests.conftest import BIN, ROOT

pytestmark = pytest.mark.e2e


def storeops(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "storeops", *map(str, args)], capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("srv") / "shop-a"
    r = storeops("init", folder, cwd=folder.parent)
    assert r.returncode == 0, r.stderr
    assert "storeops run daily --config" in r.stdout
    return folder


def test_init_writes_a_ready_folder_and_never_overwrites(shop):
    assert sorted(str(p.relative_to(shop)) for p in shop.rglob("*") if p.is_file()) == [
        "params/alerts.yaml", "params/email.yaml", "params/sources/README.md", "params/store.yaml"]
    r = storeops("init", shop, cwd=shop)
    assert r.returncode == 1 and r.stderr.strip().endswith(
        "exists already: this is a store folder; edit it rather than initialising it again")


def test_ingest_and_daily_from_outside_the_project(shop, tmp_path):
    cfg = shop / "params" / "store.yaml"
    elsewhere = tmp_path  # neither the project nor the store folder: cron's cwd
    r = storeops("demo", "--days", "45", "--end", "2026-11-26", "--config", cfg, cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    # a shipped preset is found: the Shopify export with a SKU-less line
    r = storeops("ingest", ROOT / "tests" / "data" / "bad" / "shopify_lines_without_sku.csv", "--config", cfg,
                 cwd=elsewhere)
    assert r.returncode == 0 and "[shopify_orders, detected]: read 3, accepted 3, rejected 0" in r.stdout, r.stderr
    r = storeops("run", "daily", "--date", "2026-11-26", "--config", cfg, cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    html = shop / "reports" / "daily" / "2026" / "daily-2026-11-26.html"
    assert r.stdout.strip().endswith(str(html)) and html.is_file()
    summary = json.loads(html.with_name("daily-2026-11-26.summary.json").read_text(encoding="utf-8"))
    assert summary["kind"] == "daily" and summary["metrics"]["paid_amount"] > 0
    assert list(elsewhere.iterdir()) == []  # nothing was written where the command ran


def test_the_folders_own_preset_and_notebook_win(shop, tmp_path):
    own = shop / "params" / "sources" / "sycm_traffic.yaml"
    own.write_text("name: sycm_traffic\nlabel: ours\nformat: csv\ntables:\n  traffic:\n    date: 日\n    uv: 客\n"
                   "    pv: 看\n", encoding="utf-8")
    from storeops.ingest import presets

    try:
        got = presets.all_presets(shop)
        assert got["sycm_traffic"].label == "ours" and got["shopify_orders"].path.parent == \
            resources.shipped("params", "sources")
    finally:
        own.unlink()
    assert resources.notebook(shop, "daily") == resources.shipped("notebooks") / "daily.ipynb"
    r = storeops("init", tmp_path / "custom", "--notebooks", cwd=tmp_path)
    assert r.returncode == 0
    for kind in ("daily", "weekly", "replenishment", "monthly"):  # every review notebook, as the README says
        assert resources.notebook(tmp_path / "custom", kind) == tmp_path / "custom" / "notebooks" / f"{kind}.ipynb"


def test_a_built_wheel_carries_the_notebooks_and_presets(tmp_path):
    import zipfile

    r = subprocess.run([BIN / "pip", "wheel", "--no-deps", "-q", ROOT, "-w", tmp_path],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("storeops-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"storeops/_shipped/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")} | {
        f"storeops/_shipped/sources/{p.name}" for p in (ROOT / "params" / "sources").glob("*.yaml")}
    assert shipped <= names and "storeops/folder_template/params/store.yaml" in names
