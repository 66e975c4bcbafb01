"""Campaigns (活动): what each one cost, brought and added. METRICS.md#campaigns.

A campaign is judged over its own days up to the end of the period under review (a
campaign still running is judged so far): the store's visitors, conversion and paid
amount on those days, its cost, ROI, and the lift over what the same weekdays of the
4 weeks before it sold.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from storeops.metrics import sales
from storeops.metrics.anomalies import special_days
from storeops.metrics.base import evaluate, in_period, scalar, total
from storeops.metrics.plan import daily_paid
from storeops.periods import ALWAYS_OPEN, Calendar, Period
from storeops.warehouse import Tables

BASELINE_WEEKS = 4


def overlapping(t: Tables, p: Period) -> pd.DataFrame:
    """Campaigns with a day in ``p``, by start date."""
    c = t.campaigns
    df = c.filter((c.start_date <= p.end) & (c.end_date >= p.start)).execute()
    return _dated(df).sort_values(["start_date", "campaign_id"]).reset_index(drop=True)


def starting(t: Tables, after: _dt.date, days: int = 7) -> pd.DataFrame:
    """Campaigns starting in the ``days`` days after ``after``: what to prepare."""
    c = t.campaigns
    df = c.filter((c.start_date > after) & (c.start_date <= after + _dt.timedelta(days=days))).execute()
    return _dated(df).sort_values(["start_date", "campaign_id"]).reset_index(drop=True)


def _dated(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("start_date", "end_date"):
        df[c] = pd.to_datetime(df[c]).dt.date
    return df


def baseline_days(day: _dt.date, start: _dt.date, skip: frozenset | set = frozenset()) -> list[_dt.date]:
    """The same weekday as ``day`` in each of the 4 weeks before a campaign that starts on ``start``;
    a day in ``skip`` (a festival, another campaign's day) is passed over for the week before it, up
    to 8 weeks back — as the anomaly rule does not compare a festival with an ordinary day.

    >>> baseline_days(_dt.date(2026, 11, 12), _dt.date(2026, 11, 10))  # a Thursday of a Tuesday start
    [datetime.date(2026, 11, 5), datetime.date(2026, 10, 29), datetime.date(2026, 10, 22), datetime.date(2026, 10, 15)]
    """
    first = day - _dt.timedelta(days=7 * ((day - start).days // 7 + 1))
    weeks = (first - _dt.timedelta(days=7 * k) for k in range(2 * BASELINE_WEEKS))
    return [d for d in weeks if d not in skip][:BASELINE_WEEKS]


def results(t: Tables, p: Period, festivals: dict | None = None, calendar: Calendar = ALWAYS_OPEN) -> pd.DataFrame:
    """Per campaign overlapping ``p``, over its days up to ``p.end``:

    - cost = fixed_cost (its share for the days judged, when it runs on past ``p``) + ad spend on
      its days + discount_amount of its orders (campaign_id) + shipping_cost of its free-shipping
      orders (shipping_fee 0)
    - uv, paying buyers, conversion and paid_amount of the store on its days; roi = paid ÷ cost
    - baseline = Σ over its days of the mean paid amount of the same weekday in the 4 weeks
      before it (those of the 4 the data covers; none covered: no baseline, no lift);
      lift = paid − baseline; lift_per_yuan = lift ÷ cost
    """
    rows = []
    first = t.orders.paid_at.min().execute()
    first = None if first is None or pd.isna(first) else pd.Timestamp(first).date()
    # festival days and every campaign's days: not ordinary days to compare with
    special = special_days(festivals, t.campaigns.execute(), range(2000, 2100))
    if first:  # a day the shop was closed sold nothing, and is no baseline either
        special |= {d for d in Period(first, p.end, "custom").dates() if not calendar.is_open(d)}
    for c in overlapping(t, p).itertuples():
        days = Period(c.start_date, min(c.end_date, p.end), "custom")
        o = t.orders.filter((t.orders.campaign_id == c.campaign_id) & in_period(t.orders.paid_at, days))
        free = o.filter(o.shipping_fee == 0)
        v = evaluate({"uv": sales.uv(t, days), "buyers": sales.paying_buyers(t, days),
                      "paid": sales.paid_amount(t, days), "ads": total(t.ads.filter(in_period(t.ads.date, days)).cost),
                      "discounts": total(o.discount_amount), "free_shipping": total(free.shipping_cost.coalesce(0)),
                      "orders": scalar(o.filter(o.paid_amount > 0).count())})
        # only days the data covers: a day before the store's data began is unknown, not ¥0
        base_days = {d: [b for b in baseline_days(d, c.start_date, special) if first and b >= first]
                     for d in days.dates()}
        if all(base_days.values()):
            earliest = min(min(b) for b in base_days.values())
            history = daily_paid(t, Period(earliest, c.start_date - _dt.timedelta(days=1), "custom"))
            baseline = sum(sum(history[b] for b in bs) / len(bs) for bs in base_days.values())
        else:
            baseline = None
        fixed = float(c.fixed_cost) if c.fixed_cost is not None and c.fixed_cost == c.fixed_cost else 0.0
        fixed = round(fixed * days.days / ((c.end_date - c.start_date).days + 1), 2)  # its share so far
        cost = round(fixed + float(v["ads"]) + float(v["discounts"]) + float(v["free_shipping"]), 2)
        paid = float(v["paid"])
        lift = round(paid - baseline, 2) if baseline is not None else None
        rows.append({"campaign_id": c.campaign_id, "theme": c.theme, "kind": c.kind, "start_date": c.start_date,
                     "end_date": c.end_date, "days": days.days, "running": c.end_date > p.end,
                     "fixed_cost": fixed, "ad_cost": float(v["ads"]), "discounts": float(v["discounts"]),
                     "free_shipping": float(v["free_shipping"]), "cost": cost, "campaign_orders": v["orders"],
                     "uv": v["uv"], "paying_buyers": v["buyers"],
                     "conversion": v["buyers"] / v["uv"] if v["uv"] and v["buyers"] is not None else None,
                     "paid_amount": paid, "roi": paid / cost if cost else None,
                     "baseline": round(baseline, 2) if baseline is not None else None,
                     "lift": lift, "lift_per_yuan": lift / cost if cost and lift is not None else None})
    cols = ["campaign_id", "theme", "kind", "start_date", "end_date", "days", "running", "fixed_cost", "ad_cost",
            "discounts", "free_shipping", "cost", "campaign_orders", "uv", "paying_buyers", "conversion",
            "paid_amount", "roi", "baseline", "lift", "lift_per_yuan"]
    return pd.DataFrame(rows, columns=cols)
