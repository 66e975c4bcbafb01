"""Report tables as HTML: KPI table, glossary, section headings. Every data string is escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storeops.metrics.registry import Metric
from storeops.present import formats
from storeops.present.i18n import Lang, text


@dataclass(frozen=True)
class Html:
    """A piece of report HTML that displays itself in a notebook and in the exported page."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def section(key: str, lang: Lang, anchor: str) -> Html:
    """A section heading and the question it answers, from the catalog."""
    return Html(f'<h2 id="{anchor}">{html.escape(text(key + ".heading", lang))}</h2>'
                f'<p class="so-question">{html.escape(text(key + ".question", lang))}</p>')


def _trend_class(change: float | None, up_is_good: bool | None) -> str:
    if change is None or up_is_good is None or abs(change) < 0.0005:
        return "so-flat"
    return "so-good" if (change > 0) == up_is_good else "so-bad"


@dataclass(frozen=True)
class KpiRow:
    metric: Metric
    value: object
    dod: float | None
    wow: float | None
    target: float | None = None
    attainment: float | None = None


def kpi_table(rows: Sequence[KpiRow], lang: Lang) -> Html:
    """Value, 环比, 同比 and target per metric; changes coloured by whether up is good."""
    head = "".join(f"<th>{html.escape(text(k, lang))}</th>" for k in
                   ("col.metric", "col.value", "col.dod", "col.wow", "col.target", "col.attainment"))
    body = []
    for r in rows:
        m = r.metric
        cells = [
            f'<th scope="row">{html.escape(m.label(lang))}</th>',
            f'<td class="so-num">{html.escape(formats.value(r.value, m.unit, lang))}</td>',
            f'<td class="so-num {_trend_class(r.dod, m.up_is_good)}">{formats.change(r.dod)}</td>',
            f'<td class="so-num {_trend_class(r.wow, m.up_is_good)}">{formats.change(r.wow)}</td>',
            f'<td class="so-num">{html.escape(formats.money(r.target, lang) if r.target else formats.DASH)}</td>',
            f'<td class="so-num">{formats.pct(r.attainment)}</td>',
        ]
        body.append(f'<tr data-metric="{html.escape(m.id)}">{"".join(cells)}</tr>')
    return Html(f'<div class="so-scroll"><table class="so-table so-kpis"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>')


def glossary(metrics: Iterable[Metric], lang: Lang) -> Html:
    """Each shown metric with its definition, so a reader can check any figure by hand."""
    rows = "".join(
        f'<tr><th scope="row">{html.escape(m.label(lang))}</th><td>{html.escape(m.formula(lang))}</td></tr>'
        for m in metrics
    )
    head = f"<th>{html.escape(text('col.metric', lang))}</th><th>{html.escape(text('col.formula', lang))}</th>"
    return Html(f'<div class="so-scroll"><table class="so-table so-glossary"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")
