"""Report tables as HTML: KPI table, data tables, action list, glossary, notes.

Every data string is HTML-escaped here, in one place; callers pass raw values.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from storeops.metrics.registry import Metric
from storeops.present import formats, mask
from storeops.present.i18n import Lang, text


@dataclass(frozen=True)
class Html:
    """A piece of report HTML that displays itself in a notebook and in the exported page."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __add__(self, other: object) -> Html:
        return Html(self.html + str(other if not hasattr(other, "_repr_html_") else other._repr_html_()))


def esc(v: object) -> str:
    return html.escape("" if v is None else str(v))


def section(key: str, lang: Lang, anchor: str, kind: str = "daily") -> Html:
    """A section heading and the question it answers, from the catalog: ``<key>.heading.<kind>`` and
    ``<key>.question.<kind>`` where a review kind words them its own way (a week is not "yesterday"),
    else ``<key>.heading`` and ``<key>.question``."""
    from storeops.present.i18n import CATALOG

    q = f"{key}.question.{kind}" if f"{key}.question.{kind}" in CATALOG else f"{key}.question"
    h = f"{key}.heading.{kind}" if f"{key}.heading.{kind}" in CATALOG else f"{key}.heading"
    return Html(f'<section id="{anchor}"><h2>{esc(text(h, lang))}</h2>'
                f'<p class="so-question">{esc(text(q, lang))}</p></section>')


def note(message: str, kind: str = "") -> Html:
    """One line in a section: an empty table, a remark, a pacing sentence."""
    return Html(f'<p class="so-note {kind}">{esc(message)}</p>')


def subheading(title: str) -> Html:
    return Html(f"<h3>{esc(title)}</h3>")


def banner(message: str) -> Html:
    return Html(f'<div class="so-banner" role="alert">{esc(message)}</div>')


def trend_class(change: float | None, up_is_good: bool | None) -> str:
    if change is None or up_is_good is None or abs(change) < 0.0005:
        return "so-flat"
    return "so-good" if (change > 0) == up_is_good else "so-bad"


@dataclass(frozen=True)
class Col:
    """A data-table column: the frame's column, its header (catalog key or metric), how to format it."""

    name: str
    header: str
    unit: str = "text"  # text | money | count | rate | ratio | seconds | hours | datetime

    def label(self, lang: Lang) -> str:
        from storeops.metrics import registry

        if "." in self.header:  # a catalog key; otherwise a metric id
            return text(self.header, lang)
        return registry.get(self.header).label(lang)


def _cell(v: Any, unit: str, lang: Lang) -> tuple[str, str]:
    if unit == "text":  # phone numbers masked in any text shown: a net under the metrics' own masking
        return esc(mask.phones(v)) if not formats.missing(v) else formats.DASH, ""
    if unit == "hours":
        return (formats.DASH if formats.missing(v) else f"{float(v):.1f}"), "so-num"
    if unit == "datetime":
        return (formats.DASH if formats.missing(v) else esc(pd.Timestamp(v).strftime("%m-%d %H:%M"))), ""
    return esc(formats.value(v, unit, lang)), "so-num"


def data_table(df: pd.DataFrame, cols: Sequence[Col], lang: Lang, *, row_class: pd.Series | None = None,
               css: str = "") -> Html:
    """A frame as a scrollable table, formatted per column; ``row_class`` marks rows (e.g. below break-even)."""
    head = "".join(f'<th class="{"so-num" if c.unit not in ("text", "datetime") else ""}">{esc(c.label(lang))}</th>'
                   for c in cols)
    body = []
    for i, (_, r) in enumerate(df.iterrows()):
        cells = []
        for c in cols:
            content, cls = _cell(r.get(c.name), c.unit, lang)
            cells.append(f'<td class="{cls}">{content}</td>')
        rc = f' class="{row_class.iloc[i]}"' if row_class is not None and row_class.iloc[i] else ""
        body.append(f"<tr{rc}>{''.join(cells)}</tr>")
    return Html(f'<div class="so-scroll"><table class="so-table {css}"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>')


@dataclass(frozen=True)
class KpiRow:
    metric: Metric
    value: object
    changes: tuple[float | None, ...]  # against each comparison of the review (reviews.compare)
    target: float | None = None
    attainment: float | None = None
    flag: str | None = None


def kpi_table(rows: Sequence[KpiRow], lang: Lang, period_kind: str = "day") -> Html:
    """Value, its changes against the period's comparisons (环比, 同比, …), target and attainment, flag."""
    from storeops.reviews import compare

    keys = ("col.metric", "col.value", *(f"cmp.{period_kind}.{k}" for k in compare.keys(period_kind)),
            "col.target", "col.attainment", "col.flag")
    head = "".join(f"<th>{esc(text(k, lang))}</th>" for k in keys)
    body = []
    for r in rows:
        m = r.metric
        flag = text(f"flag.{r.flag}", lang) if r.flag else ""
        cells = [
            f'<th scope="row">{esc(m.label(lang))}</th>',
            f'<td class="so-num">{esc(formats.value(r.value, m.unit, lang))}</td>',
            *(f'<td class="so-num {trend_class(c, m.up_is_good)}">{formats.change(c)}</td>' for c in r.changes),
            f'<td class="so-num">{esc(formats.money(r.target, lang) if r.target else formats.DASH)}</td>',
            f'<td class="so-num">{formats.pct(r.attainment)}</td>',
            f'<td class="so-flag">{esc(flag)}</td>',
        ]
        cls = ' class="so-anomaly"' if r.flag else ""
        body.append(f'<tr data-metric="{esc(m.id)}"{cls}>{"".join(cells)}</tr>')
    return Html(f'<div class="so-scroll"><table class="so-table so-kpis"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>')


@dataclass(frozen=True)
class Action:
    key: str  # catalog key under actions.
    count: int
    anchor: str
    top: str = ""


def action_list(actions: Sequence[Action], lang: Lang) -> Html:
    """今日待办: each item with its count, its most pressing rows, and a link to its section."""
    due = [a for a in actions if a.count]
    if not due:
        return note(text("actions.none", lang), "so-ok")
    items = "".join(
        f'<li><a href="#{a.anchor}"><span class="so-count">{a.count}</span> {esc(text("actions." + a.key, lang))}</a>'
        + (f'<span class="so-top">{esc(mask.phones(a.top))}</span>' if a.top else "") + "</li>"
        for a in due
    )
    return Html(f'<ul class="so-actions">{items}</ul>')


def glossary(metrics: Iterable[Metric], lang: Lang) -> Html:
    """Each shown metric with its definition, so a reader can check any figure by hand."""
    rows = "".join(f'<tr><th scope="row">{esc(m.label(lang))}</th><td>{esc(m.formula(lang))}</td></tr>'
                   for m in metrics)
    head = f"<th>{esc(text('col.metric', lang))}</th><th>{esc(text('col.formula', lang))}</th>"
    return Html(f'<div class="so-scroll"><table class="so-table so-glossary"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")
