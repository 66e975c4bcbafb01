"""Report charts (seaborn/matplotlib), returned as :class:`Chart`: an embedded PNG that shows in a
notebook and in the exported HTML, with alt text."""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter

from storeops.present import formats, theme
from storeops.present.i18n import Lang


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt: str

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode()
        return (f'<figure class="so-chart"><img src="data:image/png;base64,{data}" '
                f'alt="{html.escape(self.alt)}"></figure>')


def _render(fig: plt.Figure, alt: str) -> Chart:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return Chart(buf.getvalue(), alt)


def _money_axis(ax, lang: Lang) -> None:
    """Money ticks at one scale with the decimals that write each tick exactly (¥9.75万 beside ¥10万,
    never ¥10.2万 for 10.25万), chosen from the ticks shown when the axis is drawn."""
    def fmt(v, _):
        lo, hi = ax.get_ylim()
        ticks = [t for t in ax.get_yticks() if lo <= t <= hi] or [v]
        unit, _places, suffix = formats.scale_of(ticks, lang)
        places = next((p for p in range(3) if all(abs(round(t / unit, p) - t / unit) < 1e-9 for t in ticks)), 2)
        return formats.money(v, lang, scale=(unit, places, suffix))

    ax.yaxis.set_major_formatter(FuncFormatter(fmt))


def trends(df: pd.DataFrame, report_day: _dt.date | None, lang: Lang, labels: dict[str, str],
           panels: Sequence[str] = ("uv", "conversion"), mean: bool = True) -> Chart:
    """Stacked panels over the same days: paid amount (bars, 7-day mean), then ``panels`` (visitors,
    conversion: a store whose data has no visitors gets no empty 0–0 panel).

    ``df`` has columns day, paid_amount, uv, conversion, oldest first; ``labels`` names
    paid_amount, uv, conversion and ma7.
    """
    theme.apply()
    days = list(df.day)
    x = np.arange(len(days))
    accent = [theme.ACCENT if d == report_day else theme.SERIES for d in days]
    fmts = {"uv": lambda v, _: formats.count(v, lang), "conversion": lambda v, _: formats.pct(v)}
    fig, axes = plt.subplots(1 + len(panels), 1, figsize=(7.5, 2.6 + 1.8 * len(panels)), sharex=True,
                             gridspec_kw={"height_ratios": [1.6] + [1] * len(panels)}, squeeze=False)
    axes = list(axes[:, 0])
    ax = axes[0]
    sns.barplot(x=x, y=df.paid_amount.astype(float).to_numpy(), hue=x, palette=accent, legend=False, ax=ax)
    if mean:  # the 7-day mean line: off where the chart shows fewer days than it needs (a week)
        ax.plot(x, df.paid_amount.astype(float).rolling(7, min_periods=1).mean(), color=theme.INK, lw=1.4,
                label=labels["ma7"])
        ax.legend(loc="upper left", frameon=False)
    ax.set_ylabel(labels["paid_amount"])
    _money_axis(ax, lang)
    for ax, col in zip(axes[1:], panels):
        fmt = fmts[col]
        y = df[col].astype(float).to_numpy()
        ax.plot(x, y, color=theme.SERIES, lw=1.6, marker="o", ms=2.5)
        i = days.index(report_day) if report_day in days else None
        if i is not None:
            ax.plot([x[i]], [y[i]], "o", color=theme.ACCENT, ms=6)
        ax.set_ylabel(labels[col])
        ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    step = 1 if len(days) <= 14 else 4
    axes[-1].set_xticks(x[::step])
    axes[-1].set_xticklabels([f"{d.month}/{d.day}" for d in days[::step]])
    fig.align_ylabels(axes)
    fig.tight_layout()
    names = " / ".join(labels[k] for k in ("paid_amount", *panels))
    return _render(fig, f"{names}: {days[0]} – {days[-1]}")


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
    theme.apply()
    names = [labels[0]] + [n for n, _ in parts] + [labels[1]]
    geo = bridge_bars(start, [v for _, v in parts], end)
    colors = [theme.MUTED, *((theme.GOOD if v >= 0 else theme.BAD) if convention != "market" else
                             (theme.BAD if v >= 0 else theme.GOOD) for _, v in parts), theme.INK]
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    x = np.arange(len(names))
    ax.bar(x, geo.heights, bottom=geo.bottoms, color=colors, width=0.6)
    for i, (b, h) in enumerate(zip(geo.bottoms, geo.heights)):
        v = start if i == 0 else end if i == len(names) - 1 else parts[i - 1][1]
        shown = formats.money(v, lang) if i in (0, len(names) - 1) else formats.signed_money(v, lang)
        ax.annotate(shown, (x[i], b + h), ha="center", va="bottom", fontsize=8, color=theme.INK,
                    xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    _money_axis(ax, lang)
    ax.set_ylim(*geo.ylim)
    alt = " → ".join(f"{n} {formats.money(v, lang)}" for n, v in [(labels[0], start), *parts, (labels[1], end)])
    if geo.broken:  # the axis does not start at 0: a break on it, and the words say so
        for dy in (0.0, 0.025):
            ax.plot([-0.015, 0.015], [0.02 + dy, 0.045 + dy], transform=ax.transAxes, color=theme.INK, lw=1,
                    clip_on=False)
        alt += " (" + ("纵轴不从0开始" if lang == "zh" else "the axis does not start at 0") + ")"
    return _render(fig, alt)


def heatmap(values: pd.DataFrame, lang: Lang, xlabel: str, ylabel: str) -> Chart:
    """Shares (0–1) as a heatmap, each cell labelled in %; a missing cell (a month not over yet) is blank."""
    theme.apply()
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(values) + 1.4))
    sns.heatmap(values.astype(float), annot=values.astype(float).map(lambda v: "" if v != v else f"{v * 100:.0f}%"),
                fmt="", cmap="Blues", vmin=0, vmax=max(0.05, float(np.nanmax(values.to_numpy(dtype=float))) if
                                                       values.notna().any().any() else 1.0),
                cbar=False, linewidths=0.5, linecolor="white", ax=ax, annot_kws={"fontsize": 7})
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return _render(fig, f"{ylabel} × {xlabel}")
