"""``storeops init DIR``: a new store folder, ready for its exports.

One installed storeops serves several stores; each is a folder with its own
settings, warehouse, reports and schedule. The review notebooks and shipped
presets come from the package (storeops.resources) unless the folder has its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from storeops import resources
from storeops.errors import ConfigError
from storeops.publish.run import REPORTS as KINDS  # the review notebooks a folder may take a copy of: every review's

TEMPLATE = Path(__file__).resolve().parent / "folder_template"


def init(folder: Path, *, notebooks: bool = False) -> list[Path]:
    """Write ``params/store.yaml``, ``params/email.yaml``, ``params/alerts.yaml`` and ``params/sources/README.md`` (and with
    ``notebooks`` a copy of each review notebook to customise) into ``folder``; returns what was written.
    Refuses a folder that already has settings, so nothing of a store is overwritten."""
    folder = Path(folder)
    existing = [folder / p.relative_to(TEMPLATE) for p in TEMPLATE.rglob("*") if p.is_file()]
    existing = [p for p in existing if p.exists()]
    if existing:
        raise ConfigError(f"{existing[0]} exists already: this is a store folder; "
                          f"edit it rather than initialising it again")
    written = []
    for src in sorted(p for p in TEMPLATE.rglob("*") if p.is_file()):
        dest = folder / src.relative_to(TEMPLATE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    for d in ("data", "reports"):
        (folder / d).mkdir(exist_ok=True)
    if notebooks:
        for kind in KINDS:
            dest = folder / "notebooks" / f"{kind}.ipynb"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(resources.notebook(folder, kind), dest)
            written.append(dest)
    return written


def next_steps(folder: Path) -> str:
    cfg = Path(folder).resolve() / "params" / "store.yaml"
    return "\n".join([
        f"store folder ready: {Path(folder).resolve()}",
        "next:",
        f"  1. edit {cfg} (store name, timezone, language) and params/email.yaml",
        f"  2. storeops ingest --config {cfg} ~/Downloads/*.csv",
        f"  3. storeops run daily --config {cfg}",
        f"  4. cron: 0 6 * * *  storeops run due --send --config {cfg}",
    ])
