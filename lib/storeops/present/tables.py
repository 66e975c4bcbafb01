"""Report tables as HTML: KPI table, data tables, action list, glossary, notes.

Every data string is HTML-escaped here, in one place; callers pass raw values.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from storeops.metrics.registry import Metric
from storeops.present import formats, mask
from storeops.present import palette
from storeops.present.i18n import Lang, text, worded


@dataclass(frozen=True)
class Html:
    """A piece of report HTML that displays itself in a notebook and in the exported page, and
    carries the tables it shows: ``section.data["by_source"]`` is the DataFrame behind that table,
    for an analyst's next cell (filter it, plot it with seaborn)."""

    html: str
    data: dict[str, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    def _repr_html_(self) -> str:
        return inline_colours(self.html)

    def __str__(self) -> str:
        return self.html

    def __add__(self, other: object) -> Html:
        more = other.data if isinstance(other, Html) else {}
        data = dict(self.data)
        for name, df in more.items():
            key, n = name, 2
            while key in data:  # the same table twice in one section: by_source, by_source_2
                key, n = f"{name}_{n}", n + 1
            data[key] = df
        return Html(self.html + str(other if not hasattr(other, "_repr_html_") else other._repr_html_()), data)


#: the report's colours as inline styles as well as classes: a notebook front end (JupyterLab) shows a
#: section's output without the report's stylesheet, and its sanitizer keeps an inline colour
INLINE = {"so-up": f"color:{palette.BAD}", "so-bad": f"color:{palette.BAD}", "so-down": f"color:{palette.GOOD}",
          "so-good": f"color:{palette.GOOD}", "so-ok": f"color:{palette.GOOD}", "so-flat": f"color:{palette.MUTED}",
          "so-flag": f"color:{palette.ACCENT};font-weight:600", "so-question": f"color:{palette.MUTED}",
          "so-count": f"background-color:{palette.ACCENT};color:#fff;padding:1px 6px;border-radius:10px",
          "so-banner": f"color:{palette.BAD};background-color:#fef2f2;padding:10px 12px;font-weight:600"}


def inline_colours(page: str) -> str:
    """``page`` with each element of a coloured class (:data:`INLINE`) carrying its colour inline."""
    def add(m: re.Match) -> str:
        styles = [INLINE[c] for c in m.group(1).split() if c in INLINE]
        return m.group(0) + (f' style="{";".join(styles)}"' if styles else "")

    return re.sub(r'class="([^"]*)"(?![^>]*\sstyle=)', add, page)


def esc(v: object) -> str:
    return html.escape("" if v is None else str(v))


def section(key: str, lang: Lang, anchor: str, kind: str = "daily") -> Html:
    """A section heading and the question it answers, from the catalog, as the review's kind words
    them (``<key>.question.weekly``, i18n.worded)."""
    return Html(f'<section id="{anchor}"><h2>{esc(worded(key + ".heading", kind, lang))}</h2>'
                f'<p class="so-question">{esc(worded(key + ".question", kind, lang))}</p></section>')


def prose(message: str) -> str:
    """A catalog sentence as HTML: escaped, and what it quotes in `backticks` (a command, a settings
    key, a file, a table name) set as code, apart from the words of the reader's language."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(message))


def note(message: str, kind: str = "") -> Html:
    """One line in a section: an empty table, a remark, a pacing sentence."""
    return Html(f'<p class="so-note {kind}">{prose(message)}</p>')


def subheading(title: str) -> Html:
    return Html(f"<h3>{esc(title)}</h3>")


def banner(message: str) -> Html:
    return Html(f'<div class="so-banner" role="alert">{prose(message)}</div>')


#: how changes are coloured: "market" — 红涨绿跌, red up and green down with ▲/▼, as 生意参谋 and
#: Chinese dashboards do (a Chinese reader takes green as "fell"); "outcome" — green when the change
#: is good for the store, red when it is bad. ``present.colours`` in store.yaml; by default market
#: in zh, outcome in en.
COLOURS = ("market", "outcome")


def colours(settings: dict, lang: Lang) -> str:
    """The colour convention of a report in ``lang`` under the store's ``present`` settings."""
    chosen = (settings.get("present") or {}).get("colours")
    if chosen is None:
        return "market" if lang == "zh" else "outcome"
    if chosen not in COLOURS:
        from storeops.errors import ConfigError

        raise ConfigError(f"present.colours must be one of {', '.join(COLOURS)}, not {chosen!r}")
    return chosen


def trend_class(change: float | None, up_is_good: bool | None, convention: str = "outcome") -> str:
    if change is None or abs(change) < 0.0005:
        return "so-flat"
    if convention == "market":
        return "so-up" if change > 0 else "so-down"
    if up_is_good is None:
        return "so-flat"
    return "so-good" if (change > 0) == up_is_good else "so-bad"


def trend(change: float | None, convention: str = "outcome") -> str:
    """A change as text: +4.1%, with ▲/▼ under the market convention (colour is never the only cue)."""
    if convention != "market" or change is None or abs(change) < 0.0005:
        return formats.change(change)
    return ("▲" if change > 0 else "▼") + formats.change(change)


def legend(convention: str, lang: Lang) -> Html:
    return note(text(f"legend.{convention}", lang), "so-legend")


KEY = 1


@dataclass(frozen=True)
class Col:
    """A data-table column: the frame's column, its header (catalog key, metric id, or ``#`` and the
    text itself), how to format it."""

    name: str
    header: str
    #: text | money | cents | cents_change | count | units | days | rate | ratio | seconds | hours | datetime | date | change | delta | int |
    #: product
    unit: str = "text"
    #: KEY: a column that matters most, shown right after the row's name so a phone shows it without
    #: scrolling (the replenishment table's status, suggested units, runs-out date); others follow in order
    priority: int = 2

    def label(self, lang: Lang) -> str:
        from storeops.metrics import registry

        if self.header.startswith("#"):  # a literal header: a month label, 2026-10
            return self.header[1:]
        if "." in self.header:  # a catalog key; otherwise a metric id
            return text(self.header, lang)
        return registry.get(self.header).label(lang)


def _cell(v: Any, unit: str, lang: Lang, how: Any = None) -> tuple[str, str]:
    """A cell's content and class; ``how``: the column's one way of writing its values (a money
    column's scale, a rate column's decimals: :func:`_how`)."""
    if unit == "money" and how is not None:
        return esc(formats.money(v, lang, scale=how)), "so-num"
    if unit == "rate" and how is not None:
        return esc(formats.pct(v, places=how)), "so-num"
    if unit == "text":  # phone numbers masked in any text shown: a net under the metrics' own masking
        return esc(mask.phones(v)) if not formats.missing(v) else formats.DASH, ""
    if unit == "hours":
        return (formats.DASH if formats.missing(v) else f"{float(v):.1f}"), "so-num"
    if unit == "datetime":
        return (formats.DASH if formats.missing(v) else esc(pd.Timestamp(v).strftime("%m-%d %H:%M"))), ""
    if unit == "date":
        return (formats.DASH if formats.missing(v) else esc(pd.Timestamp(v).strftime("%Y-%m-%d"))), ""
    if unit == "change":
        return formats.change(v), "so-num"
    if unit in ("cents", "cents_change"):  # to the cent, never scaled (a bridge the reader adds up by hand)
        shown = formats.money(v, lang, scale=(1.0, formats.digits(), ""))
        plus = "+" if unit == "cents_change" and not formats.missing(v) and float(v) > 0 else ""
        return esc(plus + shown), "so-num"
    if unit == "units":  # units to hold (safety stock, a reorder point): whole, rounded up
        return (formats.DASH if formats.missing(v) else f"{math.ceil(float(v) - 1e-9):,}"), "so-num"
    if unit == "days":  # days of cover: whole days, rounded down (what is left of a day is no day)
        return (formats.DASH if formats.missing(v) else f"{math.floor(float(v) + 1e-9):,}"), "so-num"
    if unit == "int":  # a whole number in full, as a ledger is reconciled (never 1.2万)
        return (formats.DASH if formats.missing(v) else f"{int(round(float(v))):,}".replace("-", "−")), "so-num"
    if unit == "delta":  # an absolute difference with its sign (a DSR score, units)
        return (formats.DASH if formats.missing(v) else f"{float(v):+.2f}".replace("-", "−")), "so-num"
    return esc(formats.value(v, unit, lang)), "so-num"


def product_name(r, lang: Lang, variant: bool = True) -> str:
    """Which product a row is, in words: its title, its own id (款号) where the data gives one apart
    from the title, and a SKU's colour and size (``variant``): two products with one title are two
    names. ``r`` is a row (title, product_id, color, size; any may be absent).

    >>> product_name({"title": "修身休闲裤", "product_id": "P012", "color": "黑色", "size": "XL"}, "zh")
    '修身休闲裤（P012）黑色/XL'
    """
    def given(k):
        v = r.get(k)
        return None if formats.missing(v) or v == "" else str(v)

    title, pid = given("title"), given("product_id")
    out = title or pid or formats.DASH
    if pid and title and pid != title and not pid.startswith("#"):  # "#…": the metrics' own rows (no SKU)
        out += f"（{pid}）" if lang == "zh" else f" ({pid})"
    shade = "/".join(v for v in (given("color"), given("size")) if v) if variant else ""
    return out + ((" " if lang == "en" else "") + shade if shade else "")


def data_table(name: str, df: pd.DataFrame, cols: Sequence[Col], lang: Lang, *,
               row_class: pd.Series | None = None, css: str = "") -> Html:
    """A frame as a scrollable table, formatted per column; ``row_class`` marks rows (e.g. below
    break-even). The frame rides along as ``.data[name]``. A column of unit ``product`` names the
    row's product (:func:`product_name`; its colour and size too, unless the table has their own
    columns). The row's name stays first, then the columns of :data:`KEY` priority, then the rest."""
    cols = [*cols[:1], *sorted(cols[1:], key=lambda c: c.priority)]
    head = "".join(f'<th class="{_align(c)}"{_rank(c)}>{esc(c.label(lang))}</th>' for c in cols)
    variant = not any(c.name in ("color", "size") for c in cols)
    how = {c.name: _how(df, c, lang) for c in cols}
    body = []
    for i, (_, r) in enumerate(df.iterrows()):
        cells = []
        for c in cols:
            if c.unit == "product":
                content, cls = esc(product_name(r, lang, variant)), "so-wrap"
            else:
                content, cls = _cell(r.get(c.name), c.unit, lang, how[c.name])
            cells.append(f'<td class="{cls}">{content}</td>')
        rc = f' class="{row_class.iloc[i]}"' if row_class is not None and row_class.iloc[i] else ""
        body.append(f"<tr{rc}>{''.join(cells)}</tr>")
    return Html(f'<div class="so-scroll"><table class="so-table {css}"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>', {name: _masked(df)})


def _align(c: Col) -> str:
    return "" if c.unit in ("text", "datetime", "date") else "so-wrap" if c.unit == "product" else "so-num"


def _rank(c: Col) -> str:
    return f' data-priority="{c.priority}"' if c.priority == KEY else ""


def _how(df: pd.DataFrame, c: Col, lang: Lang) -> Any:
    """One way to write a column's values, chosen once from all of them: a money column's scale
    (¥0.39万 beside ¥2.80万, never ¥3,869.79 beside ¥2.8万), a rate column's decimals."""
    if c.name not in df.columns:
        return None
    if c.unit == "money":
        return formats.scale_of(df[c.name], lang)
    if c.unit == "rate":
        return formats.pct_places(df[c.name])
    return None


def _masked(df: pd.DataFrame) -> pd.DataFrame:
    """The frame as ``.data`` carries it: its text masked as the cells are (phone numbers)."""
    out = df.reset_index(drop=True)
    for c in out.columns:
        if pd.api.types.is_object_dtype(out[c]) or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: mask.phones(v) if isinstance(v, str) else v)
    return out


@dataclass(frozen=True)
class KpiRow:
    metric: Metric
    value: object
    changes: tuple[float | None, ...]  # against each comparison of the review (reviews.compare)
    target: float | None = None
    attainment: float | None = None
    flag: str | None = None


def kpi_table(rows: Sequence[KpiRow], lang: Lang, period_kind: str = "day", convention: str = "outcome",
              held: dict[str, int] | None = None, compared: Sequence[str] | None = None) -> Html:
    """Value, target attainment, its changes against the period's comparisons (环比, 同比, …), target.
    ``held``: {comparison key: n} for a mean over fewer periods than its heading names (近4周均值（2周）).
    On a phone the name, value and attainment show first: an anomaly flag sits under the KPI's name,
    which stays in view as the row scrolls; a review with no targets has no target columns.
    ``compared``: the comparisons' keys where they are not the period kind's (the pace check's like days)."""
    from storeops.reviews import compare

    targeted = any(r.target for r in rows)
    compared = list(compared or compare.keys(period_kind))
    keys = ("col.metric", "col.value", *(["col.attainment"] if targeted else []),
            *(f"cmp.{period_kind}.{k}" for k in compared), *(["col.target"] if targeted else []))
    held = {f"cmp.{period_kind}.{k}": n for k, n in (held or {}).items()}
    head = "".join(f"<th>{esc(text(k, lang) + (text(f'cmp.held.{period_kind}', lang, n=held[k]) if k in held else ''))}</th>"
                   for k in keys)
    body = []
    for r in rows:
        m = r.metric
        flag = f'<span class="so-flag">{esc(text(f"flag.{r.flag}", lang))}</span>' if r.flag else ""
        cells = [
            f'<th scope="row">{esc(m.label(lang))}{flag}</th>',
            f'<td class="so-num">{esc(formats.value(r.value, m.unit, lang))}</td>',
            *([f'<td class="so-num">{formats.pct(r.attainment)}</td>'] if targeted else []),
            *(f'<td class="so-num {trend_class(c, m.up_is_good, convention)}">{trend(c, convention)}</td>'
              for c in r.changes),
            *([f'<td class="so-num">{esc(formats.money(r.target, lang) if r.target else formats.DASH)}</td>']
              if targeted else []),
        ]
        cls = ' class="so-anomaly"' if r.flag else ""
        body.append(f'<tr data-metric="{esc(m.id)}"{cls}>{"".join(cells)}</tr>')
    data = pd.DataFrame([{"metric": r.metric.id, "value": None if r.value is None else float(r.value),
                          **dict(zip(compared, r.changes)), "target": r.target,
                          "attainment": r.attainment, "flag": r.flag} for r in rows])
    return Html(f'<div class="so-scroll"><table class="so-table so-kpis"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>', {"kpis": data})


@dataclass(frozen=True)
class Action:
    key: str  # catalog key under actions.
    count: int
    anchor: str
    top: str = ""


def action_list(actions: Sequence[Action], lang: Lang, kind: str = "daily", page: str | None = "") -> Html:
    """今日待办: each item with its count, its most pressing rows, and a link to its section: on this
    page, or on ``page`` (a store's own review, from the group's); None: no link (nowhere to go)."""
    due = [a for a in actions if a.count]
    if not due:
        return note(worded("actions.none", kind, lang), "so-ok")

    def item(a: Action) -> str:
        body = f'<span class="so-count">{a.count}</span> {prose(text("actions." + a.key, lang))}'
        if page is not None:
            body = f'<a href="{esc(page)}#{a.anchor}">{body}</a>'
        return f"<li>{body}" + (f'<span class="so-top">{esc(mask.phones(a.top))}</span>' if a.top else "") + "</li>"

    items = "".join(item(a) for a in due)
    return Html(f'<ul class="so-actions">{items}</ul>')


def glossary(metrics: Iterable[Metric], lang: Lang) -> Html:
    """Each shown metric with its definition, so a reader can check any figure by hand."""
    rows = "".join(f'<tr><th scope="row">{esc(m.label(lang))}</th><td>{esc(m.formula(lang))}</td></tr>'
                   for m in metrics)
    head = f"<th>{esc(text('col.metric', lang))}</th><th>{esc(text('col.formula', lang))}</th>"
    return Html(f'<div class="so-scroll"><table class="so-table so-glossary"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")
