"""The group review's sections: the group's total against its comparisons and target, every store
side by side, the change by store and platform, the stores' action lists in one, and in the monthly
the plan by store and the online share. Each returns HTML and records what it shows (ctx.show), as
a store review's sections do (reviews.sections)."""

from __future__ import annotations

import os

import pandas as pd

from storeops.group.context import GroupContext, Store, months
from storeops.metrics import bridge as _bridge
from storeops.metrics import group as _g
from storeops.metrics import plan, registry
from storeops.present import formats, tables
from storeops.present.i18n import CATALOG, text
from storeops.present.tables import Col, Html
from storeops.publish import summary as _summary
from storeops.reviews import compare
from storeops.reviews.actions import _actions as store_actions  # a store's items as its review lists them, once
from storeops.reviews.context import _listed

TOP_ITEMS = 3  # action items shown per store


def _section(ctx: GroupContext, key: str) -> Html:
    return tables.section(f"group.{key}", ctx.lang, key, ctx.kind)


def _name(s: Store, lang: str) -> str:
    return s.cfg.name(lang)


def _platform(s: Store, lang: str) -> str:
    """The platform as a reader names it (天猫, JD …); one the catalog does not know as settings give it."""
    key = f"platform.{s.member.platform.lower()}"
    return text(key, lang) if key in CATALOG else s.member.platform


def header(ctx: GroupContext) -> Html:
    p, lang = ctx.period, ctx.lang
    title = text(f"{ctx.kind}.title", lang, store=ctx.cfg.name(lang), date=p.label)
    zones = ("、" if lang == "zh" else ", ").join(f"{_name(s, lang)} ({s.cfg.timezone})" for s in ctx.stores)
    rates = [f"1 {s.cfg.currency} = {ctx.rate(s, q)} {ctx.cfg.currency}" + (f" ({q.start:%Y-%m})" if len(months(p)) > 1
                                                                            else "")
             for s in ctx.included if s.cfg.currency != ctx.cfg.currency for q in months(p)]
    sub = text("group.subtitle", lang, start=p.start.isoformat(), end=p.end.isoformat(), stores=zones,
               currency=ctx.cfg.currency,
               rates=text("group.rates", lang, rates="; ".join(dict.fromkeys(rates))) if rates else "")
    banner = Html("")
    for s in ctx.left_out:
        banner += tables.banner(text("group.left_out", lang, store=_name(s, lang), date=p.label,
                                     tables=_listed(s.missing, p, lang)))
    return Html(f'<header class="so-header"><h1>{tables.esc(title)}</h1><p class="so-sub">{tables.esc(sub)}</p>'
                f"{banner}</header>")


def overview(ctx: GroupContext) -> Html:
    """概述: the group's paid amount and how it moved, the target, the store that moved it most."""
    lang, p = ctx.lang, ctx.period
    now = ctx.values(p)
    head = ctx.headline()
    basis = compare.HEADLINE[p.kind]
    paid = formats.money(now["paid_amount"], lang)
    parts = [text("overview.sales_only", lang, paid=tables.esc(paid))]
    if head is not None:
        change = formats.relative_change(now["paid_amount"], ctx.values(head)["paid_amount"])
        parts = [text("overview.sales", lang, paid=tables.esc(paid), basis=tables.esc(text(f"cmp.{p.kind}.{basis}", lang)),
                      change=tables.trend(change, ctx.colours))]
        rows = _bridge_rows(ctx, head)
        if rows:
            top = max(rows, key=lambda r: abs(r["change"]))
            parts.append(tables.esc(text("group.overview.top", lang, store=top["name"],
                                         amount=formats.signed_money(top["change"], lang))))
    if ctx.target:
        parts.append(text("overview.target", lang, attainment=formats.pct(plan.attainment(now["paid_amount"],
                                                                                          float(ctx.target)))))
    busy = [s for s in ctx.included if any(a.count for a in store_actions(s.ctx))]
    parts.append(tables.esc(text("group.overview.todo", lang, stores=("、" if lang == "zh" else ", ").join(
        _name(s, lang) for s in busy))) if busy else tables.esc(text("overview.nothing", lang)))
    return _section(ctx, "overview") + Html(f'<p class="so-overview">{" ".join(parts)}</p>')


def kpis(ctx: GroupContext) -> Html:
    """集团核心指标: the group's figures with 环比, 同比, the mean of like periods, and its target."""
    p = ctx.period
    now = ctx.values(p)
    bases = compare.keys(p.kind)
    changes = compare.changes(p, ctx.values, _g.KPI_IDS, bases=ctx.bases())
    rows, notes = [], []
    for mid in _g.KPI_IDS:
        v = now.get(mid)
        if v is None:
            rows.append(tables.KpiRow(registry.get(mid), None, (None,) * len(bases)))
            lacking = ctx.untracked(mid)
            if lacking:
                notes.append(text("group.untracked", ctx.lang, metric=registry.get(mid).label(ctx.lang),
                                  stores=", ".join(_name(s, ctx.lang) for s in lacking)))
            continue
        row = tables.KpiRow(registry.get(mid), v, tuple(changes[b][mid] for b in bases))
        ctx.show(mid, v)
        for b in bases:
            ctx.comparisons.setdefault(b, {})[mid] = changes[b][mid]
        if mid == "paid_amount" and ctx.target:
            att = plan.attainment(v, float(ctx.target))
            row = tables.KpiRow(row.metric, v, row.changes, float(ctx.target), att)
            ctx.show("target", ctx.target)
            ctx.show("attainment", att)
        rows.append(row)
    ctx.explain("group_total")
    out = _section(ctx, "kpis") + tables.kpi_table(rows, ctx.lang, p.kind, ctx.colours, compare.short(p, ctx.bases()))
    for n in notes:
        out += tables.note(n, "so-gap")
    if not all(ctx.bases().values()):
        out += tables.note(text("group.not_covered", ctx.lang))
    return out + tables.legend(ctx.colours, ctx.lang)


STORE_COLS = [Col("name", "col.store"), Col("paid_amount", "paid_amount", "money", tables.KEY),
              Col("store_share", "store_share", "rate", tables.KEY), Col("change", "group.col.change", "change"),
              Col("local", "group.col.local"), Col("platform", "group.col.platform"),
              Col("paid_orders", "paid_orders", "count"), Col("uv", "uv", "count"),
              Col("conversion", "conversion", "rate"), Col("atv", "atv", "money"), Col("ad_cost", "ad_cost", "money"),
              Col("store_roas", "store_roas", "ratio"), Col("refund_rate", "refund_rate", "rate"),
              Col("attainment", "attainment", "rate")]


def stores(ctx: GroupContext) -> Html:
    """各店对比: every store's figures in the reporting currency, its share of the group, its change."""
    p, lang = ctx.period, ctx.lang
    head = ctx.headline()
    total = ctx.values(p)
    rows = []
    for s in ctx.included:
        v = ctx.store_values(s, p)
        before = ctx.store_values(s, head)["paid_amount"] if head is not None else None
        tgt = ctx.store_target(s, p)
        local = ctx.local(s, p)["paid_amount"]
        rows.append({"store": s.key, "name": _name(s, lang), "platform": _platform(s, lang), "currency": s.cfg.currency,
                     **{k: v.get(k) for k in ("paid_amount", "paid_orders", "uv", "conversion", "atv", "ad_cost",
                                              "store_roas", "refund_rate")},
                     "paid_amount_local": local,  # in its own currency, where that is not the group's
                     "local": formats.money(local, lang, s.cfg.currency) if s.cfg.currency != ctx.cfg.currency else "",
                     "store_share": _g.share(v["paid_amount"], total["paid_amount"]),
                     "change": formats.relative_change(v["paid_amount"], before),
                     "target": tgt, "attainment": plan.attainment(v["paid_amount"], float(tgt) if tgt else None)})
    group = {"store": "", "name": text("group.total", lang), "platform": "", "local": "",
             **{k: total.get(k) for k in ("paid_amount", "paid_orders", "uv", "conversion", "atv", "ad_cost",
                                          "store_roas", "refund_rate")},
             "store_share": 1.0 if total["paid_amount"] else None,
             "change": formats.relative_change(total["paid_amount"], ctx.values(head)["paid_amount"] if head else None),
             "attainment": plan.attainment(total["paid_amount"], float(ctx.target) if ctx.target else None)}
    for m in ("store_share", "paid_amount", "conversion", "atv", "store_roas", "refund_rate"):
        ctx.explain(m)
    ctx.lists["stores"] = [{k: r[k] for k in ("store", "name", "currency", "paid_amount", "paid_amount_local",
                                              "store_share", "paid_orders", "uv", "ad_cost", "target", "attainment")}
                           for r in rows]
    df = pd.DataFrame([*rows, group])
    cols = [c for c in STORE_COLS if c.name != "local" or any(s.cfg.currency != ctx.cfg.currency for s in ctx.included)]
    cls = pd.Series([""] * len(rows) + ["so-total"])
    basis = text(f"cmp.{p.kind}.{compare.HEADLINE[p.kind]}", lang)
    return (_section(ctx, "stores") + tables.data_table("stores", df, cols, lang, row_class=cls)
            + tables.note(text("group.stores_note", lang, basis=basis, currency=ctx.cfg.currency)))


def _bridge_rows(ctx: GroupContext, head) -> list[dict]:
    """Per store: its change of paid amount against ``head`` in the reporting currency, split into
    visitors, conversion, spend per buyer and the exchange rate (metrics.group.bridge_row)."""
    key = ("bridge", head.start, head.end)
    if key in ctx.computed:
        return ctx.computed[key]
    rows = []
    for s in ctx.included:
        now, before = ctx.store_values(s, ctx.period), ctx.store_values(s, head)
        lb, ln = ctx.local(s, head), ctx.local(s, ctx.period)
        rate_before = ctx.rate(s, head) if len(months(head)) == 1 else \
            _g.rate_of(before["paid_amount"], lb["paid_amount"], ctx.rate(s, months(head)[-1]))
        at_old = _g.money(ln["paid_amount"], rate_before)
        parts = _bridge.gmv_bridge(lb, ln) if s.ctx.tracks("buyers", "traffic") else None
        rows.append({"store": s.key, "name": _name(s, ctx.lang), "platform": _platform(s, ctx.lang),
                     **_g.bridge_row(before["paid_amount"], now["paid_amount"], at_old, rate_before, parts)})
    ctx.computed[key] = rows
    return rows


#: to the cent, as the note says: a reader adds the parts up by hand
BRIDGE_COLS = [Col("name", "col.store"), Col("before", "group.col.before", "cents"),
               Col("after", "group.col.after", "cents"), Col("change", "group.col.delta", "cents_change", tables.KEY),
               Col("bridge_uv", "bridge_uv", "cents"), Col("bridge_conversion", "bridge_conversion", "cents"),
               Col("bridge_atv", "bridge_atv", "cents"), Col("bridge_rate", "bridge_rate", "cents")]


def bridge(ctx: GroupContext) -> Html:
    """集团变化拆解: the change of the group's paid amount by store and by platform, to the cent."""
    lang = ctx.lang
    head = ctx.headline()
    if head is None:
        return _section(ctx, "bridge") + tables.note(text("group.not_covered", lang))
    rows = _bridge_rows(ctx, head)
    total = {"name": text("group.total", lang), **_g.add_rows(rows)}
    by_platform = []
    for platform in dict.fromkeys(r["platform"] for r in rows):
        mine = [r for r in rows if r["platform"] == platform]
        by_platform.append({"name": platform, **_g.add_rows(mine)})
    cols = [c for c in BRIDGE_COLS if c.name != "bridge_rate" or any(r["bridge_rate"] for r in rows)]
    for c in cols[4:]:
        ctx.explain(c.name)
    ctx.show("group_change", total["change"], "group_total")
    ctx.lists["bridge"] = [{k: r.get(k) for k in ("store", "platform", "before", "after", "change", "bridge_uv",
                                                  "bridge_conversion", "bridge_atv", "bridge_rate")} for r in rows]
    cls = pd.Series([""] * len(rows) + ["so-total"])
    basis = text(f"cmp.{ctx.period.kind}.{compare.HEADLINE[ctx.period.kind]}", lang)
    out = (_section(ctx, "bridge") + tables.note(text("group.bridge_basis", lang, basis=basis, period=head.label))
           + tables.data_table("bridge", pd.DataFrame([*rows, total]), cols, lang, row_class=cls))
    if len(by_platform) > 1:
        out += (tables.subheading(text("group.by_platform", lang))
                + tables.data_table("platforms", pd.DataFrame([*by_platform, total]),
                                    [Col("name", "group.col.platform"), *cols[1:]], lang,
                                    row_class=pd.Series([""] * len(by_platform) + ["so-total"])))
    return out


def _report_link(ctx: GroupContext, s: Store) -> str | None:
    """The store's own review of the period, relative to this report, if it is published."""
    year = int(ctx.period.label[:4])
    mine = _summary.outputs(ctx.cfg, ctx.kind, ctx.period.label, year, ctx.lang)[0]
    theirs = _summary.outputs(s.cfg, ctx.base, ctx.period.label, year, ctx.lang)[0]
    if not theirs.is_file() and ctx.lang != s.cfg.language:  # the store's language, if not the reader's
        theirs = _summary.outputs(s.cfg, ctx.base, ctx.period.label, year, s.cfg.language)[0]
    return os.path.relpath(theirs, mine.parent).replace(os.sep, "/") if theirs.is_file() else None


def actions(ctx: GroupContext) -> Html:
    """各店待办: each store's most pressing action items, linked to its own review."""
    lang = ctx.lang
    out = _section(ctx, "actions")
    totals: dict[str, int] = {}
    listed = []
    for s in ctx.included:
        due = [a for a in store_actions(s.ctx) if a.count]
        for a in due:
            totals[a.key] = totals.get(a.key, 0) + a.count
            listed.append({"store": s.key, "key": a.key, "count": a.count})
        link = _report_link(ctx, s)
        name = tables.esc(_name(s, lang))
        title = f'<a href="{tables.esc(link)}">{name}</a>' if link else name
        out += Html(f"<h3>{title}</h3>") + tables.action_list(due[:TOP_ITEMS], lang, ctx.base, link)
        if len(due) > TOP_ITEMS:
            out += tables.note(text("group.more_items", lang, n=len(due) - TOP_ITEMS))
        if due and not link:
            out += tables.note(text("group.unpublished", lang, kind=text(f"{ctx.base}.kind", lang)))
    for k, n in totals.items():
        ctx.shown[f"action_{k}"] = n
    ctx.lists["actions"] = listed
    return out


def plan_by_store(ctx: GroupContext) -> Html:
    """目标完成（按店）: each store's paid amount against its share of the group plan, and the online
    share of the company's sales."""
    lang, p = ctx.lang, ctx.period
    out = _section(ctx, "plan")
    whole = not ctx.left_out  # a store left out: no share of a plan, nor of the company, it is not in
    rows = []
    for s in ctx.included:
        v, tgt = ctx.store_values(s, p)["paid_amount"], ctx.store_target(s, p)
        rows.append({"name": _name(s, lang), "target": tgt, "paid_amount": v,
                     "attainment": plan.attainment(v, float(tgt) if tgt else None),
                     "plan_share": _g.share(tgt, ctx.target) if whole else None})
    total = ctx.values(p)["paid_amount"]
    rows.append({"name": text("group.total", lang), "target": ctx.target, "paid_amount": total,
                 "attainment": plan.attainment(total, float(ctx.target) if ctx.target else None),
                 "plan_share": 1.0 if ctx.target and whole else None})
    ctx.explain("attainment")
    out += tables.data_table("plan", pd.DataFrame(rows), [
        Col("name", "col.store"), Col("attainment", "attainment", "rate", tables.KEY),
        Col("paid_amount", "paid_amount", "money"), Col("target", "col.target", "money"),
        *([Col("plan_share", "group.col.plan_share", "rate")] if whole else [])], lang,
        row_class=pd.Series([""] * (len(rows) - 1) + ["so-total"]))
    if not ctx.target:
        out += tables.note(text("group.no_plan", lang, month=p.label))
    company = ((ctx.cfg.raw.get("plan") or {}).get("company_sales") or {}).get(p.label)
    if not whole:
        out += tables.note(text("group.partial_share", lang, stores=", ".join(_name(s, lang) for s in ctx.left_out)),
                           "so-gap")
    elif company:
        share = _g.share(total, company)
        ctx.show("group_online_share", share)
        out += tables.note(text("group.online_share", lang, share=formats.pct(share),
                                company=formats.money(company, lang)))
    else:
        out += tables.note(text("group.no_company", lang, month=p.label))
    return out


def glossary(ctx: GroupContext) -> Html:
    return tables.section("glossary", ctx.lang, "glossary", ctx.kind) + tables.glossary(
        [registry.get(m) for m in ctx.glossary_ids], ctx.lang)


def summary(ctx: GroupContext) -> None:
    """Hand the shown figures to the runner (summary.json), and let the stores' warehouses go."""
    _summary.emit(ctx.kind, ctx.period, ctx.lang, ctx.shown, ctx.comparisons, ctx.lists)
    ctx.close()
