"""The house theme: colours, the bundled CJK font, matplotlib settings."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import matplotlib

# Reports render off-screen, under cron too. Under a Jupyter kernel the inline backend stays, so an
# analyst's own plots show (explore.ipynb); the charts here close their figures, so a report never
# shows one twice.
if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from storeops.present.palette import ACCENT, BAD, GOOD, GRID, INK, MUTED, SERIES  # noqa: E402,F401


@cache
def cjk_font() -> str:
    """Register the Noto Sans CJK SC font that ships with ``mplfonts`` and return its family name."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.is_file():
        raise FileNotFoundError(f"bundled CJK font missing: {path} (reinstall mplfonts)")
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_fallback() -> None:
    """Chinese in an analyst's own matplotlib or seaborn chart: the CJK font after the family in use,
    so Latin text keeps its font and CJK characters fall back to this one instead of empty boxes.
    Done when storeops is imported beside matplotlib, and again by :func:`apply`. After
    ``sns.set_theme()`` (which resets the family), call ``storeops.present.theme.cjk_fallback()``."""
    family = cjk_font()
    current = plt.rcParams["font.family"]
    current = [current] if isinstance(current, str) else list(current)
    if family not in current:
        plt.rcParams["font.family"] = [*current, family]


cjk_fallback()


def apply() -> None:
    """Set matplotlib up for report charts: CJK font, quiet grid, no chart junk."""
    family = cjk_font()
    plt.rcParams.update({
        "font.family": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,  # the CJK font has no U+2212
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": GRID,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "figure.dpi": 110,
        "savefig.bbox": "tight",
    })
