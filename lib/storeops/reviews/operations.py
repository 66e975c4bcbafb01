"""How the store ran in any period: traffic by source, customer service, fulfilment, advertising and
products (top sellers, high-traffic low-conversion, stock warnings)."""

from __future__ import annotations

import pandas as pd

from storeops.metrics import ads as _ads
from storeops.metrics import fulfilment as _ful, inventory
from storeops.metrics import products as _prod
from storeops.metrics import registry, service as _svc, traffic as _traffic
from storeops.metrics.base import evaluate
from storeops.present import formats, tables
from storeops.present.i18n import text, worded
from storeops.present.tables import KEY, Col, Html
from storeops.reviews.context import ReviewContext
from storeops.reviews.sections import _section


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
                                        Col("age_h", "col.age_h", "hours", KEY)], ctx.lang)
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
    backlog = _ful.backlog_of(ctx.awaiting)
    for k, n in backlog.items():
        ctx.show(f"ship_backlog_{k}", n, glossary="ship_backlog")
    bl = pd.DataFrame({"bucket": [text(f"bucket.{k}", ctx.lang) for k in backlog], "count": list(backlog.values())})
    out += tables.data_table("backlog", bl, [Col("bucket", "col.bucket"), Col("count", "ship_backlog", "count")], ctx.lang,
                             row_class=pd.Series(["", "", "so-warn", "so-bad-row"]))
    s72 = _ful.ship_72h(ctx.t, ctx.period)
    ctx.show("ship_72h", s72["rate"])
    out += tables.note(f"{registry.get('ship_72h').label(ctx.lang)}: {formats.pct(s72['rate'])} "
                       f"({s72['on_time']}/{s72['due']})")
    urgent = _ful.urgent_of(ctx.awaiting)
    ctx.show("urgent_orders", len(urgent))
    out += tables.subheading(registry.get("urgent_orders").label(ctx.lang))
    if urgent.empty:
        return out + tables.note(text("fulfilment.urgent_none", ctx.lang))
    return out + tables.data_table("urgent_orders", urgent.head(20), [
        Col("order_id", "col.order"), Col("buyer_id", "col.buyer"), Col("paid_at", "col.paid_at", "datetime"),
        Col("hours", "col.age_h", "hours", KEY), Col("province", "col.province")], ctx.lang)


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
        Col("channel", "col.channel"), Col("campaign", "col.campaign", priority=KEY), Col("cost", "ad_cost", "money", KEY),
        Col("impressions", "col.impressions", "count"), Col("clicks", "col.clicks", "count"),
        Col("ctr", "ctr", "rate"), Col("cpc", "cpc", "money"), Col("ad_cvr", "ad_cvr", "rate"),
        Col("gmv", "col.gmv", "money"), Col("roas", "roas", "ratio", KEY)], ctx.lang,
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
                                      share=formats.pct(pace["mtd_cost"] / pace["budget"]),
                                      expected=formats.money(pace["expected"], ctx.lang),
                                      pacing=formats.pct(pace["pacing"])))
    return out + tables.note(text("ads.pacing_none", ctx.lang, cost=cost))


def products(ctx: ReviewContext) -> Html:
    """商品: top 10 by paid amount, high-UV low-conversion products, stock warnings."""
    out = _section(ctx, "products")
    perf = ctx.product_perf
    cols = [Col("title", "col.product", "product"), Col("paid_amount", "paid_amount", "money"), Col("units", "col.units", "count")]
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
    stock_cols = [Col("sku", "col.sku"), Col("title", "col.product", "product", KEY), Col("on_hand", "col.on_hand", "count"),
                  Col("velocity", "velocity", "ratio"), Col("days_cover", "days_cover", "days", KEY),
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
    return out + tables.data_table("out_of_stock", oos.head(20), [Col("sku", "col.sku"), Col("title", "col.product", "product", KEY),
                                                  Col("uv", "uv", "count"), Col("sales_class", "sales_class")], ctx.lang)
