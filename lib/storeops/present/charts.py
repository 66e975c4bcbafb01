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
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formats.money(v, lang)))


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


def waterfall(start: float, parts: list[tuple[str, float]], end: float, labels: tuple[str, str],
              lang: Lang, convention: str = "outcome") -> Chart:
    """A bridge from ``start`` to ``end`` through signed ``parts`` (which add up to end − start); a
    part that adds is green, one that takes away red — the other way round under the market
    convention (红涨绿跌, present.tables.colours)."""
    theme.apply()
    names = [labels[0]] + [n for n, _ in parts] + [labels[1]]
    bottoms, heights, colors = [0.0], [start], [theme.MUTED]
    level = start
    for _, v in parts:
        bottoms.append(level if v >= 0 else level + v)
        heights.append(abs(v))
        colors.append((theme.GOOD if v >= 0 else theme.BAD) if convention != "market" else
                      (theme.BAD if v >= 0 else theme.GOOD))
        level += v
    bottoms.append(0.0)
    heights.append(end)
    colors.append(theme.INK)
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    x = np.arange(len(names))
    ax.bar(x, heights, bottom=bottoms, color=colors, width=0.6)
    for i, (b, h) in enumerate(zip(bottoms, heights)):
        v = h if i in (0, len(names) - 1) else parts[i - 1][1]
        sign = "" if i in (0, len(names) - 1) else ("+" if v >= 0 else "-")
        ax.annotate(sign + formats.money(abs(v), lang), (x[i], b + h), ha="center", va="bottom", fontsize=8,
                    color=theme.INK, xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    _money_axis(ax, lang)
    lo = min(min(b for b in bottoms[1:-1]), start, end) if parts else 0
    ax.set_ylim(max(0, lo - (max(start, end) - lo) * 0.6), max(b + h for b, h in zip(bottoms, heights)) * 1.12)
    return _render(fig, " → ".join(f"{n} {formats.money(v, lang)}" for n, v in
                                   [(labels[0], start), *parts, (labels[1], end)]))


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
