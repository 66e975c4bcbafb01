"""The headline figures of any period: the KPI table with its comparisons and anomaly flags, day by
day, the weekday profile, the GMV bridge, the drivers of the change, and the 28-day trends."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from storeops.metrics import explore as _explore
from storeops.metrics import bridge as _bridge, plan
from storeops.metrics import registry, sales, traffic as _traffic
from storeops.present import formats, tables
from storeops.present.i18n import text, weekday, worded
from storeops.present.tables import Col, Html
from storeops.reviews import compare
from storeops.reviews.context import KPI_IDS, ReviewContext
from storeops.reviews.sections import _section, category_sales


def kpis(ctx: ReviewContext) -> Html:
    """核心指标: value, 环比, 同比, vs the mean of the last 4 same weekdays, target, anomaly flag."""
    now = ctx.values(ctx.period)
    bases = compare.keys(ctx.period.kind)
    changes = compare.changes(ctx.period, ctx.values, KPI_IDS, bases=ctx.bases())
    rows = []
    for mid in KPI_IDS:
        if mid in ctx.untracked:  # "—", and absent from summary.json: never a figure the data cannot give
            rows.append(tables.KpiRow(registry.get(mid), None, (None,) * len(bases)))
            continue
        v = now[mid]
        row = tables.KpiRow(registry.get(mid), v, tuple(changes[b][mid] for b in bases), flag=ctx.flags[mid])
        ctx.show(mid, v)
        for b in bases:
            ctx.comparisons.setdefault(b, {})[mid] = changes[b][mid]
        if mid == "paid_amount":
            att = plan.attainment(v, ctx.target)
            row = tables.KpiRow(row.metric, v, row.changes, ctx.target, att, row.flag)
            ctx.show("target", ctx.target)
            ctx.show("attainment", att)
        rows.append(row)
    ctx.explain("anomaly")
    margin = formats.pct(ctx.margin)
    ref = ctx.reference if ctx.period.kind == "day" else None
    if ref is None:
        pr = ctx.period_reference
        key = (f"kpis.reference.{ctx.period.kind}" if pr.basis != "event" else
               "kpis.reference.week_event" if pr.periods else "kpis.reference.week_no_event")
        remark = text(key, ctx.lang, margin=margin, event=pr.event or "",
                      ref=pr.periods[0].label if pr.periods else "—",
                      scaled=text("kpis.reference.scaled", ctx.lang) if pr.trend else "")
    elif ref.basis == "weekday":
        remark = text("kpis.reference.weekday", ctx.lang, margin=margin)
    else:
        remark = text("kpis.reference.event", ctx.lang, event=ref.event, ref=ref.days[0].isoformat(), margin=margin)
    held = compare.short(ctx.period, ctx.bases())
    if not all(ctx.bases().values()) and ctx.first_day:  # say why a column is all "—"
        remark += " " + text("kpis.not_covered", ctx.lang, day=ctx.first_day.isoformat())
    return (_section(ctx, "kpis") + tables.kpi_table(rows, ctx.lang, ctx.period.kind, ctx.colours, held)
            + tables.note(remark) + tables.legend(ctx.colours, ctx.lang)
            + ctx.gaps("buyers", "traffic", "refund_times", "ads"))


def days(ctx: ReviewContext) -> Html:
    """逐日: each day of the period — paid amount, visitors, conversion — as a chart and a table."""
    from storeops.present import charts  # matplotlib loads with a review's first chart, not before
    df = sales.by_day(ctx.t, ctx.period)
    shown = df.assign(date=[f"{d:%m-%d}" for d in df.day], weekday=[weekday(d, ctx.lang) for d in df.day])
    labels = {k: text(f"chart.{k}", ctx.lang) for k in ("paid_amount", "uv", "conversion", "ma7")}
    panels = [k for k in ("uv", "conversion") if k not in ctx.untracked]
    cols = [Col("date", "col.date"), Col("weekday", "col.weekday"), Col("paid_amount", "paid_amount", "money")]
    cols += [Col(k, k, registry.get(k).unit) for k in panels]
    # no day stands out in a longer period: nothing is drawn in the accent colour; a week is too
    # short for a 7-day mean
    return (_section(ctx, "days") + charts.trends(df, None, ctx.lang, labels, panels, mean=ctx.period.days > 7)
            + tables.data_table("days", shown, cols, ctx.lang) + ctx.gaps("buyers", "traffic"))


def weekday_profile(ctx: ReviewContext) -> Html:
    """星期分布: the mean paid amount, visitors and conversion of each weekday in the period."""
    df = sales.by_day(ctx.t, ctx.period)
    df = df[[ctx.calendar.is_open(d) for d in df.day]].copy()  # a weekday the shop is shut is no weekday of 0 sales
    df["wd"] = [d.weekday() for d in df.day]
    g = df.groupby("wd").agg(n=("day", "size"), paid_amount=("paid_amount", "mean"), uv=("uv", "mean"),
                             buyers=("paying_buyers", "sum"), uv_sum=("uv", "sum")).reset_index()
    g["conversion"] = g.buyers / g.uv_sum.where(g.uv_sum > 0)
    g["weekday"] = [text("weekday", ctx.lang).split()[w] for w in g.wd]
    g["share"] = g.paid_amount / g.paid_amount.mean() if g.paid_amount.mean() else None
    cols = [Col("weekday", "col.weekday"), Col("n", "col.days", "count"), Col("paid_amount", "col.mean_paid", "money"),
            Col("share", "col.vs_mean", "ratio")]
    cols += [Col(k, k, registry.get(k).unit) for k in ("uv", "conversion") if k not in ctx.untracked]
    return (tables.section("weekday_profile", ctx.lang, "weekday_profile", ctx.kind)
            + tables.data_table("weekday_profile", g, cols, ctx.lang))


def bridge(ctx: ReviewContext) -> Html:
    """支付金额拆解 against the same weekday last week: UV, conversion and ATV parts that add up to the change."""
    from storeops.present import charts  # matplotlib loads with a review's first chart, not before
    out = _section(ctx, "bridge")
    if not ctx.tracks("buyers", "traffic"):
        return out + ctx.gaps("buyers", "traffic")
    before = ctx.headline()
    if before is None:
        return out + tables.note(worded("cmp.not_covered", ctx.kind, ctx.lang), "so-gap")
    b = _bridge.gmv_bridge(ctx.values(before), ctx.values(ctx.period))
    if b is None:
        return out + tables.note(worded("bridge.none", ctx.kind, ctx.lang))
    for k in _bridge.PARTS:
        ctx.show(k, b[k])
    parts = [(text(f"chart.{k}", ctx.lang), float(b[k])) for k in _bridge.PARTS]
    ends = (worded("bridge.before", ctx.kind, ctx.lang), worded("bridge.after", ctx.kind, ctx.lang))
    chart = charts.waterfall(float(b["before"]), parts, float(b["after"]), ends, ctx.lang, ctx.colours)
    df = pd.DataFrame({"metric": [registry.get(k).label(ctx.lang) for k in _bridge.PARTS],
                       "value": [b[k] for k in _bridge.PARTS]})
    return out + chart + tables.data_table("bridge", df, [Col("metric", "col.metric"),
                                                          Col("value", "col.value", "money")], ctx.lang)


def drivers(ctx: ReviewContext) -> Html:
    """变化归因: the change in paid amount against the headline comparison (the bridge's), by category
    and, where the data has per-source paid amount, by traffic source: the 5 largest rises and falls,
    the rest, and what no category or source carries, adding up to the change to the cent."""
    out = _section(ctx, "drivers")
    p, before = ctx.period, ctx.headline()
    if before is None:  # the period before is not in the data: there is no change to split
        return out + tables.note(worded("cmp.not_covered", ctx.kind, ctx.lang), "so-gap")
    total = sum((Decimal(str(ctx.values(x)["paid_amount"] or 0)) * sign for x, sign in ((p, 1), (before, -1))),
                Decimal(0))
    cat = _explore.contributions(category_sales(ctx, p), category_sales(ctx, before), "category",
                                 total)
    out += tables.subheading(worded("drivers.by_category", ctx.kind, ctx.lang))
    out += _drivers_table(ctx, "drivers_by_category", cat, "category")
    out += tables.subheading(worded("drivers.by_source", ctx.kind, ctx.lang))
    if not ctx.tracks("source_sales"):
        return out + ctx.gaps("source_sales")
    src = _explore.contributions(_traffic.by_source(ctx.t, p), _traffic.by_source(ctx.t, before), "source", total)
    return out + _drivers_table(ctx, "drivers_by_source", src, "source")


def _drivers_table(ctx: ReviewContext, name: str, df: pd.DataFrame, key: str) -> Html:
    """The 5 largest rises and falls, one row for the rest, one for what nobody carries, and the total."""
    lang = ctx.lang
    parts, other = df[df[key] != _explore.OTHER], df[df[key] == _explore.OTHER]
    ups, downs = parts[parts.change > 0].head(5), parts[parts.change < 0].tail(5)
    rest = parts.drop(ups.index.union(downs.index))
    rows = pd.concat([ups, downs])
    rows[key] = rows[key].replace({_explore.NO_CATEGORY: text("drivers.none", lang)})
    extra = [{key: text("drivers.rest", lang, n=len(rest)), "change": sum(rest.change, Decimal(0))}] if len(rest) else []
    extra += [{key: text(f"drivers.other.{key}", lang), "change": other.change.iloc[0]},
              {key: text("drivers.total", lang), "change": df.change.sum()}]
    shown = pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)
    return tables.data_table(name, shown, [Col(key, f"col.{key}"), Col("now", "col.now", "money"),
                                           Col("before", "col.before", "money"),
                                           Col("change", "col.change", "money")], lang)


def trends(ctx: ReviewContext) -> Html:
    """近28天: paid amount, UV and conversion; month to date against target, pace, month-end forecast."""
    from storeops.present import charts  # matplotlib loads with a review's first chart, not before
    df = sales.by_day(ctx.t, ctx.period.trailing(28))
    labels = {k: text(f"chart.{k}", ctx.lang) for k in ("paid_amount", "uv", "conversion", "ma7")}
    panels = [k for k in ("uv", "conversion") if k not in ctx.untracked]
    chart = charts.trends(df, ctx.day, ctx.lang, labels, panels)
    mtd = plan.month_to_date(ctx.t, ctx.day, ctx.festivals, ctx.plans, ctx.calendar)
    for k, v in mtd.items():
        ctx.show(k, v)
    rows = pd.DataFrame({"metric": [registry.get(k).label(ctx.lang) for k in mtd],
                         "value": [formats.value(v, registry.get(k).unit, ctx.lang) for k, v in mtd.items()]})
    return (_section(ctx, "trends") + chart + ctx.gaps("buyers", "traffic")
            + tables.data_table("month_to_date", rows, [Col("metric", "col.metric"), Col("value", "col.value")], ctx.lang))
