"""Replenishment (补货) and the stock ledger (进销存): METRICS.md#inventory-and-replenishment.

The Thursday table says per SKU what to order, how much and how urgently; the ledger
reconciles what was bought, sold, returned and counted. Settings come from the
``replenishment`` block of params/store.yaml (:class:`Settings`).

>>> s = Settings.from_config(cfg.raw)                     # doctest: +SKIP
>>> table(inventory.stock_status(t, day), on_order(t, day), s, day)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from storeops.metrics.base import in_period
from storeops.metrics.inventory import OVERSTOCK_DAYS, is_new
from storeops.periods import Period
from storeops.warehouse import Tables

CLASSES = ("hot", "steady", "slow")
#: statuses, most pressing first (the table's order after the SKUs that run out before an order lands)
STATUSES = ("reorder", "watch", "overstock", "no_count", "ok")
#: days to the next Thursday's table: a SKU that will fall below its reorder point before then is watched
WATCH_DAYS = 7


@dataclass(frozen=True)
class Settings:
    """``replenishment:`` in store.yaml; every key optional.

    service_level: {hot: 0.95, steady: 0.90, slow: 0.80}   # → z of the safety stock
    cover_days: {hot: 28, steady: 21, slow: 7}             # stock to order beyond the lead time
    lead_time_days: 15                                     # for products without one (listed in the report)
    moq: 1                                                 # minimum order, where a product has none
    case_pack: 1                                           # units per case, where a product has none
    overstock_days: 90                                     # slow SKUs with more days of cover than this
    stock_falls_at: payment                                # or shipment, where on_hand is physical stock
    trust_overdue: false                                   # count overdue purchase orders as stock to come
    """

    service_level: dict[str, float] = field(default_factory=lambda: {"hot": 0.95, "steady": 0.90, "slow": 0.80})
    cover_days: dict[str, float] = field(default_factory=lambda: {"hot": 28, "steady": 21, "slow": 7})
    lead_time_days: int = 15
    moq: int = 1
    case_pack: int = 1
    overstock_days: float = OVERSTOCK_DAYS
    stock_falls_at: str = "payment"
    trust_overdue: bool = False

    @classmethod
    def from_config(cls, raw: dict[str, Any], where: str = "store.yaml") -> Settings:
        from storeops.errors import ConfigError

        block = raw.get("replenishment") or {}
        base = cls()
        unknown = set(block) - set(cls.__dataclass_fields__)
        if unknown:
            raise ConfigError(f"{where}: replenishment.{sorted(unknown)[0]} is no setting; known: "
                              f"{', '.join(cls.__dataclass_fields__)}")

        def per_class(key: str, ok, expected: str) -> dict[str, float]:
            given = block.get(key) or {}
            if not isinstance(given, dict) or set(given) - set(CLASSES):
                raise ConfigError(f"{where}: replenishment.{key} must map hot / steady / slow to {expected}, "
                                  f"not {given!r}")
            out = {**getattr(base, key), **given}
            bad = [c for c, v in out.items() if not isinstance(v, (int, float)) or isinstance(v, bool) or not ok(v)]
            if bad:
                raise ConfigError(f"{where}: replenishment.{key}.{bad[0]} must be {expected}, not {out[bad[0]]!r}")
            return {c: float(v) for c, v in out.items()}

        def count(key: str, least: int) -> int:
            v = block.get(key, getattr(base, key))
            if not isinstance(v, int) or isinstance(v, bool) or v < least:
                raise ConfigError(f"{where}: replenishment.{key} must be a whole number ≥ {least}, not {v!r}")
            return v

        falls = block.get("stock_falls_at", base.stock_falls_at)
        if falls not in ("payment", "shipment"):
            raise ConfigError(f"{where}: replenishment.stock_falls_at must be payment or shipment, not {falls!r}")
        over = block.get("overstock_days", base.overstock_days)
        if not isinstance(over, (int, float)) or isinstance(over, bool) or over <= 0:
            raise ConfigError(f"{where}: replenishment.overstock_days must be a number of days, not {over!r}")
        trust = block.get("trust_overdue", base.trust_overdue)
        if not isinstance(trust, bool):
            raise ConfigError(f"{where}: replenishment.trust_overdue must be true or false, not {trust!r}")
        return cls(per_class("service_level", lambda v: 0.5 <= v < 1, "a service level between 0.5 and 1"),
                   per_class("cover_days", lambda v: v >= 0, "days ≥ 0"), count("lead_time_days", 0),
                   count("moq", 1), count("case_pack", 1), float(over), falls, trust)

    def z(self, sales_class: str) -> float:
        """The safety factor of a class's service level: 0.95 → 1.645 (METRICS.md rounds it to 1.65)."""
        return NormalDist().inv_cdf(self.service_level[sales_class])


def on_order(t: Tables, day: _dt.date) -> pd.DataFrame:
    """Open purchase-order lines at the end of ``day``: ordered by then and not received by then;
    ``qty`` = qty_ordered − what was received without a receipt date (a PO received after ``day``
    was still wholly on order)."""
    po = t.purchase_orders
    open_ = po.filter((po.ordered_on <= day) & (po.received_on.isnull() | (po.received_on > day)))
    df = open_.select("po_id", "sku", "qty_ordered", "qty_received", "received_on", "expected_on").execute()
    df["qty"] = df.qty_ordered - np.where(df.received_on.isna(), df.qty_received, 0)
    df = df[df.qty > 0]
    df["expected_on"] = pd.to_datetime(df.expected_on).dt.date
    return df[["po_id", "sku", "qty", "expected_on"]].sort_values(["expected_on", "po_id", "sku"],
                                                                   na_position="last").reset_index(drop=True)


def table(status: pd.DataFrame, pos: pd.DataFrame, s: Settings, day: _dt.date) -> pd.DataFrame:
    """The replenishment table: per SKU on sale (inventory.stock_status), its open orders, safety stock,
    reorder point, days of cover, expected stock-out, suggested quantity and status, most urgent first.

    - A SKU without sales history has velocity 0: no safety stock, no order, never a NaN.
    - Negative on-hand in the data counts as 0 (``on_hand`` keeps what the data says).
    - A product without a lead time takes ``s.lead_time_days``; ``lead_time_set`` says which did.
    - ``urgent``: on hand runs out before what will really arrive can refill it, within the lead time
      (an order placed today cannot land sooner): before the next open purchase order that is not
      overdue is due, or, with what it brings, before the one after, or before the lead time ends
      (METRICS.md urgent, followed through every order due in the lead time: a small order due
      first does not make a SKU safe). A hot SKU with nothing on hand is always urgent. An overdue
      order is no cover: it is to chase (:func:`overdue_orders`).
    - ``on_order`` counts every open order; the reorder point and the suggested order count the
      overdue ones only where the store trusts them (``trust_overdue``; by default not).
    - An order is suggested for the SKUs to reorder now or to watch (those that would fall below
      their reorder point before the next Thursday), up to lead time + cover days of demand plus
      safety stock (METRICS.md suggested_qty); a SKU above that line waits for a later table rather
      than taking a small top-up every week, each rounded up to a whole MOQ.
    - ``overdue``: units of purchase orders past their expected date and not received (``!`` in
      ``arrivals``).
    - A product without a unit cost has no order or stock value (NaN, never a made-up 0).
    - ``order_by``: the last day to order (the report day to reorder now; for one to watch, the day it
      falls below its reorder point); ``delivery``: a lead time later.
    """
    df = status.copy()
    open_qty = pos.groupby("sku").qty.sum()
    df["on_order"] = open_qty.reindex(df.sku).fillna(0).astype(int).to_numpy()
    dated = pos.dropna(subset=["expected_on"])
    late = dated[dated.expected_on < day]
    df["overdue"] = late.groupby("sku").qty.sum().reindex(df.sku).fillna(0).astype(int).to_numpy()
    plans: dict[str, list[str]] = {}
    for r in dated.itertuples():  # overdue orders are marked: they were due and have not come
        plans.setdefault(r.sku, []).append(f"{r.expected_on:%m-%d} ×{r.qty}" + ("!" if r.expected_on < day else ""))
    df["arrivals"] = [("; ".join(plans[k]) if k in plans else "") for k in df.sku]
    coming = dated[dated.expected_on >= day]
    df["next_arrival"] = coming.groupby("sku").expected_on.min().reindex(df.sku).to_numpy()
    df["lead_time_set"] = df.lead_time_days.notna()
    df["lead_time_days"] = df.lead_time_days.fillna(s.lead_time_days).astype(int)
    df["moq"] = df.moq.fillna(s.moq).astype(int).clip(lower=1)
    df["case_pack"] = df.case_pack.fillna(s.case_pack).astype(int).clip(lower=1)
    df["unit_cost"] = df.unit_cost.astype(float)
    v = df.velocity.fillna(0.0)
    df["velocity"] = v
    counted = df.on_hand.notna()
    stock = df.on_hand.fillna(0).clip(lower=0)
    df["z"] = df.sales_class.map(s.z)
    df["safety_stock"] = df.z * df.sigma * np.sqrt(df.lead_time_days)
    df["reorder_point"] = v * df.lead_time_days + df.safety_stock
    df["days_cover"] = (stock / v.where(v > 0)).where(counted)
    df["stockout_date"] = [day + _dt.timedelta(days=math.floor(c)) if c == c else None for c in df.days_cover]
    cover = df.sales_class.map(s.cover_days)
    cover_on_order = df.on_order - (0 if s.trust_overdue else df.overdue)
    need = v * (df.lead_time_days + cover) + df.safety_stock - stock - cover_on_order
    position = stock + cover_on_order
    arriving = {k: list(zip(((g.expected_on - day).map(lambda x: x.days)), g.qty))
                for k, g in coming.groupby("sku")}
    runs_out = [_runs_out(h, r, lt, arriving.get(k, [])) for k, h, r, lt in zip(df.sku, stock, v, df.lead_time_days)]
    df["urgent"] = counted & (pd.Series(runs_out, index=df.index) | ((df.sales_class == "hot") & (stock <= 0)))
    idle = (v == 0) & (stock > 0) & ~is_new(df.launched_on, day)  # on the shelf, not new, sold nothing in 28 days
    overstock = (df.sales_class == "slow") & ((df.days_cover > s.overstock_days) | idle)
    df["status"] = np.select(
        [~counted, (v > 0) & (position < df.reorder_point), overstock,
         (v > 0) & (position - WATCH_DAYS * v < df.reorder_point)],
        ["no_count", "reorder", "overstock", "watch"], "ok")
    due = df.status.isin(["reorder", "watch"])
    df["suggested_qty"] = [_rounded(n, m, c) if ok else 0 for n, m, c, ok in zip(need, df.moq, df.case_pack, due)]
    # the last day to order: now for a SKU below its reorder point, the day it falls below for one to
    # watch; then delivery a lead time later
    slack = ((position - df.reorder_point) / v.where(v > 0)).fillna(0).clip(lower=0, upper=WATCH_DAYS - 1)
    df["order_by"] = [day + _dt.timedelta(days=math.floor(s)) if st == "watch" else day if st == "reorder" else None
                      for s, st in zip(slack, df.status)]
    df["delivery"] = [d + _dt.timedelta(days=int(lt)) if d is not None else None
                      for d, lt in zip(df.order_by, df.lead_time_days)]
    df["order_value"] = (df.suggested_qty * df.unit_cost).round(2)
    df["stock_value"] = (stock * df.unit_cost).round(2)
    rank = df.status.map({k: i for i, k in enumerate(STATUSES)})
    df = df.assign(_u=~df.urgent, _r=rank, _c=df.days_cover.fillna(np.inf)).sort_values(
        ["_u", "_r", "_c", "sku"]).drop(columns=["_u", "_r", "_c"])
    return df.reset_index(drop=True)


def _runs_out(on_hand: float, velocity: float, lead_time: int, arrivals: list[tuple[int, int]]) -> bool:
    """Whether ``on_hand`` selling ``velocity`` a day runs out within ``lead_time`` days, refilled by
    ``arrivals`` (days from now, units) of orders not overdue: just before each arrival in the lead
    time, and at its end, what was there and what came must still cover what sold.

    >>> _runs_out(6, 1, 9, [(3, 2)]), _runs_out(6, 1, 9, [(3, 5)]), _runs_out(2, 1, 9, [(3, 50)])
    (True, False, True)
    """
    if not velocity > 0:
        return False
    came = 0.0
    for at, qty in sorted(arrivals):
        if at > lead_time:
            break
        if on_hand + came < velocity * at:
            return True
        came += qty
    return on_hand + came < velocity * lead_time


def overdue_orders(pos: pd.DataFrame, plan: pd.DataFrame, day: _dt.date) -> pd.DataFrame:
    """Purchase-order lines past their expected date and not received at ``day``, to chase: supplier,
    PO, SKU, units, days overdue, and the stock-out they cause (the SKU's runs-out date in ``plan``);
    the soonest stock-out first."""
    late = pos[pos.expected_on.notna()]
    late = late[late.expected_on < day]
    cols = ["sku", "product_id", "title", "color", "size", "supplier", "sales_class", "on_hand", "stockout_date",
            "urgent"]
    out = late.merge(plan[[c for c in cols if c in plan.columns]], on="sku", how="left")
    out["days_overdue"] = [(day - d).days for d in out.expected_on]
    out["_s"] = pd.to_datetime(out.stockout_date)
    return out.sort_values(["_s", "days_overdue", "po_id", "sku"], ascending=[True, False, True, True],
                           na_position="last").drop(columns="_s").reset_index(drop=True)


def _rounded(need: float, moq: int, case_pack: int) -> int:
    """An order for ``need`` units: nothing if none is needed, else at least the MOQ, in whole cases."""
    if not need > 1e-9:
        return 0
    return int(math.ceil(max(need, moq) / case_pack - 1e-9) * case_pack)


def totals(plan: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per ``by`` (sales_class, status, supplier): SKUs, units on hand as counted (a negative count
    included, as the table shows it), stock value at cost (a negative count is worth 0), units and
    value to order."""
    g = plan.groupby(by, sort=False).agg(skus=("sku", "size"), on_hand=("on_hand", "sum"),
                                          stock_value=("stock_value", "sum"), suggested_qty=("suggested_qty", "sum"),
                                          order_value=("order_value", "sum"))
    order = {"sales_class": CLASSES, "status": STATUSES}.get(by, sorted(g.index))
    g = g.reindex([k for k in order if k in g.index]).reset_index()
    g[["stock_value", "order_value"]] = g[["stock_value", "order_value"]].round(2)
    return g


# ---------------------------------------------------------------- the stock ledger


LEDGER = ["opening", "received", "sold", "returned", "expected", "counted", "difference"]


def ledger(t: Tables, p: Period, stock_falls_at: str = "payment") -> pd.DataFrame:
    """进销存 per SKU for ``p``: opening (on hand at the end of the day before ``p``) + received
    (purchase orders received in ``p``) − sold (units paid in ``p``; shipped, where stock falls at
    shipment) + returned (refund_qty of orders refunded in ``p``, units of refund documents dated in it)
    = expected closing; counted (on hand
    at the end of ``p``); difference = counted − expected, in units and at unit cost.

    A SKU without a snapshot at either end has no expected or counted figure (NaN), never a made-up 0.
    """
    before = p.start - _dt.timedelta(days=1)
    inv = t.inventory.filter(t.inventory.date.isin([before, p.end])).select("date", "sku", "on_hand").execute()
    inv["date"] = pd.to_datetime(inv["date"]).dt.date
    snap = inv.pivot_table(index="sku", columns="date", values="on_hand", aggfunc="sum")
    o = t.orders
    moved_at = o.shipped_at if stock_falls_at == "shipment" else o.paid_at
    lines = t.order_items.filter(t.order_items.sku.notnull())
    sold = lines.semi_join(o.filter(in_period(moved_at, p)).select("order_id"), "order_id")
    sold = sold.group_by("sku").aggregate(sold=sold.qty.sum()).execute().set_index("sku").sold
    back = lines.semi_join(o.filter(in_period(o.refunded_at, p)).select("order_id"), "order_id")
    back = back.group_by("sku").aggregate(returned=back.refund_qty.sum()).execute().set_index("sku").returned
    docs = t.optional("refunds")  # returns on refund documents of their own (credit notes)
    if docs is not None:
        d = docs.filter(in_period(docs.refunded_at, p) & docs.sku.notnull())
        d = d.group_by("sku").aggregate(returned=d.qty.sum()).execute().set_index("sku").returned
        back = back.add(d, fill_value=0) if len(d) else back
    po = t.purchase_orders
    got = po.filter(in_period(po.received_on, p))
    got = got.group_by("sku").aggregate(received=got.qty_received.sum()).execute().set_index("sku").received
    prods = t.products.select("sku", "product_id", "title", "color", "size", "category", "unit_cost").execute(
    ).set_index("sku")
    skus = sorted(set(prods.index) | set(snap.index) | set(sold.index) | set(back.index) | set(got.index))
    df = prods.reindex(skus)
    df["opening"] = snap[before].reindex(skus) if before in snap else np.nan
    df["received"] = got.reindex(skus).fillna(0).astype(int)
    df["sold"] = sold.reindex(skus).fillna(0).astype(int)
    df["returned"] = back.reindex(skus).fillna(0).astype(int)
    df["expected"] = df.opening + df.received - df.sold + df.returned
    df["counted"] = snap[p.end].reindex(skus) if p.end in snap else np.nan
    df["difference"] = df.counted - df.expected
    df["unit_cost"] = df.unit_cost.astype(float)
    for c in LEDGER:
        df[f"{c}_value"] = (df[c] * df.unit_cost).round(2)
    return df.rename_axis("sku").reset_index()


def ledger_totals(led: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """The ledger summed per ``by``, over the SKUs counted at both ends (``skus``; ``uncounted`` the rest)."""
    whole = led.expected.notna() & led.counted.notna()
    df = led.assign(**{by: led[by].fillna("—")})
    cols = LEDGER + [f"{c}_value" for c in LEDGER]
    keys = sorted(set(df[by]))
    g = df[whole].groupby(by)[cols].sum().reindex(keys).fillna(0)
    g["skus"] = df[whole].groupby(by).size().reindex(keys).fillna(0).astype(int)
    g["uncounted"] = df[~whole].groupby(by).size().reindex(keys).fillna(0).astype(int)
    g[[f"{c}_value" for c in LEDGER]] = g[[f"{c}_value" for c in LEDGER]].round(2)
    return g.reset_index()
