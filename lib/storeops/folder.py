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
from storeops.publish.run import KINDS as REVIEWS

KINDS = (*REVIEWS, "pace")  # the review notebooks a store folder may take a copy of (a group folder: group.folder)

TEMPLATE = Path(__file__).resolve().parent / "folder_template"


def init(folder: Path, *, notebooks: bool = False) -> list[Path]:
    """Write ``params/store.yaml``, ``params/email.yaml``, ``params/alerts.yaml`` and ``params/sources/README.md`` (and with
    ``notebooks`` a copy of each review notebook to customise) into ``folder``; returns what was written.
    Refuses a folder that already has settings, so nothing of a store is overwritten."""
    return lay_out(TEMPLATE, Path(folder), KINDS if notebooks else (), "a store folder", ("data", "reports"))


def lay_out(template: Path, folder: Path, kinds, what: str, dirs: tuple[str, ...]) -> list[Path]:
    """Copy ``template`` into ``folder``, and the notebooks of ``kinds``; a file of the template that is
    there already refuses it all (``what`` the folder is)."""
    existing = [folder / p.relative_to(template) for p in template.rglob("*") if p.is_file()]
    existing = [p for p in existing if p.exists()]
    if existing:
        raise ConfigError(f"{existing[0]} exists already: this is {what}; edit it rather than initialising it again")
    written = []
    for src in sorted(p for p in template.rglob("*") if p.is_file()):
        dest = folder / src.relative_to(template)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    for d in dirs:
        (folder / d).mkdir(exist_ok=True)
    for kind in kinds:
        src = resources.notebook(folder, kind)
        dest = folder / "notebooks" / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
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
