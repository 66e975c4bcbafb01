"""The day so far (the hourly pace check): what has been paid by an hour of the day, against the
same hours of like days, and the day total it points to; and what the hour asks of the team
(stock selling out today, ad spend off its pace, complaints, orders due to ship).

A like day is one the daily compares with (metrics.anomalies.reference: the same weekday of the 4
weeks before that the store traded, or the last like festival day) and the data covers. Each like
day that had sold something by the hour says how much of its day was sold by then; the projection
is what is paid so far scaled by the like days together (Σ their day totals ÷ Σ their amounts by
the hour), and the interval runs from the lowest to the highest of the like days' own projections
(what is paid so far ÷ each one's share by the hour): the spread of those days, not a model's.
The same shares, hour by hour, say how the rest of the day will sell (the sell-out hour, the ad
spend expected by now).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

import ibis
import pandas as pd

from storeops.metrics import fulfilment, inventory
from storeops.metrics.base import evaluate, in_period, moment, safe_div, scalar
from storeops.metrics.sales import buyer, paid
from storeops.periods import Period
from storeops.warehouse import Tables

HOURS = 24


@dataclass(frozen=True)
class Projection:
    so_far: Decimal  # paid by the hour today
    value: float | None  # the day total it points to
    low: float | None  # the interval: the lowest like day's projection …
    high: float | None  # … and the highest
    days: int  # the like days it rests on (those that had sold by the hour)


@dataclass(frozen=True)
class Hours:
    """One day's paid amount and paid orders in each hour 0–23 (store-local)."""

    amount: tuple[Decimal, ...]
    orders: tuple[int, ...]

    def before(self, hour: int) -> tuple[Decimal, int]:
        return sum(self.amount[:hour], Decimal(0)), sum(self.orders[:hour])

    @property
    def whole(self) -> tuple[Decimal, int]:
        return self.before(HOURS)


def hourly(t: Tables, days: list[_dt.date]) -> dict[_dt.date, Hours]:
    """{day: its paid amount and orders hour by hour} for each of ``days``, in one query (an order
    counts by its payment time as every sales figure does: METRICS.md#paid_amount)."""
    zero = Hours((Decimal(0),) * HOURS, (0,) * HOURS)
    if not days:
        return {}
    o = t.orders
    picked = o.filter(paid(o) & o.paid_at.date().isin(days))
    rows = picked.group_by(day=picked.paid_at.date(), hour=picked.paid_at.hour()).aggregate(
        amount=picked.paid_amount.sum(), orders=picked.count()).to_pyarrow().to_pylist()
    cells: dict[_dt.date, tuple[list, list]] = {d: ([Decimal(0)] * HOURS, [0] * HOURS) for d in days}
    for r in rows:
        cells[r["day"]][0][r["hour"]] = Decimal(r["amount"])
        cells[r["day"]][1][r["hour"]] = int(r["orders"])
    return {d: Hours(tuple(a), tuple(n)) if any(n) else zero for d, (a, n) in cells.items()}


def paid_by_hour(t: Tables, days: list[_dt.date], hour: int) -> dict[_dt.date, tuple[Decimal, Decimal]]:
    """{day: (paid before ``hour``:00, paid in the whole day)} for each of ``days``."""
    return {d: (h.before(hour)[0], h.whole[0]) for d, h in hourly(t, days).items()}


def projection(so_far: Decimal, like: list[tuple[Decimal, Decimal]]) -> Projection:
    """The day ``so_far`` points to, from the like days' (paid by the hour, paid in the day); a like
    day that had sold nothing by the hour says nothing of today's share and is left out."""
    used = [(b, w) for b, w in like if b > 0]
    if not used:
        return Projection(so_far, None, None, None, 0)
    value = float(so_far) * float(sum(w for _, w in used)) / float(sum(b for b, _ in used))
    own = [float(so_far) * float(w) / float(b) for b, w in used]
    return Projection(so_far, value, min(own), max(own), len(used))


def shares(like: list[Hours]) -> list[float | None]:
    """The like days' share of their day paid before each hour 0 … 24 (Σ before h ÷ Σ whole days;
    share[24] is 1): how a day of this kind fills up. None for all without a like day that sold."""
    whole = float(sum(h.whole[0] for h in like))
    if whole <= 0:
        return [None] * (HOURS + 1)
    return [float(sum(h.before(k)[0] for h in like)) / whole for k in range(HOURS + 1)]


def projected(hours: dict[_dt.date, Hours], day: _dt.date, hour: int, like_days: list[_dt.date]) -> Projection:
    """Paid by ``hour`` on ``day`` and the day it points to, from :func:`hourly`'s ``hours`` of the day
    and its ``like_days``."""
    return projection(hours[day].before(hour)[0], [(hours[d].before(hour)[0], hours[d].whole[0]) for d in like_days])


def pace(t: Tables, day: _dt.date, hour: int, like_days: list[_dt.date]) -> Projection:
    """Paid by ``hour`` on ``day`` and the day it points to, against ``like_days``."""
    return projected(hourly(t, [day, *like_days]), day, hour, like_days)


def _today(col, day: _dt.date, cutoff: _dt.datetime):
    """``col`` falls on ``day`` before the cut-off: a warehouse loaded later (or a test's) holds
    the rest of the day, which the hour must not see."""
    return (col >= moment(_dt.datetime.combine(day, _dt.time()))) & (col < moment(cutoff))


def so_far(t: Tables, day: _dt.date, cutoff: _dt.datetime) -> dict[str, int | None]:
    """Paying buyers before the cut-off, and the visitors the day's traffic row holds so far (traffic
    comes by day: a partial day's export says the day so far; None without a row)."""
    o = t.orders
    p = o.filter(paid(o) & _today(o.paid_at, day, cutoff))
    tr = t.traffic.filter(t.traffic.date == day)
    return evaluate({"paying_buyers": scalar(buyer(p).nunique()), "uv": scalar(tr.uv.max())})


def sell_outs(t: Tables, day: _dt.date, cutoff: _dt.datetime, share: list[float | None]) -> pd.DataFrame:
    """SKUs that sell out before tomorrow at today's pace: on hand at the start of the day (each SKU's
    latest stock count before it: an inventory row is the day's closing count), units paid today so
    far, what is left, and the hour it runs out, if the rest of the day sells as like days do (units
    so far × share[h] ÷ share[now] by hour h). Hot, steady or slow by the 30 days before
    (inventory.sales_class). Without a share to scale by (no like day had sold by the hour), only
    what is gone already."""
    hour = cutoff.hour if cutoff.date() == day else HOURS
    now = 1.0 if hour == HOURS else share[hour]
    o = t.orders.filter(paid(t.orders) & _today(t.orders.paid_at, day, cutoff)).select("order_id")
    lines = t.order_items.join(o, "order_id")
    sold = lines.group_by("sku").aggregate(sold=lines.qty.sum())
    counted = t.inventory.filter(t.inventory.date < day)
    latest = counted.group_by("sku").aggregate(date=counted.date.max())
    inv = counted.join(latest, ["sku", "date"]).select("sku", "on_hand")
    rows = inv.join(sold, "sku").filter(ibis._.sold > 0).execute()
    if rows.empty:
        return pd.DataFrame(columns=["sku", "title", "sales_class", "on_hand", "sold", "left", "runs_out_h",
                                     "hours_left"])
    rows["left"] = rows.on_hand - rows.sold
    rows["runs_out_h"] = [next((h for h in range(hour, HOURS + 1) if s * share[h] / now >= oh), None) if now
                          else (hour if s >= oh else None) for s, oh in zip(rows.sold, rows.on_hand)]
    out = rows[rows.runs_out_h.notna()].copy()
    out["hours_left"] = out.runs_out_h - hour
    w30 = Period.day(day - _dt.timedelta(days=1)).trailing(30)
    paid30 = t.orders.filter(paid(t.orders) & in_period(t.orders.paid_at, w30)).select("order_id")
    l30 = t.order_items.join(paid30, "order_id")
    on_sale = t.products.filter(t.products.status == "on_sale").select("sku", "title")
    amount = l30.join(on_sale, "sku").group_by("sku").aggregate(a=ibis._.amount.sum()).execute()
    cls = inventory.sales_class(amount.set_index("sku").a)
    titles = t.products.filter(t.products.sku.isin(out.sku.tolist())).select("sku", "title").execute()
    out = out.merge(titles, on="sku", how="left")
    out["sales_class"] = out.sku.map(cls).fillna("slow")
    return out.sort_values(["hours_left", "sku"]).reset_index(drop=True)[
        ["sku", "title", "sales_class", "on_hand", "sold", "left", "runs_out_h", "hours_left"]]


def ad_spend(t: Tables, day: _dt.date, share_now: float | None) -> dict[str, float | None]:
    """Ad spend on ``day`` so far (the ads rows as last loaded) against the day's budget (the month's
    ad budget in the targets table ÷ its days) and what the budget expects by now: the budget × the
    like days' share of the day sold by the hour (ads buy the traffic that sells; without like days,
    the hours gone ÷ 24 is no better guess, so there is no pace)."""
    month = Period.month_of(day)
    tg = t.targets.filter((t.targets.month == month.start) & (t.targets.category == "*"))
    v = evaluate({"cost": scalar(t.ads.filter(t.ads.date == day).cost.sum()),
                  "budget": scalar(tg.ad_budget.max())})
    # no row for the day: its spend is not loaded yet (a daily export), which is no spend of 0
    cost = float(v["cost"]) if v["cost"] is not None else None
    budget = float(v["budget"]) / month.days if v["budget"] else None
    expected = budget * share_now if budget and share_now is not None else None
    return {"cost": cost, "budget": budget, "expected": expected,
            "pace": cost / expected if expected and cost is not None else None}


def campaigns_today(t: Tables, day: _dt.date) -> pd.DataFrame:
    """Each campaign's spend, attributed GMV and ROAS on ``day`` so far, biggest spend first."""
    a = t.ads.filter(t.ads.date == day)
    g = a.group_by(["channel", "campaign"]).aggregate(cost=a.cost.sum(), gmv=a.gmv.sum())
    return g.mutate(roas=safe_div(g.gmv, g.cost)).order_by([ibis.desc("cost"), "channel", "campaign"]).execute()


def service_now(t: Tables, day: _dt.date, cutoff: _dt.datetime) -> dict[str, float | int | None]:
    """Chats started today before the cut-off: how many, the mean first response and the share
    answered within 3 minutes (METRICS.md#response_3min)."""
    from storeops.metrics.service import RESPONSE_LIMIT_S

    s = t.cs_sessions.filter(_today(t.cs_sessions.started_at, day, cutoff))
    r = s.first_response_s
    return evaluate({"chats": scalar(s.count()), "first_response": scalar(r.mean()),
                     "response_3min": safe_div(scalar((r <= RESPONSE_LIMIT_S).sum()), scalar(r.count()))})


def ship_due(t: Tables, day: _dt.date, cutoff: _dt.datetime) -> pd.DataFrame:
    """Orders still unshipped at the cut-off whose 72 h run out before the end of ``day`` (hours_left
    < 0: already late), the least time left first."""
    w = fulfilment.awaiting(t, cutoff)
    w = w.mutate(hours_left=fulfilment.SHIP_LIMIT_H - w.hours)
    end = _dt.datetime.combine(day + _dt.timedelta(days=1), _dt.time())
    to_midnight = (end - cutoff).total_seconds() / 3600
    due = w.filter(w.hours_left < to_midnight)
    return due.select("order_id", "paid_at", "is_urgent", "hours_left").order_by(["hours_left", "order_id"]).execute()
