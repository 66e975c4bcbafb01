"""Report charts (seaborn/matplotlib), returned as :class:`Chart`: an embedded PNG that shows in a
notebook and in the exported HTML, with alt text."""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.text import Text
from matplotlib.ticker import Formatter, FuncFormatter

from storeops.present import formats, theme
from storeops.present.i18n import Lang


#: figure widths in inches: a desk's column (drawn at 110 dpi: 825 px) and a phone's (drawn at 200 dpi,
#: shown about 362 px wide on a 390 px screen). Text on the phone's is at least NARROW_PT: 9 pt on a
#: 4-inch figure shown 362 px wide is 11.3 px.
WIDE, NARROW = 7.5, 4.0
DPI = {WIDE: 110, NARROW: 200}
NARROW_PT = 9


@dataclass(frozen=True)
class Chart:
    """A chart drawn twice, for the width it is read at: ``png`` for a desk, ``narrow`` for a phone
    (chosen by the browser through ``<picture>``; a front end that drops it shows ``png``). ``text``:
    the smallest text of each, as a share of the image's width, so a test can tell how large it is drawn."""

    png: bytes
    alt: str
    narrow: bytes = b""
    text: tuple[float, float] = (0.0, 0.0)

    def _repr_html_(self) -> str:
        def uri(png: bytes) -> str:
            return "data:image/png;base64," + base64.b64encode(png).decode()

        source = (f'<source media="(max-width: 600px)" srcset="{uri(self.narrow)}">' if self.narrow else "")
        return (f'<figure class="so-chart"><picture>{source}<img src="{uri(self.png)}" '
                f'alt="{html.escape(self.alt)}" data-text="{self.text[0]:.5f}" '
                f'data-narrow-text="{self.text[1]:.5f}"></picture></figure>')


def _png(fig: plt.Figure, width: float) -> tuple[bytes, float]:
    """The figure as PNG and its smallest text's height as a share of the PNG's width."""
    smallest = min((t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()),
                   default=10.0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI[width])
    plt.close(fig)
    png = buf.getvalue()
    pixels = int.from_bytes(png[16:20], "big")  # IHDR: the width as saved (bbox tight)
    return png, smallest / 72 * DPI[width] / pixels


def _render(draw: Callable[[float], plt.Figure], alt: str) -> Chart:
    """``draw(width)`` for a desk and for a phone, as one :class:`Chart`."""
    theme.apply()
    wide, wide_text = _png(draw(WIDE), WIDE)
    theme.apply()
    narrow, narrow_text = _png(draw(NARROW), NARROW)
    return Chart(wide, alt, narrow, (wide_text, narrow_text))


def _pt(width: float, desk: float) -> float:
    """A text's size: ``desk`` on a desk's chart, never under NARROW_PT on a phone's."""
    return desk if width == WIDE else max(desk, NARROW_PT)


def _every(n: int, width: float) -> int:
    """Every how many days a date axis is labelled: all of two weeks on a desk, about 7 labels on a phone."""
    return 1 if width == WIDE and n <= 14 else max(1, -(-n // 7))


def _shown(ax, v: float) -> list[float]:
    """The y ticks an axis shows as it is drawn (``v`` alone before it has any)."""
    lo, hi = ax.get_ylim()
    return [t for t in ax.get_yticks() if lo <= t <= hi] or [v]


class _ShownTicks(Formatter):
    """Labels an axis's y ticks ``label(v, the ticks shown)``, those worked out once for all the labels
    of a drawing (a FuncFormatter asked the axis for them again at each label: a tenth of a chart's time)."""

    def __init__(self, ax, label: Callable[[float, list[float]], str]) -> None:
        self.ax, self.label = ax, label

    def __call__(self, v, pos=None) -> str:
        return self.label(v, _shown(self.ax, v))

    def format_ticks(self, values) -> list[str]:
        self.set_locs(values)
        lo, hi = self.ax.get_ylim()  # values are the axis's ticks as it draws them: _shown's
        shown = [t for t in values if lo <= t <= hi]
        return [self.label(v, shown or [v]) for v in values]


def _thousands(a: float) -> tuple[float, str]:
    """Where an en phone's chart writes an amount short: in millions or thousands (¥2.80M, ¥374K)."""
    return (1e6, "M") if a >= 1e6 else (1e3, "K")


def _money_axis(ax, lang: Lang, width: float = WIDE) -> None:
    """Money ticks at one scale with the decimals that write each tick exactly (¥9.75万 beside ¥10万,
    never ¥10.2万 for 10.25万), chosen from the ticks shown when the axis is drawn; on a phone's chart
    in thousands or millions in en (¥3.5M), as 万 is in zh."""
    def fmt(v, ticks):
        unit, _places, suffix = formats.scale_of(ticks, lang)
        if width == NARROW and suffix == "" and max(abs(t) for t in ticks) >= 1e4:
            unit, suffix = _thousands(max(abs(t) for t in ticks))
        places = next((p for p in range(3) if all(abs(round(t / unit, p) - t / unit) < 1e-9 for t in ticks)), 2)
        return formats.money(v, lang, scale=(unit, places, suffix))

    ax.yaxis.set_major_formatter(_ShownTicks(ax, fmt))


def _pct_axis(ax) -> None:
    """Percent ticks with the decimals that tell them apart (3.95%, 4.00%, never 4.0%, 4.0%)."""
    def fmt(v, ticks):
        places = next((p for p in range(4) if len({round(t * 100, p) for t in ticks}) == len(ticks)), 3)
        return formats.pct(v, places=places)

    ax.yaxis.set_major_formatter(_ShownTicks(ax, fmt))


def trends(df: pd.DataFrame, report_day: _dt.date | None, lang: Lang, labels: dict[str, str],
           panels: Sequence[str] = ("uv", "conversion"), mean: bool = True) -> Chart:
    """Stacked panels over the same days: paid amount (bars, 7-day mean), then ``panels`` (visitors,
    conversion: a store whose data has no visitors gets no empty 0–0 panel).

    ``df`` has columns day, paid_amount, uv, conversion, oldest first; ``labels`` names
    paid_amount, uv, conversion and ma7.
    """
    days = list(df.day)
    x = np.arange(len(days))
    accent = [theme.ACCENT if d == report_day else theme.SERIES for d in days]

    def draw(width: float) -> plt.Figure:
        fig, axes = plt.subplots(1 + len(panels), 1, figsize=(width, 2.6 + 1.8 * len(panels)), sharex=True,
                                 gridspec_kw={"height_ratios": [1.6] + [1] * len(panels)}, squeeze=False)
        axes = list(axes[:, 0])
        ax = axes[0]
        # plain bars as seaborn's barplot drew them (0.8 wide, colours at 75 % saturation, its categorical
        # axis), without its per-category machinery, which took most of the chart's time
        ax.bar(x, df.paid_amount.astype(float).to_numpy(), width=0.8, color=[sns.desaturate(c, 0.75) for c in accent])
        ax.xaxis.grid(False)
        ax.set_xlim(-0.5, len(x) - 0.5, auto=None)
        if mean:  # the 7-day mean line: off where the chart shows fewer days than it needs (a week)
            ax.plot(x, df.paid_amount.astype(float).rolling(7, min_periods=1).mean(), color=theme.INK, lw=1.4,
                    label=labels["ma7"])
            ax.legend(loc="upper left", frameon=False)
        ax.set_ylabel(labels["paid_amount"])
        _money_axis(ax, lang, width)
        for ax, col in zip(axes[1:], panels):
            y = df[col].astype(float).to_numpy()
            ax.plot(x, y, color=theme.SERIES, lw=1.6, marker="o", ms=2.5)
            i = days.index(report_day) if report_day in days else None
            if i is not None:
                ax.plot([x[i]], [y[i]], "o", color=theme.ACCENT, ms=6)
            ax.set_ylabel(labels[col])
            if col == "conversion":
                _pct_axis(ax)
            else:
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formats.count(v, lang)))
        step = _every(len(days), width)
        axes[-1].set_xticks(x[::step])
        axes[-1].set_xticklabels([f"{d.month}/{d.day}" for d in days[::step]])
        fig.align_ylabels(axes)
        fig.tight_layout()
        return fig

    names = " / ".join(labels[k] for k in ("paid_amount", *panels))
    return _render(draw, f"{names}: {days[0]} – {days[-1]}")


def lines(df: pd.DataFrame, x: str, series: dict[str, str], unit: str, lang: Lang) -> Chart:
    """A few series over months (``x``: a label per row, oldest first): a 12-month trend of costs or of
    service scores, beside the table that gives its figures. ``series``: {column: label}; ``unit``:
    money, rate or ratio (a DSR score)."""
    labels = [str(v) for v in df[x]]
    xs = np.arange(len(labels))

    def draw(width: float) -> plt.Figure:
        fig, ax = plt.subplots(figsize=(width, 3.0 if width == WIDE else 3.4))
        for (col, name), colour in zip(series.items(), [theme.SERIES, theme.ACCENT, theme.INK, theme.MUTED, theme.GOOD]):
            ax.plot(xs, pd.to_numeric(df[col], errors="coerce").astype(float), color=colour, lw=1.6, marker="o",
                    ms=3, label=name)
        if unit == "money":
            _money_axis(ax, lang, width)
        elif unit == "rate":
            _pct_axis(ax)
        step = 1 if width == WIDE else max(1, -(-len(labels) // 4))
        ax.set_xticks(xs[::step])
        ax.set_xticklabels([lab[2:] if width == NARROW and len(lab) == 7 else lab for lab in labels[::step]])
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=2 if width == NARROW else len(series),
                  frameon=False, fontsize=_pt(width, 9))
        fig.tight_layout()
        return fig

    return _render(draw, f"{' / '.join(series.values())}: {labels[0]} – {labels[-1]}" if labels else "")


@dataclass(frozen=True)
class Bridge:
    """Where a bridge chart's bars go: ``bottoms`` and drawn ``heights`` (a part too small to see is
    drawn at ``MIN_BAR`` of the axis, its label giving the amount), the y range, and whether the axis
    is broken (starts above 0: a break is drawn on it, and its alt text says so)."""

    bottoms: list[float]
    heights: list[float]
    ylim: tuple[float, float]
    broken: bool


MIN_BAR = 0.03  # of the axis: the least a part is drawn, so a −¥173 bar is a bar, not a floating label


def bridge_bars(start: float, parts: list[float], end: float) -> Bridge:
    """The bars of a bridge from ``start`` to ``end`` through signed ``parts``. The axis starts at 0
    unless the bars all stand high above it (then it starts below the lowest level by 60 % of the
    range, and is drawn broken): a change of a few percent must be seen, and seen as a few percent."""
    bottoms, heights, level = [0.0], [start], start
    for v in parts:
        bottoms.append(level if v >= 0 else level + v)
        heights.append(abs(v))
        level += v
    bottoms.append(0.0)
    heights.append(end)
    top = max(b + h for b, h in zip(bottoms, heights))
    lo = min([*bottoms[1:-1], start, end]) if parts else 0.0
    floor = max(0.0, lo - (max(start, end) - lo) * 0.6)
    broken = floor > 0.25 * top  # well above 0: draw the break; a little above: start at 0
    floor = floor if broken else 0.0
    span = top - floor
    ceiling = top + span * 0.12
    least = (ceiling - floor) * MIN_BAR
    drawn = [h if i in (0, len(heights) - 1) else max(h, least) for i, h in enumerate(heights)]
    # a part drawn taller than it is grows away from the level it starts at, in its own direction
    bottoms = [b if i in (0, len(heights) - 1) or v >= 0 or h == d else b - (d - h)
               for i, (b, h, d, v) in enumerate(zip(bottoms, heights, drawn, [0.0, *parts, 0.0]))]
    return Bridge(bottoms, drawn, (floor, ceiling), broken)


def waterfall(start: float, parts: list[tuple[str, float]], end: float, labels: tuple[str, str],
              lang: Lang, convention: str = "outcome") -> Chart:
    """A bridge from ``start`` to ``end`` through signed ``parts`` (which add up to end − start); a
    part that adds is green, one that takes away red — the other way round under the market
    convention (红涨绿跌, present.tables.colours). Each bar carries its amount on it (bridge_bars)."""
    names = [labels[0]] + [n for n, _ in parts] + [labels[1]]
    geo = bridge_bars(start, [v for _, v in parts], end)
    colors = [theme.MUTED, *((theme.GOOD if v >= 0 else theme.BAD) if convention != "market" else
                             (theme.BAD if v >= 0 else theme.GOOD) for _, v in parts), theme.INK]
    values = [start, *(v for _, v in parts), end]

    def draw(width: float) -> plt.Figure:
        fig, ax = plt.subplots(figsize=(width, 3.2))
        ax.set_axisbelow(True)  # the grid behind the bars, not across them
        x = np.arange(len(names))
        ax.bar(x, geo.heights, bottom=geo.bottoms, color=colors, width=0.6)
        for i, (b, h) in enumerate(zip(geo.bottoms, geo.heights)):
            v = values[i]
            shown = (_short(v, lang, width) if i in (0, len(names) - 1) else
                     ("+" if v >= 0 else "") + _short(v, lang, width))
            ax.annotate(shown, (x[i], b + h), ha="center", va="bottom", fontsize=_pt(width, 8), color=theme.INK,
                        xytext=(0, 2), textcoords="offset points")
        ax.set_xticks(x)
        if width == WIDE or all(len(n) <= 8 for n in names):
            ax.set_xticklabels([n if width == WIDE else textwrap.fill(n, 8, break_long_words=False) for n in names])
        else:  # a phone: names longer than a bar is wide slant, rather than run into each other
            ax.set_xticklabels(names, rotation=30, ha="right", rotation_mode="anchor")
        _money_axis(ax, lang, width)
        ax.set_ylim(*geo.ylim)
        if geo.broken:  # the axis does not start at 0: a break on it, and the words say so
            for dy in (0.0, 0.025):
                ax.plot([-0.015, 0.015], [0.02 + dy, 0.045 + dy], transform=ax.transAxes, color=theme.INK, lw=1,
                        clip_on=False)
        fig.tight_layout()
        return fig

    alt = " → ".join(f"{n} {formats.money(v, lang)}" for n, v in [(labels[0], start), *parts, (labels[1], end)])
    if geo.broken:
        alt += " (" + ("纵轴不从0开始" if lang == "zh" else "the axis does not start at 0") + ")"
    return _render(draw, alt)


def _short(v: float, lang: Lang, width: float) -> str:
    """An amount on a bar: as the report writes it, or on a phone's chart in thousands or millions
    where a whole amount would be wider than its bar (en: ¥374K; zh's 万 is short already)."""
    a = abs(v)
    if width == WIDE or lang == "zh" or a < 1e4:
        return formats.money(v, lang)
    unit, suffix = _thousands(a)
    return formats.money(v, lang, scale=(unit, 2 if a / unit < 10 else 1 if a / unit < 100 else 0, suffix))


def heat_range(values) -> tuple[float, float]:
    """The colour scale of a heatmap: from a little under the smallest value (its cell is pale, not
    white) to the largest, so shares of 2 % to 4 % span the colours; one value alone against 0."""
    seen = [float(v) for v in values if v == v]
    if not seen:
        return 0.0, 1.0
    lo, hi = min(seen), max(seen)
    if hi - lo < 1e-9:
        return 0.0, max(hi, 0.05)
    return lo - (hi - lo) * 0.15, hi


def heatmap(values: pd.DataFrame, lang: Lang, xlabel: str, ylabel: str) -> Chart:
    """Shares (0–1) as a heatmap, each cell labelled in % with the decimals that tell cells apart; the
    colours run from the smallest share to the largest, so a 2 % to 4 % spread shows; a missing cell (a
    month not over yet) is blank."""
    grid = values.astype(float)
    seen = grid.to_numpy()[~np.isnan(grid.to_numpy())]
    lo, hi = heat_range(seen)
    places = formats.pct_places(pd.Series(seen)) if seen.size else 0

    def draw(width: float) -> plt.Figure:
        narrow = width == NARROW
        fig, ax = plt.subplots(figsize=(width, (0.36 if narrow else 0.32) * len(grid) + 1.4))
        ax.grid(False)
        # a phone's cells are narrow: one decimal, no % sign (the axis says it), cohorts by month only
        shown = min(places, 1) if narrow else places
        annot = grid.map(lambda v: "" if v != v else f"{v * 100:.{shown}f}" + ("" if narrow else "%"))
        sns.heatmap(grid, annot=annot, fmt="", cmap="Blues", vmin=lo, vmax=hi, cbar=False,
                    linewidths=0.5, linecolor="white", ax=ax, annot_kws={"fontsize": _pt(width, 8)})
        ax.set_xlabel(xlabel + (" (%)" if narrow else ""))
        ax.set_ylabel("" if narrow else ylabel)
        ax.tick_params(axis="y", rotation=0)
        if narrow:
            ax.set_yticklabels([str(r).split(" ")[0] for r in grid.index])
        fig.tight_layout()
        return fig

    return _render(draw, f"{ylabel} × {xlabel}")
