"""Report charts (seaborn), returned as :class:`Chart`: an embedded PNG that shows in a notebook and in HTML."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import matplotlib.pyplot as plt
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
    fig.savefig(buf, format="png")
    plt.close(fig)
    return Chart(buf.getvalue(), alt)


def daily_trend(series: pd.Series, report_day, lang: Lang, label: str, ma_label: str) -> Chart:
    """Bars of a daily money series, the report day in the accent colour, and its 7-day mean.

    ``series`` is indexed by date, oldest first.
    """
    theme.apply()
    df = pd.DataFrame({"day": list(series.index), "value": series.to_numpy(dtype=float)})
    df["tick"] = [f"{d.month}/{d.day}" for d in df.day]
    colors = [theme.ACCENT if d == report_day else theme.SERIES for d in df.day]
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    sns.barplot(data=df, x="tick", y="value", hue="tick", palette=colors, legend=False, ax=ax)
    ma = df.value.rolling(7, min_periods=1).mean()
    ax.plot(range(len(df)), ma, color=theme.INK, linewidth=1.5, label=ma_label)
    ax.set_xlabel("")
    ax.set_ylabel(label)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formats.money(v, lang)))
    ax.set_xticks(range(0, len(df), 3))
    ax.set_xticklabels(df.tick.iloc[::3])
    ax.legend(loc="upper left", frameon=False)
    return _render(fig, f"{label}: {df.tick.iloc[0]}–{df.tick.iloc[-1]}")
