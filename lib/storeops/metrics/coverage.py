"""What the data tracks (数据覆盖): a section checks this before it judges.

A store's exports may lack a table (no traffic export) or a column (no shipping
times, no buyer ids). Judged anyway, the gap becomes a false alarm ("8,709
orders unshipped over 72 h") or a wrong figure ("1 buyer", payment rate 100 %).
Each rule below says, for the 30 days ending with a period (or the period, if
longer), whether one kind of data is tracked (refunds and launch dates: whether
the data carries them at all); the metrics it feeds are then shown as "—" with
one line naming what to load, and left out of summary.json.

>>> tracked(t, Period.day(d))  # doctest: +SKIP
{'orders': True, 'buyers': False, 'shipping': True, 'traffic': True, …}
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import ibis
import pandas as pd

from storeops import schema
from storeops.metrics.base import evaluate, in_period, scalar
from storeops.periods import Period
from storeops.warehouse import Tables

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Rule:
    key: str
    #: the metric ids that cannot be judged when this data is not tracked
    metrics: tuple[str, ...]
    #: what loads it: a table and, where it helps, a preset
    load: str


BUYER_METRICS = ("ordering_buyers", "paying_buyers", "payment_rate", "conversion", "order_conversion", "atv",
                 "new_buyers", "repeat_rate", "returning_share", "product_conversion", "consult_conversion")
VISITOR_METRICS = ("uv", "pv", "conversion", "order_conversion", "uv_value")

RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("orders", (), "orders (taobao_orders, shopify_orders, canonical_orders)"),
    Rule("buyers", BUYER_METRICS, "orders.buyer_id (taobao_orders 买家会员名, shopify_orders Email)"),
    Rule("traffic", VISITOR_METRICS, "traffic (sycm_traffic, canonical_traffic)"),
    Rule("shipping", ("ship_backlog", "ship_72h", "urgent_orders"),
         "orders.shipped_at (taobao_orders 发货时间, shopify_orders Fulfilled at)"),
    Rule("refund_times", ("refund_amount",), "orders.refund_amount, refunded_at (canonical_orders), or refund "
                                             "documents (refunds)"),
    Rule("refund_lines", ("refund_rate",), "order_items.refund_qty (canonical_order_items)"),
    Rule("source_sales", ("source_conversion", "source_paid_amount"),
         "traffic_by_source.paying_buyers, paid_amount (sycm_traffic_source 支付买家数, 支付金额)"),
    Rule("inventory", ("velocity", "days_cover", "sales_class", "stockout_rate"), "inventory (canonical_inventory)"),
    Rule("product_traffic", ("product_conversion",), "product_traffic (canonical_product_traffic)"),
    Rule("tickets", ("ticket_sla", "tickets_open"), "cs_tickets (canonical_cs_tickets)"),
    Rule("cs", ("consultations", "consult_conversion", "first_response", "response_3min"),
         "cs_sessions (canonical_cs_sessions)"),
    Rule("ads", ("ad_cost", "store_roas", "roas", "spend_pacing"), "ads (ztc_ads, canonical_ads)"),
    Rule("launch_dates", (), "products.launched_on (canonical_products)"),
)}


def window(p: Period) -> Period:
    """The days a rule looks at: the 30 days ending with ``p``, or ``p`` itself if longer."""
    return p if p.days >= WINDOW_DAYS else p.trailing(WINDOW_DAYS)


def _any(expr) -> ibis.Expr:
    # a row is enough: the limit lets the warehouse stop at the first one rather than count them all
    # (a year of a big store's orders read for every review)
    return scalar(expr.limit(1).count()) > 0


def tracked(t: Tables, p: Period) -> dict[str, bool]:
    """{rule key: whether its data is tracked around ``p``}, in one query.

    - orders: any order created in the window.
    - buyers: orders in the window, and at least one carries a buyer id.
    - traffic: a traffic row in the window (a store that never loads traffic has
      no visitor figures; one whose traffic stops is caught by the freshness guard).
    - shipping: paid orders in the window, and at least one has a shipping time
      (no store ships nothing for 30 days; an export without 发货时间 does).
    - refund_times: the store's data carries refunds at all (an order refunded, or a refund document,
      in the year up to the
      window's end: an export without a refund column reads 0 everywhere, which is not "no
      refunds"), and the window has no refund or at least one refund with its time.
    - refund_lines: likewise, and the window has no refund or an order line with refund_qty.
    - launch_dates: any product with a launch date (no date is no launch, not "nothing launched").
    - source_sales: per-source paid amount in the window.
    - inventory, product_traffic, tickets, cs, ads: a row of that table in the window.
    """
    w = window(p)
    o = t.orders.filter(in_period(t.orders.created_at, w))
    refunds = o.filter(o.refund_amount > 0)
    paid = o.filter(o.paid_at.notnull())
    src = t.traffic_by_source.filter(in_period(t.traffic_by_source.date, w))
    has_src_sales = "paid_amount" in src.columns

    def rows(name: str, col: str) -> ibis.Expr:
        tab = getattr(t, name)
        return _any(tab.filter(in_period(tab[col], w)))

    refunded_lines = t.order_items.semi_join(refunds.select("order_id"), "order_id")
    # the year before the window: whether the store's exports carry refunds at all, without reading
    # all of its history on every review
    year = Period(w.start - _dt.timedelta(days=365), w.end, "custom")
    ever = t.orders.filter(in_period(t.orders.created_at, year) & (t.orders.refund_amount > 0))
    ever_lines = t.order_items.filter(t.order_items.refund_qty > 0).semi_join(ever.select("order_id"), "order_id")
    docs = t.optional("refunds")  # refunds as documents of their own (credit notes) carry refunds too
    if docs is not None:
        docs = docs.filter(in_period(docs.refunded_at, year))
        ever_any, ever_lines_any = _any(ever) | _any(docs), _any(ever_lines) | _any(docs.filter(docs.qty > 0))
    else:
        ever_any, ever_lines_any = _any(ever), _any(ever_lines)
    exprs = {
        "orders": _any(o),
        "buyers": _any(o.filter(o.buyer_id.notnull())),
        "traffic": rows("traffic", "date"),
        "shipping": _any(paid.filter(paid.shipped_at.notnull())),
        "refund_times": ever_any & (~_any(refunds) | _any(refunds.filter(refunds.refunded_at.notnull()))),
        "refund_lines": ever_lines_any & (~_any(refunds)
                                          | _any(refunded_lines.filter(refunded_lines.refund_qty > 0))),
        "source_sales": _any(src.filter(src.paid_amount.notnull())) if has_src_sales else ibis.literal(False),
        "inventory": rows("inventory", "date"),
        "product_traffic": rows("product_traffic", "date"),
        "tickets": rows("cs_tickets", "opened_at"),
        "cs": rows("cs_sessions", "started_at"),
        "ads": rows("ads", "date"),
        "launch_dates": _any(t.products.filter(t.products.launched_on.notnull())),
    }
    return {k: bool(v) for k, v in evaluate(exprs).items()}


def column_fill(t: Tables, p: Period) -> list[tuple[str, str, int, int]]:
    """(table, column, rows in the window, rows with a value) for every column that may be empty,
    over the tables with dates: what ``storeops check`` prints beside the rules."""
    w = window(p)
    out = []
    for name, table in schema.TABLES.items():
        if not table.date_column or name == schema.INGEST_LOG.name:
            continue
        tab = getattr(t, name)
        rows = tab.filter(in_period(tab[table.date_column], w))
        cols = [c.name for c in table.columns if c.nullable and c.name in tab.columns]
        got = evaluate({"_rows": scalar(rows.count()), **{c: scalar(rows[c].count()) for c in cols}})
        out += [(name, c, got["_rows"], got[c]) for c in cols]
    return out


def untracked_metrics(status: dict[str, bool]) -> set[str]:
    """The metric ids that cannot be judged, given :func:`tracked`'s answer."""
    return {m for k, ok in status.items() if not ok for m in RULES[k].metrics}


def zero_amount_orders(t: Tables) -> int:
    """Orders paid for 0 (stock adjustments, tests, free samples): no sale and no buyer in any figure
    (metrics.sales.paid); ``storeops check`` counts them so none goes unseen."""
    o = t.orders
    return int(scalar(o.filter(o.paid_at.notnull() & ~(o.paid_amount > 0).fill_null(False)).count()).execute())


#: a weekday with no order for this many weeks in a row looks like a day the shop closes
QUIET_WEEKS = 8
#: a run of this many days without orders looks like a holiday closure
QUIET_RUN_DAYS = 3


def quiet_days(t: Tables, calendar, until: _dt.date) -> tuple[list[int], list[tuple[_dt.date, _dt.date]]]:
    """What the data says the store calendar may be missing: the weekdays (0 = Monday) with no order in
    any of the last 8 weeks to ``until``, and the runs of 3+ days without orders within the data
    (over the year to ``until``) that the calendar does not close. ``storeops check`` suggests them."""
    o = t.orders
    year = Period(until - _dt.timedelta(days=364), until, "custom")
    days = o.filter(in_period(o.created_at, year)).select(d=o.created_at.cast("date")).distinct().d.execute()
    have = {pd.Timestamp(d).date() for d in days}
    if not have:
        return [], []
    first = min(have)
    recent = [until - _dt.timedelta(days=i) for i in range(7 * QUIET_WEEKS)]
    weekdays = [] if first > recent[-1] else sorted(
        {d.weekday() for d in recent} - {d.weekday() for d in recent if d in have}
        - set(calendar.closed_weekdays))
    runs, run = [], []
    span = [first + _dt.timedelta(days=i) for i in range((until - first).days + 1)]
    for d in span + [None]:
        if d is not None and (not calendar.is_open(d) or d.weekday() in weekdays):
            continue  # a day the shop is (or looks) closed anyway neither starts nor ends a run
        if d is not None and d not in have:
            run.append(d)
            continue
        if len(run) >= QUIET_RUN_DAYS:
            runs.append((run[0], run[-1]))
        run = []
    return weekdays, runs
