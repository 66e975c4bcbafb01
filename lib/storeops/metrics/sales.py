"""Sales and conversion (销售与转化): METRICS.md#sales-and-conversion.

Each function takes the warehouse tables and a period and returns a scalar
ibis expression; :data:`BLOCK` lists them for one-query evaluation.
"""

from __future__ import annotations

import ibis.expr.types as ir
import pandas as pd

from storeops.metrics.base import in_period, safe_div, scalar, total
from storeops.periods import Period
from storeops.warehouse import Tables


def _created(t: Tables, p: Period) -> ir.Table:
    return t.orders.filter(in_period(t.orders.created_at, p))


def paid(o: ir.Table) -> ir.BooleanColumn:
    """Whether an order counts as paid (METRICS.md#paid_orders): paid, for more than 0. Stock
    adjustments, test orders and free samples (0-amount) are no sale and no buyer; `storeops check`
    counts them. Every paid-order and buyer figure filters with this."""
    return o.paid_at.notnull() & (o.paid_amount > 0)


def paid_in(o: ir.Table, p: Period) -> ir.Table:
    """The orders of ``o`` paid in ``p`` (:func:`paid`)."""
    return o.filter(paid(o) & in_period(o.paid_at, p))


def _paid(t: Tables, p: Period) -> ir.Table:
    return paid_in(t.orders, p)


def buyer(o: ir.Table) -> ir.StringColumn:
    """Who bought: the buyer id, or for an order without one (a guest checkout, a POS sale)
    the order itself, so that it counts as one buyer and is never merged with others.
    A store whose data carries no buyer ids at all has no buyer figures (metrics.coverage)."""
    return o.buyer_id.coalesce("#order:" + o.order_id)


def order_amount(t: Tables, p: Period) -> ir.Scalar:
    """下单金额: Σ(goods + shipping − discount + tax) of orders created in the period."""
    o = _created(t, p)
    return total(o.goods_amount + o.shipping_fee - o.discount_amount + o.tax_amount)


def orders(t: Tables, p: Period) -> ir.Scalar:
    """下单笔数: orders created in the period."""
    return scalar(_created(t, p).count())


def ordering_buyers(t: Tables, p: Period) -> ir.Scalar:
    """下单买家数: distinct buyers of orders created in the period for more than 0 (a stock adjustment
    or a free sample is no buyer, as for every buyer count: METRICS.md#paid_orders)."""
    o = _created(t, p)
    return scalar(buyer(o.filter((o.goods_amount + o.shipping_fee - o.discount_amount + o.tax_amount) > 0)).nunique())


def paid_amount(t: Tables, p: Period) -> ir.Scalar:
    """支付金额: Σ paid_amount of orders paid in the period (refunds not removed)."""
    return total(_paid(t, p).paid_amount)


def paid_orders(t: Tables, p: Period) -> ir.Scalar:
    """支付笔数: orders paid in the period, for more than 0."""
    return scalar(_paid(t, p).count())


def paying_buyers(t: Tables, p: Period) -> ir.Scalar:
    """支付买家数: distinct buyers of orders paid in the period."""
    return scalar(buyer(_paid(t, p)).nunique())


def payment_rate(t: Tables, p: Period) -> ir.Scalar:
    """付款率: buyers who paid, within the period, for an order created in it ÷ ordering buyers."""
    o = _created(t, p)
    paid_buyers = scalar(buyer(paid_in(o, p)).nunique())
    return safe_div(paid_buyers, ordering_buyers(t, p))


def uv(t: Tables, p: Period) -> ir.Scalar:
    """访客数: traffic.uv, the store total (never the sum over sources)."""
    return total(t.traffic.filter(in_period(t.traffic.date, p)).uv)


def pv(t: Tables, p: Period) -> ir.Scalar:
    """浏览量: traffic.pv."""
    return total(t.traffic.filter(in_period(t.traffic.date, p)).pv)


def conversion(t: Tables, p: Period) -> ir.Scalar:
    """支付转化率: paying buyers ÷ visitors."""
    return safe_div(paying_buyers(t, p), uv(t, p))


def order_conversion(t: Tables, p: Period) -> ir.Scalar:
    """下单转化率: ordering buyers ÷ visitors."""
    return safe_div(ordering_buyers(t, p), uv(t, p))


def atv(t: Tables, p: Period) -> ir.Scalar:
    """客单价: paid amount ÷ paying buyers (per buyer, as 生意参谋)."""
    return safe_div(paid_amount(t, p), paying_buyers(t, p))


def aov(t: Tables, p: Period) -> ir.Scalar:
    """笔单价: paid amount ÷ paid orders."""
    return safe_div(paid_amount(t, p), paid_orders(t, p))


def uv_value(t: Tables, p: Period) -> ir.Scalar:
    """UV价值: paid amount ÷ visitors."""
    return safe_div(paid_amount(t, p), uv(t, p))


def refund_amount(t: Tables, p: Period) -> ir.Scalar:
    """退款金额: Σ refund_amount of orders refunded in the period (by refunded_at), and Σ amount of
    refund documents (credit notes) dated in it."""
    on_orders = total(t.orders.filter(in_period(t.orders.refunded_at, p)).refund_amount)
    docs = t.optional("refunds")
    return on_orders if docs is None else on_orders + total(docs.filter(in_period(docs.refunded_at, p)).amount)


def _lines_of(t: Tables, orders: ir.Table) -> ir.Table:
    """Order lines of the given orders. A semi-join on the few filtered orders, so a day's
    report never joins the whole order history."""
    return t.order_items.semi_join(orders.select("order_id"), "order_id")


def refunded_lines(t: Tables, p: Period) -> ir.Scalar:
    """Order lines refunded in the 30 days to ``p.end`` (refund documents' lines too): refund_rate's numerator."""
    w = p.trailing(30)
    o = t.orders
    refunded = _lines_of(t, o.filter(in_period(o.refunded_at, w)))
    refunded = scalar(refunded.filter(refunded.refund_qty > 0).count())
    docs = t.optional("refunds")  # a credit note's lines are refunded lines too
    if docs is not None:
        refunded = refunded + scalar(docs.filter(in_period(docs.refunded_at, w) & (docs.qty > 0)).count())
    return refunded


def paid_lines(t: Tables, p: Period) -> ir.Scalar:
    """Order lines paid in the 30 days to ``p.end``: refund_rate's denominator."""
    return scalar(_lines_of(t, _paid(t, p.trailing(30))).count())


def refund_rate(t: Tables, p: Period) -> ir.Scalar:
    """退款率: order lines refunded in the last 30 days (refund documents' lines too) ÷ order lines paid in
    the last 30 days."""
    return safe_div(refunded_lines(t, p), paid_lines(t, p))


def sell_ratio(t: Tables, p: Period) -> ir.Scalar:
    """动销率: SKUs with ≥ 1 unit paid in the last 30 days ÷ SKUs on sale."""
    lines = _lines_of(t, _paid(t, p.trailing(30)))
    sold = lines.filter(lines.qty > 0).select("sku").distinct()
    on_sale = t.products.filter(t.products.status == "on_sale")
    selling = scalar(on_sale.semi_join(sold, "sku").count())
    return safe_div(selling, scalar(on_sale.count()))


def by_day(t: Tables, p: Period) -> pd.DataFrame:
    """Per day of ``p``: paid amount, paying buyers, visitors and conversion (days without data are 0 / None)."""
    o = _paid(t, p)
    sales = o.group_by(day=o.paid_at.date()).aggregate(paid_amount=o.paid_amount.sum(),
                                                      paying_buyers=buyer(o).nunique()).execute()
    tr = t.traffic.filter(in_period(t.traffic.date, p)).select("date", "uv").execute()
    days = pd.DataFrame({"day": p.dates()})
    sales["day"] = pd.to_datetime(sales["day"]).dt.date
    tr["day"] = pd.to_datetime(tr.pop("date")).dt.date
    df = days.merge(sales, on="day", how="left").merge(tr, on="day", how="left")
    df["paid_amount"] = df.paid_amount.astype(float).fillna(0.0)
    df["paying_buyers"] = df.paying_buyers.fillna(0).astype(int)
    df["conversion"] = df.paying_buyers / df.uv.where(df.uv > 0)
    return df


#: the sales-and-conversion block, in the order a report shows it
BLOCK = {
    f.__name__: f
    for f in (order_amount, orders, ordering_buyers, paid_amount, paid_orders, paying_buyers, payment_rate,
              uv, pv, conversion, order_conversion, atv, aov, uv_value, refund_amount, refund_rate, sell_ratio)
}


def block(t: Tables, p: Period, ids: list[str] | None = None) -> dict[str, object]:
    """The block's values for one period, in one query."""
    from storeops.metrics.base import on_days

    ids = tuple(ids or BLOCK)
    return on_days(t, ("sales.block", ids), lambda q: {k: BLOCK[k](t, q) for k in ids}, p)
