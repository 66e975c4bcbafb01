"""What needs doing, and the review in a paragraph: the action list (今日待办 / 本周要点 / 本月要点)
and the written overview, for any period."""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from storeops.metrics import campaigns as _camp
from storeops.metrics import bridge as _bridge, fulfilment as _ful, inventory, plan
from storeops.metrics import registry, service as _svc
from storeops.present import formats, tables
from storeops.present.i18n import text
from storeops.present.tables import Html
from storeops.periods import Period
from storeops.reviews import compare, stock
from storeops.reviews.context import KPI_IDS, ReviewContext
from storeops.reviews.sections import TOP_ROWS, _campaigns, _section


def action_items(ctx: ReviewContext) -> list[tables.Action]:
    """今日待办: every rule of the action list whose data is tracked, with its count and most pressing rows."""
    def orders_top(df):
        return ", ".join(f"{r.order_id} ({r.hours:.0f}h)" for r in df.head(TOP_ROWS).itertuples())

    def tickets_top(df):
        return ", ".join(f"{r.ticket_id} {r.kind} ({r.age_h:.0f}h)" for r in df.head(TOP_ROWS).itertuples())

    items = []
    if ctx.tracks("inventory"):  # a best seller with nothing on the shelf comes first, always
        out = stock.hot_out(ctx)
        items.append(tables.Action("hot_out", len(out), "products",
                                   ", ".join(_sku(r, ctx.lang) for r in out.head(TOP_ROWS).itertuples())))
    if ctx.tracks("shipping"):
        backlog = _ful.overdue_of(ctx.awaiting, 48)
        breached, at_risk = backlog[backlog.hours >= 72], backlog[backlog.hours < 72]
        urgent = _ful.urgent_of(ctx.awaiting)
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
        late = stock.overdue(ctx)
        items.append(tables.Action("po_overdue", len(late), "inventory", ", ".join(
            f"{r.po_id} {r.sku} ×{r.qty} (+{r.days_overdue}d)" for r in late.head(TOP_ROWS).itertuples())))
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
    return [replace(a, anchor=ANCHORS.get(ctx.kind, {}).get(a.anchor, a.anchor)) for a in items]


#: where an action item links in a review that has no section of that name (a link goes somewhere)
ANCHORS = {"daily": {"inventory": "products", "campaigns": "actions", "next_month": "actions"},
           "weekly": {"products": "inventory", "next_month": "actions"},
           "monthly": {"fulfilment": "service", "products": "health", "inventory": "health", "ads": "costs"}}


def _sku(r, lang) -> str:
    """A SKU as an action item names it: its code, and its product and colour/size in words."""
    return f"{r.sku} {tables.product_name(r._asdict(), lang)}"


def _actions(ctx: ReviewContext) -> list[tables.Action]:
    """The action items, worked out once per review (the overview and the action list both show them)."""
    if "actions" not in ctx.computed:
        ctx.computed["actions"] = action_items(ctx)
    return ctx.computed["actions"]


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
    def item(a) -> str:  # "超过72小时未发货的订单 10", "orders unshipped for over 72 h: 8": the thing, then how many
        label = text("actions." + a.key, lang)
        if lang == "en" and label[1:2].islower():  # "Orders …" mid-sentence; "SKUs …" stays as it is
            label = label[:1].lower() + label[1:]
        return text("overview.todo_item", lang, label=tables.prose(label), n=fig("action_" + a.key, str(a.count)))

    items = ("；" if lang == "zh" else "; ").join(item(a) for a in todo[:3])
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
