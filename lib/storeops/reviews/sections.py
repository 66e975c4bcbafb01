"""The sections every review is made of, for any period: a day, an ISO week, a month.

Each section returns HTML (heading, the question it answers, tables and charts) and
records the figures it shows with ``ctx.show`` so that summary.json and the glossary hold
exactly what the reader saw. A review (daily.py, weekly.py) says which sections, in what order.

>>> ctx = storeops.daily.context("2026-11-26", lang="en")  # doctest: +SKIP
>>> storeops.daily.kpis(ctx)                                # the KPI table
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import pandas as pd

from storeops.metrics import ads as _ads
from storeops.metrics import campaigns as _camp
from storeops.metrics import explore as _explore
from storeops.metrics import bridge as _bridge, fulfilment as _ful, inventory, plan
from storeops.metrics import products as _prod
from storeops.metrics import registry, sales, service as _svc, traffic as _traffic
from storeops.metrics.base import evaluate
from storeops.present import charts, formats, tables
from storeops.present.i18n import text, weekday, worded
from storeops.present.tables import Col, Html
from storeops.periods import Period
from storeops.publish import summary as _summary
from storeops.reviews import compare
from storeops.reviews.context import KPI_IDS, ReviewContext, _listed

TOP_ROWS = 3  # rows of each action item shown in the list


def _section(ctx: ReviewContext, key: str) -> Html:
    """A section's heading and question; the question as the review's kind words it, where it differs."""
    return tables.section(key, ctx.lang, key, ctx.kind)


def header(ctx: ReviewContext) -> Html:
    p = ctx.period
    title = text(f"{ctx.kind}.title", ctx.lang, store=ctx.cfg.name(ctx.lang), date=p.label)
    sub = text(f"{ctx.kind}.subtitle", ctx.lang, weekday=weekday(p.end, ctx.lang), date=p.end.isoformat(),
               start=p.start.isoformat(), end=p.end.isoformat(), tz=ctx.cfg.timezone)
    banner = tables.banner(text("banner.incomplete", ctx.lang, tables=_listed(ctx.incomplete, p, ctx.lang),
                                date=p.label)) \
        if ctx.incomplete else ""
    return Html(f'<header class="so-header"><h1>{tables.esc(title)}</h1><p class="so-sub">{tables.esc(sub)}</p>'
                f"{banner}</header>")


# ---------------------------------------------------------------- action list


def action_items(ctx: ReviewContext) -> list[tables.Action]:
    """今日待办: every rule of the action list whose data is tracked, with its count and most pressing rows."""
    def orders_top(df):
        return ", ".join(f"{r.order_id} ({r.hours:.0f}h)" for r in df.head(TOP_ROWS).itertuples())

    def tickets_top(df):
        return ", ".join(f"{r.ticket_id} {r.kind} ({r.age_h:.0f}h)" for r in df.head(TOP_ROWS).itertuples())

    items = []
    if ctx.tracks("shipping"):
        backlog = _ful.overdue(ctx.t, ctx.cutoff, 48)
        breached, at_risk = backlog[backlog.hours >= 72], backlog[backlog.hours < 72]
        urgent = _ful.urgent_orders(ctx.t, ctx.cutoff)
        items += [tables.Action("ship_breached", len(breached), "fulfilment", orders_top(breached)),
                  tables.Action("ship_at_risk", len(at_risk), "fulfilment", orders_top(at_risk)),
                  tables.Action("urgent", len(urgent), "fulfilment", orders_top(urgent))]
    if ctx.tracks("tickets"):
        open_t = _svc.open_tickets(ctx.t, ctx.cutoff, min_age_h=20)
        t_breached, t_risk = open_t[open_t.age_h >= 24], open_t[open_t.age_h < 24]
        items += [tables.Action("tickets_breached", len(t_breached), "service", tickets_top(t_breached)),
                  tables.Action("tickets_at_risk", len(t_risk), "service", tickets_top(t_risk))]
    if ctx.tracks("inventory"):
        hot = inventory.hot_short(ctx.stock)
        items.append(tables.Action("hot_short", len(hot), "products", ", ".join(
            f"{r.sku} ({r.days_cover:.1f}/{r.lead_time_days}d)" for r in hot.head(TOP_ROWS).itertuples())))
    if ctx.tracks("inventory", "product_traffic"):
        oos = inventory.out_of_stock_with_visitors(ctx.t, ctx.day, ctx.stock)
        items.append(tables.Action("oos_visited", len(oos), "products",
                                   ", ".join(f"{r.sku} (UV {r.uv})" for r in oos.head(TOP_ROWS).itertuples())))
    if ctx.tracks("ads"):
        be, _ = ctx.breakeven
        low_ads = ctx.ad_table[ctx.ad_table.roas < be] if be else ctx.ad_table.iloc[0:0]
        items.append(tables.Action("ads_below_breakeven", len(low_ads), "ads", ", ".join(
            f"{r.channel}·{r.campaign} ({r.roas:.2f})" for r in low_ads.head(TOP_ROWS).itertuples())))
    if ctx.period.kind != "day":  # the reviews with a campaigns section
        soon = _camp.starting(ctx.t, ctx.day)
        items.append(tables.Action("campaigns_next", len(soon), "campaigns", ", ".join(
            f"{r.theme} ({r.start_date:%m-%d})" for r in soon.head(TOP_ROWS).itertuples())))
    if ctx.period.kind == "month":  # the month's decisions: campaigns that did not pay, a plan to set
        ran = _campaigns(ctx)
        be, _ = ctx.breakeven
        weak = ran[ran.lift_per_yuan.astype(float) < (be or 1.0)] if not ran.empty else ran
        items.append(tables.Action("campaigns_unpaid", len(weak), "campaigns", ", ".join(
            f"{r.theme} ({r.lift_per_yuan:.2f})" for r in weak.head(TOP_ROWS).itertuples())))
        nxt = Period.month_of(ctx.period.end + _dt.timedelta(days=1))
        unset = plan.day_targets(ctx.t, nxt.start, ctx.festivals, ctx.plans, ctx.calendar) is None
        items.append(tables.Action("plan_missing", int(unset), "next_month", nxt.label if unset else ""))
    flagged = [k for k, f in ctx.flags.items() if f]
    items.append(tables.Action("anomalies", len(flagged), "kpis", ", ".join(
        f"{registry.get(k).label(ctx.lang)} {text('flag.' + ctx.flags[k], ctx.lang)}" for k in flagged[:TOP_ROWS])))
    return items


def _campaigns(ctx: ReviewContext) -> pd.DataFrame:
    """The period's campaign results (metrics.campaigns.results), worked out once per review: the
    highlights and the campaigns section both use them."""
    if "campaigns" not in ctx.computed:
        ctx.computed["campaigns"] = _camp.results(ctx.t, ctx.period, ctx.festivals, ctx.calendar)
    return ctx.computed["campaigns"]


def category_sales(ctx: ReviewContext, p: Period) -> pd.DataFrame:
    """Sales by category in ``p`` (metrics.explore.by_category), once per period: a week's drivers and
    its categories both compare it with last week."""
    key = ("by_category", p.start, p.end)
    if key not in ctx.computed:
        ctx.computed[key] = _explore.by_category(ctx.t, p)
    return ctx.computed[key]


def _actions(ctx: ReviewContext) -> list[tables.Action]:
    """The action items, worked out once per review (the overview and the action list both show them)."""
    if "actions" not in ctx.computed:
        ctx.computed["actions"] = action_items(ctx)
    return ctx.computed["actions"]


# ---------------------------------------------------------------- overview


def overview(ctx: ReviewContext) -> Html:
    """概述: a paragraph from templates (no language model) — the paid amount and how it moved, the
    target, what moved it most (the bridge), what is flagged and what needs doing. Every figure in it
    is recorded with ``ctx.show`` (so summary.json holds it) and marked ``data-figure`` in the HTML,
    where a test finds each and checks it against summary.json."""
    p, lang = ctx.period, ctx.lang
    now = ctx.values(p)
    basis = compare.HEADLINE[p.kind]
    change = compare.changes(p, ctx.values, ["paid_amount"], bases=ctx.bases())[basis]["paid_amount"]
    ctx.show("paid_amount", now["paid_amount"])
    ctx.comparisons.setdefault(basis, {})["paid_amount"] = change

    def fig(key: str, shown: str) -> str:
        return f'<span data-figure="{tables.esc(key)}">{tables.esc(shown)}</span>'

    money = registry.get("paid_amount").unit
    paid = fig("paid_amount", formats.value(now["paid_amount"], money, lang))
    parts = [text("overview.sales", lang, paid=paid, basis=tables.esc(text(f"cmp.{p.kind}.{basis}", lang)),
                  change=fig(f"comparisons.{basis}.paid_amount", tables.trend(change, ctx.colours)))
             if change is not None else text("overview.sales_only", lang, paid=paid)]
    if ctx.target:
        att = plan.attainment(now["paid_amount"], ctx.target)
        ctx.show("attainment", att)
        parts.append(text("overview.target", lang, attainment=fig("attainment", formats.pct(att))))
    before = ctx.headline()
    b = _bridge.gmv_bridge(ctx.values(before), now) if before and ctx.tracks("buyers", "traffic") else None
    if b is not None and b["change"]:
        for k in _bridge.PARTS:
            ctx.show(k, b[k])
        up = b["change"] > 0
        along = sorted((k for k in _bridge.PARTS if b[k] and (b[k] > 0) == up), key=lambda k: -abs(b[k]))
        against = sorted((k for k in _bridge.PARTS if b[k] and (b[k] > 0) != up), key=lambda k: -abs(b[k]))

        def part(k: str) -> dict[str, str]:
            return {"part": tables.esc(text(f"overview.{k}", lang)), "amount": fig(k, formats.signed_money(b[k], lang))}

        if along:  # what moved it most, in the direction it moved; then the largest push the other way
            tail = (text("overview.bridge_against", lang, **part(against[0])) if against else
                    text("overview.bridge_then", lang, **part(along[1])) if len(along) > 1 else
                    text("overview.end", lang))
            parts.append(text("overview.bridge", lang, **part(along[0])) + tail)
    flagged = [k for k in KPI_IDS if ctx.flags.get(k)]
    if flagged:
        parts.append(text("overview.flagged", lang, metrics=("、" if lang == "zh" else ", ").join(
            tables.esc(text(f"overview.{ctx.flags[k]}", lang, metric=registry.get(k).label(lang))) for k in flagged)))
    todo = [a for a in _actions(ctx) if a.count]
    for a in todo:
        ctx.shown[f"action_{a.key}"] = a.count
    items = ("；" if lang == "zh" else "; ").join(
        f"{fig('action_' + a.key, str(a.count))} {tables.prose(text('actions.' + a.key, lang))}" for a in todo[:3])
    if len(todo) > 3:
        items += text("overview.more", lang, n=len(todo) - 3)
    parts.append(text("overview.todo", lang, items=items) if todo else text("overview.nothing", lang))
    return _section(ctx, "overview") + Html(f'<p class="so-overview">{" ".join(parts)}</p>')


def actions(ctx: ReviewContext) -> Html:
    items = _actions(ctx)
    for a in items:
        ctx.shown[f"action_{a.key}"] = a.count
    return (_section(ctx, "actions") + tables.action_list(items, ctx.lang, ctx.kind)
            + ctx.gaps("shipping", "tickets", "inventory", "product_traffic"))


# ---------------------------------------------------------------- KPIs


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
        remark = text(f"kpis.reference.{ctx.period.kind}", ctx.lang, margin=margin)
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


# ---------------------------------------------------------------- day by day (week, month)


def days(ctx: ReviewContext) -> Html:
    """逐日: each day of the period — paid amount, visitors, conversion — as a chart and a table."""
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


# ---------------------------------------------------------------- GMV bridge


def bridge(ctx: ReviewContext) -> Html:
    """支付金额拆解 against the same weekday last week: UV, conversion and ATV parts that add up to the change."""
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


# ---------------------------------------------------------------- drivers


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


# ---------------------------------------------------------------- trends


def trends(ctx: ReviewContext) -> Html:
    """近28天: paid amount, UV and conversion; month to date against target, pace, month-end forecast."""
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


# ---------------------------------------------------------------- traffic


def traffic(ctx: ReviewContext) -> Html:
    """流量来源: UV, PV and share of the store total per source."""
    out = _section(ctx, "traffic")
    df = _traffic.by_source(ctx.t, ctx.period)
    if df.empty:
        return out + tables.note(worded("traffic.none", ctx.kind, ctx.lang))
    ctx.explain("uv")
    cols = [Col("source", "col.source"), Col("uv", "uv", "count"), Col("pv", "pv", "count"),
            Col("share", "col.share", "rate")]
    if ctx.tracks("source_sales"):
        cols += [Col("paid_amount", "source_paid_amount", "money"), Col("conversion", "source_conversion", "rate")]
        ctx.explain("source_paid_amount")
        ctx.explain("source_conversion")
    return out + tables.data_table("by_source", df, cols, ctx.lang) + ctx.gaps("source_sales")


# ---------------------------------------------------------------- customer service


def service(ctx: ReviewContext) -> Html:
    """客服: consulting buyers, inquiry conversion, response times, per agent, QA sample, tickets."""
    out = _section(ctx, "service")
    p = ctx.period
    v = evaluate({"consultations": _svc.consultations(ctx.t, p), "consult_conversion": _svc.consult_conversion(ctx.t, p),
                  "first_response": _svc.first_response(ctx.t, p), "response_3min": _svc.response_3min(ctx.t, p),
                  "ticket_sla": _svc.ticket_sla(ctx.t, p)})
    if not ctx.tracks("buyers"):  # a chat cannot be matched to an order without buyer ids
        v["consult_conversion"] = None
    if v["consultations"]:
        for k in ("consultations", "consult_conversion", "first_response", "response_3min"):
            if k not in ctx.untracked:
                ctx.show(k, v[k])
        head = pd.DataFrame({"metric": [registry.get(k).label(ctx.lang) for k in list(v)[:4]],
                             "value": [formats.value(v[k], registry.get(k).unit, ctx.lang) for k in list(v)[:4]]})
        out += tables.data_table("service", head, [Col("metric", "col.metric"), Col("value", "col.value")], ctx.lang)
        agent_cols = [Col("agent", "col.agent"), Col("sessions", "col.sessions", "count"),
                      Col("consultations", "consultations", "count"),
                      Col("consult_conversion", "consult_conversion", "rate"),
                      Col("first_response", "first_response", "seconds"), Col("response_3min", "response_3min", "rate")]
        out += tables.data_table("per_agent", _svc.per_agent(ctx.t, p), [c for c in agent_cols if c.header not in ctx.untracked],
                                 ctx.lang) + ctx.gaps("buyers")
        sample = _svc.chat_sample(ctx.t, ctx.period)
        sample["score"] = ""
        sample["remark"] = ""
        out += tables.subheading(text("service.sample", ctx.lang))
        out += tables.data_table("chat_sample", sample, [
            Col("started_at", "col.time", "datetime"), Col("agent", "col.agent"), Col("buyer_id", "col.buyer"),
            Col("first_response_s", "first_response", "seconds"), Col("transcript", "col.transcript"),
            Col("score", "col.score"), Col("remark", "col.remark")], ctx.lang, css="so-sample")
    else:
        out += tables.note(worded("service.none", ctx.kind, ctx.lang))
    out += tables.subheading(text("service.tickets", ctx.lang))
    if not ctx.tracks("tickets"):
        return out + ctx.gaps("tickets")
    open_all = _svc.open_tickets(ctx.t, ctx.cutoff)
    ctx.show("tickets_open", len(open_all))
    if v["ticket_sla"] is not None:
        ctx.show("ticket_sla", v["ticket_sla"])
        out += tables.note(f"{registry.get('ticket_sla').label(ctx.lang)}: {formats.pct(v['ticket_sla'])} · "
                           f"{registry.get('tickets_open').label(ctx.lang)}: {len(open_all)}")
    late = open_all[open_all.age_h >= 24]
    if late.empty:
        out += tables.note(text("service.tickets_none", ctx.lang))
    else:
        out += tables.data_table("late_tickets", late, [Col("ticket_id", "col.ticket"), Col("order_id", "col.order"),
                                        Col("kind", "col.kind"), Col("opened_at", "col.time", "datetime"),
                                        Col("age_h", "col.age_h", "hours")], ctx.lang)
    if p.kind == "day":
        return out
    out += tables.subheading(text("service.by_kind", ctx.lang)) + tables.data_table(
        "tickets_by_kind", _svc.tickets_by_kind(ctx.t, p, ctx.cutoff),
        [Col("kind", "col.kind"), Col("opened", "col.opened", "count"), Col("due", "col.due", "count"),
         Col("in_time", "col.in_time", "count"), Col("sla", "ticket_sla", "rate"), Col("open", "col.open", "count")],
        ctx.lang)
    return out + dsr(ctx)


def dsr(ctx: ReviewContext) -> Html:
    """店铺评分: each DSR score at the period's end and its change since the end of the period before."""
    out = tables.subheading(text("service.dsr", ctx.lang))
    d = _svc.dsr_change(ctx.t, ctx.period)
    if d.now.isna().all():
        return out + tables.note(text("service.dsr_none", ctx.lang))
    ctx.explain("dsr")
    for r in d.itertuples():
        ctx.shown[r.score] = r.now
    d = d.assign(name=[text(f"dsr.{k}", ctx.lang) for k in d.score])
    return out + tables.data_table("dsr", d, [Col("name", "col.score_name"), Col("now", "col.now", "ratio"),
                                              Col("before", "col.before", "ratio"),
                                              Col("change", "col.change", "delta")], ctx.lang)


# ---------------------------------------------------------------- fulfilment


def fulfilment(ctx: ReviewContext) -> Html:
    """订单与物流: funnel, backlog by age, 72 h compliance, urgent orders."""
    out = _section(ctx, "fulfilment")
    f = _ful.funnel(ctx.t, ctx.period)
    funnel = pd.DataFrame({"stage": [text(f"funnel.{k}", ctx.lang) for k in f], "count": list(f.values()),
                           "share": [v / f["created"] if f["created"] else None for v in f.values()]})
    if not ctx.tracks("shipping"):  # no shipping times: no shipped stage, backlog or 72 h figure to judge
        funnel = funnel[funnel.index < 2]
    out += tables.data_table("funnel", funnel, [Col("stage", "col.stage"), Col("count", "col.count", "count"),
                                      Col("share", "col.share", "rate")], ctx.lang)
    if not ctx.tracks("shipping"):
        return out + ctx.gaps("shipping")
    backlog = _ful.ship_backlog(ctx.t, ctx.cutoff)
    for k, n in backlog.items():
        ctx.show(f"ship_backlog_{k}", n, glossary="ship_backlog")
    bl = pd.DataFrame({"bucket": [text(f"bucket.{k}", ctx.lang) for k in backlog], "count": list(backlog.values())})
    out += tables.data_table("backlog", bl, [Col("bucket", "col.bucket"), Col("count", "ship_backlog", "count")], ctx.lang,
                             row_class=pd.Series(["", "", "so-warn", "so-bad-row"]))
    s72 = _ful.ship_72h(ctx.t, ctx.period)
    ctx.show("ship_72h", s72["rate"])
    out += tables.note(f"{registry.get('ship_72h').label(ctx.lang)}: {formats.pct(s72['rate'])} "
                       f"({s72['on_time']}/{s72['due']})")
    urgent = _ful.urgent_orders(ctx.t, ctx.cutoff)
    ctx.show("urgent_orders", len(urgent))
    out += tables.subheading(registry.get("urgent_orders").label(ctx.lang))
    if urgent.empty:
        return out + tables.note(text("fulfilment.urgent_none", ctx.lang))
    return out + tables.data_table("urgent_orders", urgent.head(20), [
        Col("order_id", "col.order"), Col("buyer_id", "col.buyer"), Col("paid_at", "col.paid_at", "datetime"),
        Col("hours", "col.age_h", "hours"), Col("province", "col.province")], ctx.lang)


# ---------------------------------------------------------------- ads


def ads(ctx: ReviewContext) -> Html:
    """推广: per channel and campaign against break-even ROAS; month-to-date spend pacing."""
    out = _section(ctx, "ads")
    if not ctx.tracks("ads"):
        return out + ctx.gaps("ads")
    df = ctx.ad_table
    if df.empty:
        return out + tables.note(worded("ads.none", ctx.kind, ctx.lang))
    be, margin = ctx.breakeven
    ctx.show("breakeven_roas", be)
    for k in ("roas", "ctr", "cpc", "ad_cvr"):
        ctx.explain(k)
    out += tables.note(text("ads.breakeven", ctx.lang, value=formats.value(be, "ratio", ctx.lang),
                            margin=formats.pct(margin)))
    below = (df.roas < be) if be else pd.Series([False] * len(df))
    out += tables.data_table("campaigns", df, [
        Col("channel", "col.channel"), Col("campaign", "col.campaign"), Col("cost", "ad_cost", "money"),
        Col("impressions", "col.impressions", "count"), Col("clicks", "col.clicks", "count"),
        Col("ctr", "ctr", "rate"), Col("cpc", "cpc", "money"), Col("ad_cvr", "ad_cvr", "rate"),
        Col("gmv", "col.gmv", "money"), Col("roas", "roas", "ratio")], ctx.lang,
        row_class=below.map({True: "so-bad-row", False: ""}))
    if ctx.period.kind != "day":
        ch = _ads.by_channel(ctx.t, ctx.period, ctx.period.previous())
        if not ctx.covered(ctx.period.previous()):  # no change against a period the data does not hold
            ch[[c for c in ch.columns if c.endswith("_change")]] = None
        out += tables.subheading(text("ads.by_channel", ctx.lang)) + tables.data_table("by_channel", ch, [
            Col("channel", "col.channel"), Col("cost", "ad_cost", "money"), Col("cost_before", "col.cost_before", "money"),
            Col("cost_change", "col.cost_change", "change"), Col("roas", "roas", "ratio"),
            Col("roas_change", "col.roas_change", "change")], ctx.lang)
    pace = _ads.spend_pacing(ctx.t, ctx.period)
    ctx.show("spend_pacing", pace["pacing"])
    cost = formats.money(pace["mtd_cost"], ctx.lang)
    if pace["budget"]:
        return out + tables.note(text("ads.pacing", ctx.lang, cost=cost, budget=formats.money(pace["budget"], ctx.lang),
                                      pacing=formats.pct(pace["pacing"])))
    return out + tables.note(text("ads.pacing_none", ctx.lang, cost=cost))


# ---------------------------------------------------------------- products


def products(ctx: ReviewContext) -> Html:
    """商品: top 10 by paid amount, high-UV low-conversion products, stock warnings."""
    out = _section(ctx, "products")
    perf = ctx.product_perf
    cols = [Col("title", "col.product"), Col("paid_amount", "paid_amount", "money"), Col("units", "col.units", "count")]
    if ctx.tracks("product_traffic"):
        cols.append(Col("uv", "uv", "count"))
    if ctx.tracks("product_traffic", "buyers"):
        cols.append(Col("conversion", "product_conversion", "rate"))
        ctx.explain("product_conversion")
    top = _prod.top(perf)
    out += tables.subheading(text("products.top", ctx.lang))
    out += tables.data_table("top_products", top, cols, ctx.lang) if not top.empty else tables.note(text("products.none", ctx.lang))
    out += tables.subheading(text("products.low_conv", ctx.lang))
    if ctx.tracks("product_traffic", "buyers", "traffic"):
        low = _prod.high_uv_low_conversion(perf, ctx.values(ctx.period)["conversion"])
        out += tables.data_table("low_conversion", low, cols, ctx.lang) if not low.empty else tables.note(
            text("products.low_conv_none", ctx.lang))
    else:
        out += ctx.gaps("product_traffic", "buyers", "traffic")
    if not ctx.tracks("inventory"):
        return out + tables.subheading(text("products.hot_short", ctx.lang)) + ctx.gaps("inventory")
    stock_cols = [Col("sku", "col.sku"), Col("title", "col.product"), Col("on_hand", "col.on_hand", "count"),
                  Col("velocity", "velocity", "ratio"), Col("days_cover", "days_cover", "ratio"),
                  Col("lead_time_days", "col.lead_time", "count")]
    for k in ("velocity", "days_cover", "sales_class"):
        ctx.explain(k)
    hot = inventory.hot_short(ctx.stock)
    out += tables.subheading(text("products.hot_short", ctx.lang))
    out += tables.data_table("hot_short", hot.head(20), stock_cols, ctx.lang) if not hot.empty else tables.note(
        text("actions.none", ctx.lang))
    out += tables.subheading(text("products.oos", ctx.lang))
    if not ctx.tracks("product_traffic"):
        return out + ctx.gaps("product_traffic")
    oos = inventory.out_of_stock_with_visitors(ctx.t, ctx.day, ctx.stock)
    if oos.empty:
        return out + tables.note(text("products.oos_none", ctx.lang))
    oos = oos.assign(sales_class=oos.sales_class.map(lambda c: text(f"class.{c}", ctx.lang)))
    return out + tables.data_table("out_of_stock", oos.head(20), [Col("sku", "col.sku"), Col("title", "col.product"),
                                                  Col("uv", "uv", "count"), Col("sales_class", "sales_class")], ctx.lang)


# ---------------------------------------------------------------- categories and products (week, month)


def categories(ctx: ReviewContext) -> Html:
    """类目与商品: by category against the period before; top and bottom 10 products; new products; 动销率."""
    p, lang = ctx.period, ctx.lang
    out = _section(ctx, "categories") + tables.subheading(text("categories.by_category", lang))
    cat = _explore.against(category_sales(ctx, p), category_sales(ctx, p.previous()), "category")
    if not ctx.covered(p.previous()):  # no change against a period the data does not hold
        cat[[c for c in cat.columns if c.endswith("_change")]] = None
    cat["category"] = cat.category.replace({_explore.NO_CATEGORY: text("drivers.none", lang)})
    cols = [Col("category", "col.category"), Col("paid_amount", "paid_amount", "money"),
            Col("paid_amount_change", "col.paid_change", "change"), Col("units", "col.units", "count")]
    if ctx.tracks("product_traffic", "buyers"):
        cols += [Col("uv", "uv", "count"), Col("conversion", "product_conversion", "rate"),
                 Col("conversion_change", "col.conversion_change", "change")]
        ctx.explain("product_conversion")
    out += tables.data_table("by_category", cat, cols, lang)
    perf, shelf = ctx.product_perf, _prod.on_sale(ctx.t)
    prod_cols = [Col("title", "col.product"), Col("paid_amount", "paid_amount", "money"),
                 Col("units", "col.units", "count")]
    if ctx.tracks("product_traffic"):
        prod_cols.append(Col("uv", "uv", "count"))
    top = _prod.top(perf)
    out += tables.subheading(text("categories.top", lang))
    out += tables.data_table("top_products", top, prod_cols, lang) if not top.empty else tables.note(
        text("categories.none", lang))
    out += tables.subheading(text("categories.bottom", lang))
    out += tables.data_table("bottom_products", _prod.bottom(perf, shelf), prod_cols, lang)
    new = _prod.new_products(perf, shelf, ctx.day)
    out += tables.subheading(text("categories.new", lang))
    if not ctx.tracks("launch_dates"):  # no launch date is no launch known, not "nothing launched"
        out += ctx.gaps("launch_dates")
    else:
        out += tables.data_table("new_products", new, [Col("title", "col.product"), Col("launched_on", "col.launched", "date"),
                                                   Col("days_on_sale", "col.days_on_sale", "count"), *prod_cols[1:]],
                             lang) if not new.empty else tables.note(text("categories.new_none", lang))
    ratio = evaluate({"r": sales.sell_ratio(ctx.t, p)})["r"]
    ctx.show("sell_ratio", ratio)
    return out + tables.note(text("categories.sell_ratio", lang, value=formats.pct(ratio)))


# ---------------------------------------------------------------- campaigns


def campaigns(ctx: ReviewContext) -> Html:
    """活动: the campaigns of the period with cost, ROI and lift, and those starting in the next 7 days."""
    lang = ctx.lang
    out = _section(ctx, "campaigns") + tables.subheading(text("campaigns.ran", lang))
    ran = _campaigns(ctx)
    if ctx.period.kind == "month":  # the month's evaluation: what each yuan added, best first
        ran = ran.sort_values("lift_per_yuan", ascending=False, na_position="last", kind="stable")
    if ran.empty:
        out += tables.note(text("campaigns.none", lang))
    else:
        ctx.explain("campaign_roi")
        ctx.explain("campaign_lift")
        shown = ran.assign(state=ran.running.map({True: text("campaigns.running", lang),
                                                  False: text("campaigns.ended", lang)}))
        out += tables.data_table("campaigns_ran", shown, [
            Col("theme", "col.theme"), Col("start_date", "col.start", "date"), Col("end_date", "col.end", "date"),
            Col("state", "col.status"), Col("cost", "col.cost", "money"), Col("uv", "uv", "count"),
            Col("conversion", "conversion", "rate"), Col("paid_amount", "paid_amount", "money"),
            Col("roi", "campaign_roi", "ratio"), Col("baseline", "col.baseline", "money"),
            Col("lift", "campaign_lift", "money"), Col("lift_per_yuan", "col.lift_per_yuan", "ratio")], lang)
    out += tables.subheading(text("campaigns.next", lang))
    soon = _camp.starting(ctx.t, ctx.day)
    if soon.empty:
        return out + tables.note(text("campaigns.next_none", lang))
    return out + tables.data_table("campaigns_next", soon, [Col("theme", "col.theme"), Col("kind", "col.kind"),
                                                            Col("start_date", "col.start", "date"),
                                                            Col("end_date", "col.end", "date"),
                                                            Col("fixed_cost", "col.cost", "money")], lang)


# ---------------------------------------------------------------- glossary and summary


def glossary(ctx: ReviewContext) -> Html:
    """指标说明: the registry's definition of every metric shown above."""
    return _section(ctx, "glossary") + tables.glossary(
        [registry.get(m) for m in ctx.glossary_ids], ctx.lang)


def summary(ctx: ReviewContext) -> None:
    """Hand the shown figures to the runner, which writes them to summary.json."""
    _summary.emit(ctx.kind, ctx.period, ctx.lang, ctx.shown, ctx.comparisons)
