"""reports/index.html: every published report by kind and date, newest first, with its headline figures.

Built from the summary.json files beside the reports, so it needs no database
and can be rebuilt at any time (``storeops index``).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

from storeops.config import Config
from storeops.metrics import registry
from storeops.present.tables import Col
from storeops.present import formats
from storeops.present.i18n import text
from storeops.publish import files, summary
from storeops.publish.export import TEMPLATES

#: figures shown per report in the archive
#: the figures each report's row shows (a review's sales; the replenishment table's order)
HEADLINE = tuple(Col(m, m, registry.get(m).unit) for m in ("paid_amount", "uv", "conversion", "atv", "attainment"))
HEADLINES = {"replenishment": (Col("skus_reorder", "actions.replenish_reorder", "count"),
                               Col("suggested_qty", "suggested_qty", "count"),
                               Col("order_value", "col.order_value", "money"))}
KINDS = ("group-daily", "group-weekly", "group-monthly", "daily", "weekly", "replenishment", "monthly")


@dataclass(frozen=True)
class Entry:
    kind: str
    start: str
    end: str
    lang: str
    html: Path
    metrics: dict


def entries(reports_dir: Path) -> list[Entry]:
    """Every published report (an HTML with its summary beside it), newest first."""
    out = []
    for s in reports_dir.glob(f"*/*/*{summary.SUFFIX}"):
        page = summary.report_of(s)
        if not page.is_file():
            continue  # a failed run leaves no HTML: nothing to list
        try:
            d = summary.read(s)
        except ValueError:
            continue
        if d.get("kind") == "pace":  # hourly snapshots of a day: the archive links the latest (build)
            continue
        out.append(Entry(d["kind"], d["period"]["start"], d["period"]["end"], d.get("lang", ""), page,
                         d.get("metrics", {})))
    return sorted(out, key=lambda e: (e.kind, e.end, e.lang), reverse=True)


def build(cfg: Config) -> Path:
    """Write reports/index.html and return its path."""
    lang = cfg.language
    rows_by_kind: dict[str, list[str]] = {}
    for e in entries(cfg.reports_dir):
        rel = os.path.relpath(e.html, cfg.reports_dir)
        period = e.end if e.start == e.end else f"{e.start} – {e.end}"
        cells = "".join(f'<td class="so-num">{html.escape(formats.value(e.metrics.get(c.name), c.unit, lang))}</td>'
                        for c in HEADLINES.get(e.kind, HEADLINE))
        rows_by_kind.setdefault(e.kind, []).append(
            f'<tr><th scope="row"><a href="{html.escape(rel)}">{html.escape(period)}</a></th>'
            f"<td>{html.escape(e.lang)}</td>{cells}</tr>")
    period_h, lang_h = ("日期", "语言") if lang == "zh" else ("Period", "Language")
    sections = []
    for kind in sorted(rows_by_kind, key=lambda k: KINDS.index(k) if k in KINDS else 99):
        label = text(f"{kind}.kind", lang) if kind in KINDS else kind
        head = "".join(f'<th class="so-num">{html.escape(c.label(lang))}</th>' for c in HEADLINES.get(kind, HEADLINE))
        sections.append(
            f'<section id="{html.escape(kind)}"><h2>{html.escape(label)}</h2><div class="so-scroll">'
            f'<table class="so-table"><thead><tr><th>{period_h}</th><th>{lang_h}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows_by_kind[kind])}</tbody></table></div></section>')
    if (cfg.reports_dir / "pace" / "latest.html").is_file():
        sections.insert(0, f'<p class="so-note"><a href="pace/latest.html">{html.escape(text("pace.latest", lang))}</a></p>')
    stores = [m.cfg for m in getattr(cfg, "members", ())]  # a group's archive links each store's
    if stores:
        links = "".join(f'<li><a href="{html.escape(os.path.relpath(s.reports_dir / "index.html", cfg.reports_dir))}">'
                        f"{html.escape(s.name(lang))}</a></li>" for s in stores)
        sections.append(f'<section id="stores"><h2>{html.escape(text("archive.stores", lang))}</h2>'
                        f'<ul class="so-links">{links}</ul></section>')
    title = f"{cfg.name(lang)} · {'报表归档' if lang == 'zh' else 'Report archive'}"
    empty = "还没有已发布的报表。" if lang == "zh" else "No report has been published yet."
    css = (TEMPLATES / "storeops" / "report.css").read_text(encoding="utf-8")
    page = (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
            f'<style>{css}</style></head><body><main class="so-report"><header class="so-header">'
            f"<h1>{html.escape(title)}</h1></header>"
            f'{"".join(sections) or f"<p class=so-note>{empty}</p>"}</main></body></html>')
    cfg.reports_dir.mkdir(parents=True, exist_ok=True)
    path = cfg.reports_dir / "index.html"
    files.write(path, page)
    return path
