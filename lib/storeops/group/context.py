"""The group review's context: the period, each store's own review context (its warehouse opened
read-only where it is, its own calendar, timezone, plan and coverage), and the group's figures
made from them (metrics.group) in the reporting currency.

Each store's figures are those its own review shows, by the same functions (ReviewContext.values,
.target, .untracked), so the group adds up exactly what the stores publish. A store reads its own
business day: a day in Los Angeles is a day in Los Angeles.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from storeops import warehouse
from storeops.errors import Closed, ReportError
from storeops.group import config as _gconfig
from storeops.metrics import group as _g
from storeops.metrics import plan, sales
from storeops.metrics.base import evaluate
from storeops.periods import ALWAYS_OPEN, Period
from storeops.present import tables
from storeops.present.i18n import Lang
from storeops.reviews import compare
from storeops.reviews.context import Records, ReviewContext, _listed, missing_for
from storeops.reviews.kinds import resolve

#: the group reviews, and the store review each adds up
BASE = {"group-daily": "daily", "group-weekly": "weekly", "group-monthly": "monthly"}
KINDS = tuple(BASE)


@dataclass
class Store:
    member: _gconfig.Member
    #: the store's own review context; None when it is left out of the group (stale, --allow-incomplete)
    ctx: ReviewContext | None
    missing: dict[str, list[_dt.date]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.member.key

    @property
    def cfg(self):
        return self.member.cfg

    def trades(self, p: Period) -> bool:
        return bool(self.cfg.calendar.trading_days(p))


def months(p: Period) -> list[Period]:
    """``p`` cut at month ends: each part is converted at its own month's rate."""
    out, start = [], p.start
    while start <= p.end:
        nxt = (start.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
        end = min(p.end, nxt - _dt.timedelta(days=1))
        out.append(p if (start, end) == (p.start, p.end) else Period(start, end, "custom"))
        start = nxt
    return out


@dataclass
class GroupContext(Records):
    cfg: _gconfig.GroupConfig
    period: Period
    lang: Lang
    review: str
    stores: list[Store]
    shown: dict[str, Any] = field(default_factory=dict)
    glossary_ids: list[str] = field(default_factory=list)
    comparisons: dict[str, dict[str, float | None]] = field(default_factory=dict)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    computed: dict = field(default_factory=dict, repr=False)

    @property
    def kind(self) -> str:
        return self.review

    @property
    def base(self) -> str:
        """The store review this one adds up (daily for group-daily)."""
        return BASE[self.review]

    @property
    def included(self) -> list[Store]:
        return [s for s in self.stores if s.ctx is not None]

    @property
    def left_out(self) -> list[Store]:
        return [s for s in self.stores if s.ctx is None]

    @cached_property
    def colours(self) -> str:
        return tables.colours(self.cfg.raw, self.lang)

    def rate(self, s: Store, p: Period) -> Decimal:
        """The rate a store's money in ``p`` (within one month) is converted at."""
        return self.cfg.rates.rate(s.cfg.currency, p.start)

    def local(self, s: Store, p: Period) -> dict[str, Any]:
        """A store's headline figures for ``p`` in its own currency, as its review computes them;
        what it does not track is None."""
        key = ("local", s.key, p.start, p.end)
        if key not in self.computed:
            v = dict(s.ctx.values(p))
            v.update(evaluate({"refunded_lines": sales.refunded_lines(s.ctx.t, p),
                               "paid_lines": sales.paid_lines(s.ctx.t, p)}))
            self.computed[key] = {k: None if k in self.gone(s) else x for k, x in v.items()}
        return self.computed[key]

    def store_values(self, s: Store, p: Period) -> dict[str, Any]:
        """A store's figures for ``p`` in the reporting currency: money part by month at that month's rate."""
        parts = _g.combine([_g.convert(self.local(s, q), self.rate(s, q)) for q in months(p)])
        return _g.ratios({**self.local(s, p), **{k: parts[k] for k in _g.MONEY}})

    def values(self, p: Period) -> dict[str, Any]:
        """The group's figures for ``p`` (metrics.group.combine over the included stores)."""
        key = ("group", p.start, p.end)
        if key not in self.computed:
            self.computed[key] = _g.combine([self.store_values(s, p) for s in self.included])
        return self.computed[key]

    def covered(self, p: Period) -> bool:
        """Whether every store that trades in ``p`` has its data for it (a store shut that day adds 0)."""
        trading = [s for s in self.included if s.trades(p)]
        return bool(trading) and all(s.ctx.covered(p) for s in trading)

    def bases(self) -> dict[str, list[Period]]:
        if "bases" not in self.computed:
            self.computed["bases"] = compare.held(self.period, self.covered)
        return self.computed["bases"]

    def headline(self) -> Period | None:
        return (self.bases()[compare.HEADLINE[self.period.kind]] or [None])[0]

    def store_target(self, s: Store, p: Period) -> Decimal | None:
        """A store's target for ``p`` (its plan files, or its targets table) in the reporting currency."""
        out = Decimal(0)
        for q in months(p):
            t = plan.target(s.ctx.t, q, s.ctx.festivals, s.ctx.plans, s.ctx.calendar)
            if t is None:
                return None
            out += _g.money(t, self.rate(s, q))
        return out

    @cached_property
    def target(self) -> Decimal | None:
        """The group's target: Σ of its stores' (None if any store has none: no partial target)."""
        ts = [self.store_target(s, self.period) for s in self.included]
        return None if not ts or any(t is None for t in ts) else sum(ts, Decimal(0))

    @staticmethod
    def gone(s: Store) -> set[str]:
        """What a store does not track (its review's untracked metrics, with the refund rate its parts)."""
        return s.ctx.untracked | ({"refunded_lines", "paid_lines"} if "refund_rate" in s.ctx.untracked else set())

    def untracked(self, mid: str) -> list[Store]:
        """The stores that do not track what ``mid`` needs (the group figure is "—" then)."""
        need = {mid, *_g.RATIOS.get(mid, ())}
        return [s for s in self.included if need & self.gone(s)]

    def close(self) -> None:
        for s in self.included:
            s.ctx.con.disconnect()


def stale(cfg: _gconfig.GroupConfig, kind: str, p: Period) -> dict[str, dict[str, list[_dt.date]]]:
    """{store folder: what it lacks for ``p``} for each store missing data on a day it trades."""
    out = {}
    for m in cfg.members:
        con = warehouse.connect(m.cfg, read_only=True)
        try:
            missing = missing_for(BASE[kind], con, p, m.cfg.calendar)
        finally:
            con.disconnect()
        if missing:
            out[m.key] = missing
    return out


def stale_message(missing: dict[str, dict[str, list[_dt.date]]], p: Period, every: bool = False) -> str:
    """One line naming each store without its data; ``every`` store: there is nothing to leave out."""
    named = "; ".join(f"{key} has no data for {p.label} in {_listed(m, p)}" for key, m in missing.items())
    if every:
        return f"{named}: load it first (no store of the group has its data)"
    it = "it" if len(missing) == 1 else "them"
    return f"{named}: load it first, or run with --allow-incomplete to publish the group without {it} (a banner names {it})"


def check_rates(cfg: _gconfig.GroupConfig, p: Period) -> None:
    """Every rate the review converts at, before anything runs: the months of ``p`` and of the periods
    it is compared with (a missing one is refused, naming the currency and month: config.Rates)."""
    periods = [p, *(q for b in compare.BASES[p.kind] for q in b.periods(p, ALWAYS_OPEN))]
    for m in cfg.members:
        for q in periods:
            for part in months(q):
                cfg.rates.rate(m.cfg.currency, part.start)


def refuse_closed(cfg: _gconfig.GroupConfig, kind: str, p: Period) -> None:
    """No store trades in ``p``: no group review (errors.Closed), as a store's own."""
    if not any(m.cfg.calendar.trading_days(p) for m in cfg.members):
        raise Closed(f"{p.label}: every store of the group is closed then; there is no {kind} review to make")


def refusals(cfg: _gconfig.GroupConfig, kind: str, p: Period,
             allow_incomplete: bool) -> dict[str, dict[str, list[_dt.date]]]:
    """What refuses a group review of ``p``, in one line, before anything runs (the runner's guard and
    a notebook run by hand alike): every store closed, a rate missing, a store without its data
    (unless ``allow_incomplete``, or no store has it). Returns the stores left out, with what they lack."""
    refuse_closed(cfg, kind, p)
    check_rates(cfg, p)
    missing = stale(cfg, kind, p)
    every = len(missing) == len(cfg.members)
    if missing and (not allow_incomplete or every):
        raise ReportError(stale_message(missing, p, every))
    return missing


def open_group(kind: str, period: str | _dt.date | Period | None = None, config: str | None = None,
               lang: Lang | None = None, allow_incomplete: bool = False) -> GroupContext:
    """Open each store's warehouse read-only and fix the period (default: the last one every store
    has ended). A store missing data is refused by name, or with ``allow_incomplete`` left out of the
    group's figures (a banner names it), never counted as 0."""
    cfg = _gconfig.load(config or None)
    p = resolve(kind, cfg, period)
    missing = refusals(cfg, kind, p, allow_incomplete)
    stores = []
    for m in cfg.members:
        ctx = None
        if m.key not in missing:
            ctx = ReviewContext(m.cfg, warehouse.connect(m.cfg, read_only=True), p, lang or cfg.language,
                                review=BASE[kind])
        stores.append(Store(m, ctx, missing.get(m.key, {})))
    return GroupContext(cfg, p, lang or cfg.language, kind, stores)
