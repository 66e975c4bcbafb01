"""``storeops init --group DIR``: a new group folder, and the group demo's three stores."""

from __future__ import annotations

from pathlib import Path

from storeops.folder import lay_out
from storeops.publish.run import GROUP_KINDS

TEMPLATE = Path(__file__).resolve().parent.parent / "group_template"


def init(folder: Path, *, notebooks: bool = False) -> list[Path]:
    """Write ``params/group.yaml`` and ``params/email.yaml`` (with ``notebooks`` a copy of each group
    notebook) into ``folder``; a folder with group settings already is refused."""
    return lay_out(TEMPLATE, Path(folder), GROUP_KINDS if notebooks else (), "a group folder", ("reports",))


def next_steps(folder: Path) -> str:
    cfg = Path(folder).resolve() / "params" / "group.yaml"
    return "\n".join([
        f"group folder ready: {Path(folder).resolve()}",
        "next:",
        f"  1. edit {cfg}: the store folders, the reporting currency and the exchange rates",
        f"  2. storeops run group-daily --group {Path(folder).resolve()}",
        f"  3. cron: 30 6 * * *  storeops run group-daily --send --group {Path(folder).resolve()}",
    ])
