"""Where the shipped review notebooks and export presets are, for a store folder anywhere.

A store folder (``storeops init DIR``) holds its own ``params/`` and may hold its own
``notebooks/`` and ``params/sources/``: those win. Otherwise the package's are used:
in a checkout (or an editable install) the repository's top-level ``notebooks/`` and
``params/sources/``, the files analysts and maintainers edit; in an installed wheel, the
copies the build put into ``storeops/_shipped/`` (setup.py).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # lib/storeops → the repository


def shipped(*parts: str) -> Path:
    """A shipped folder: ``shipped("notebooks")``, ``shipped("params", "sources")``."""
    built = _PACKAGE / "_shipped" / parts[-1]
    if built.is_dir():
        return built
    return _CHECKOUT.joinpath(*parts)


def notebook(root: Path, kind: str) -> Path:
    """``<kind>.ipynb`` (``group_daily.ipynb`` for group-daily): the folder's own if it has one, else the
    shipped one."""
    name = f"{kind.replace('-', '_')}.ipynb"
    own = root / "notebooks" / name
    return own if own.is_file() else shipped("notebooks") / name


def preset_files(root: Path) -> list[Path]:
    """Every preset YAML: the shipped ones first, then the store folder's (same name: the store's wins)."""
    dirs = [shipped("params", "sources"), root / "params" / "sources"]
    seen: list[Path] = []
    for d in dict.fromkeys(p.resolve() for p in dirs if p.is_dir()):
        seen += sorted(d.glob("*.yaml"))
    return seen
