"""Advertising (推广): METRICS.md#advertising."""

from __future__ import annotations


import ibis.expr.types as ir
import pandas as pd

from storeops.metrics.base import evaluate, in_period, on_days, safe_div, scalar, total
from storeops.metrics.sales import paid_amount
from storeops.periods import Period
from storeops.warehouse import Tables


def _ads(t: Tables, p: Period) -> ir.Table:
    return t.ads.filter(in_period(t.ads.date, p))


def ad_cost(t: Tables, p: Period) -> ir.Scalar:
    """花费: Σ ads.cost."""
    return total(_ads(t, p).cost)


def store_roas(t: Tables, p: Period) -> ir.Scalar:
    """全店投产比: paid amount ÷ total ad cost."""
    return safe_div(paid_amount(t, p), ad_cost(t, p))


def gross_margin_rate(t: Tables, p: Period) -> ir.Scalar:
    """Gross margin of the goods paid in the 30 days to ``p.end``: (Σ amount − Σ qty × unit_cost) ÷ Σ amount."""
    w = p.trailing(30)
    o = t.orders.filter(in_period(t.orders.paid_at, w))
    lines = t.order_items.semi_join(o.select("order_id"), "order_id").join(t.products, "sku")
    revenue = lines.amount.sum()
    return scalar(safe_div(revenue - (lines.qty * lines.unit_cost).sum(), revenue))


def breakeven_roas(margin: float | None) -> float | None:
    """保本投产比: 1 ÷ gross margin rate (None without a positive margin)."""
    return 1 / margin if margin and margin > 0 else None


def by_campaign(t: Tables, p: Period) -> pd.DataFrame:
    """Per channel and campaign: spend, impressions, clicks, CTR, CPC, click conversion, GMV, ROAS."""
    a = _ads(t, p)
    g = a.group_by(["channel", "campaign"]).aggregate(
        cost=a.cost.sum(), impressions=a.impressions.sum(), clicks=a.clicks.sum(), orders=a.orders.sum(),
        gmv=a.gmv.sum(),
    )
    g = g.mutate(ctr=safe_div(g.clicks, g.impressions), cpc=safe_div(g.cost, g.clicks),
                 ad_cvr=safe_div(g.orders, g.clicks), roas=safe_div(g.gmv, g.cost))
    return g.order_by([g.cost.desc(), g.channel, g.campaign]).execute()


def spend_pacing(t: Tables, p: Period) -> dict[str, float | None]:
    """消耗进度: month-to-date cost ÷ (monthly ad_budget × days elapsed ÷ days in month)."""
    mtd = p.month_to_date()
    month = Period.month_of(p.end)
    tg = t.targets.filter((t.targets.month == month.start) & (t.targets.category == "*"))
    v = evaluate({"cost": ad_cost(t, mtd), "budget": scalar(tg.ad_budget.max())})
    budget = float(v["budget"]) if v["budget"] is not None else None
    expected = budget * mtd.days / month.days if budget else None
    return {"mtd_cost": float(v["cost"]), "budget": budget, "expected": expected,
            "pacing": float(v["cost"]) / expected if expected else None}


def by_channel(t: Tables, p: Period, before: Period) -> pd.DataFrame:
    """Per channel: spend, attributed GMV and ROAS in ``p`` and in ``before``, and their relative changes."""
    def one(q: Period) -> pd.DataFrame:
        a = _ads(t, q)
        g = a.group_by("channel").aggregate(cost=a.cost.sum(), gmv=a.gmv.sum()).execute()
        g[["cost", "gmv"]] = g[["cost", "gmv"]].astype(float)
        g["roas"] = g.gmv / g.cost.where(g.cost > 0)
        return g

    df = one(p).merge(one(before), on="channel", how="outer", suffixes=("", "_before"))
    df[["cost", "gmv"]] = df[["cost", "gmv"]].fillna(0.0)
    for c in ("cost", "roas"):
        was = df[f"{c}_before"]
        df[f"{c}_change"] = df[c] / was.where(was != 0) - 1
    return df.sort_values(["cost", "channel"], ascending=[False, True]).reset_index(drop=True)


def costs(t: Tables, periods: list[Period]) -> pd.DataFrame:
    """Operating cost per period (oldest first): ad spend, discounts (Σ discount_amount of orders paid),
    free-shipping cost (Σ shipping_cost of orders paid with shipping_fee 0), paid amount, the
    marketing cost ratio = (ad spend + discounts + free shipping) ÷ paid amount, and store ROAS."""
    def build(p) -> dict:
        o = t.orders.filter(in_period(t.orders.paid_at, p))
        return {"ad_cost": ad_cost(t, p), "discounts": total(o.discount_amount),
                "free_shipping": total(o.filter(o.shipping_fee == 0).shipping_cost.coalesce(0)),
                "paid_amount": total(o.paid_amount)}

    rows = []
    for p in sorted(periods, key=lambda q: q.start):
        v = {k: float(x) for k, x in on_days(t, "ads.costs", build, p).items()}
        spend = v["ad_cost"] + v["discounts"] + v["free_shipping"]
        rows.append({"period": p.label, **v, "marketing_cost_ratio": spend / v["paid_amount"] if v["paid_amount"] else None,
                     "store_roas": v["paid_amount"] / v["ad_cost"] if v["ad_cost"] else None})
    return pd.DataFrame(rows)


def spend_by_channel(t: Tables, periods: list[Period]) -> pd.DataFrame:
    """Ad spend per channel (rows) and period (columns, oldest first); a channel silent in a period has 0."""
    ps = sorted(periods, key=lambda q: q.start)
    out = {}
    for p in ps:
        a = _ads(t, p)
        out[p.label] = a.group_by("channel").aggregate(cost=a.cost.sum()).execute().set_index("channel").cost.astype(float)
    if not out:
        return pd.DataFrame()
    df = pd.DataFrame(out).fillna(0.0).rename_axis("channel").reset_index()
    return df.sort_values([ps[-1].label, "channel"], ascending=[False, True]).reset_index(drop=True)  # latest first
