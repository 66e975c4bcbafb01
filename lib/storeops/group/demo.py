"""``storeops demo --group DIR``: a demo group of three stores of different sizes, seasons, platforms,
currencies and timezones, and the rates file and company sales its reviews need.

DIR/params/group.yaml, DIR/params/rates.csv, DIR/stores/{tmall,jd,shopify}/ (each a store folder
as ``storeops init`` makes it, filled by storeops.demo with its own seed, scale and months).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import yaml

from storeops import config as _config
from storeops import demo, folder, warehouse
from storeops.group import folder as gfolder


@dataclass(frozen=True)
class DemoStore:
    key: str
    store: dict[str, str]
    seed: int
    scale: float  # of the demo's volume
    months: tuple[float, ...]  # demand by calendar month


STORES = (
    DemoStore("tmall", {"name": "云裳服饰天猫旗舰店", "name_en": "Yunshang Tmall Flagship", "platform": "tmall",
                        "currency": "CNY", "timezone": "Asia/Shanghai", "language": "zh"},
              7, 1.0, tuple(demo.MONTH)),
    DemoStore("jd", {"name": "云裳服饰京东店", "name_en": "Yunshang JD Store", "platform": "jd",
                     "currency": "CNY", "timezone": "Asia/Shanghai", "language": "zh"},
              11, 0.45, (1.0, 0.85, 0.95, 1.0, 1.1, 1.35, 0.9, 0.85, 0.95, 1.05, 1.15, 1.1)),  # 618 is JD's
    DemoStore("shopify", {"name": "Yunshang US", "name_en": "Yunshang US", "platform": "shopify",
                          "currency": "USD", "timezone": "America/Los_Angeles", "language": "en"},
              23, 0.12, (0.8, 0.8, 0.9, 0.95, 1.0, 0.95, 0.95, 1.0, 0.95, 1.0, 1.4, 1.5)),  # BFCM, holidays
)
ONLINE_SHARE = 0.38  # the demo company's online share, for its company sales


def usd_rate(month: _dt.date) -> Decimal:
    """A USD rate that drifts month by month (so the bridge shows what the rate moved)."""
    n = month.year * 12 + month.month
    return Decimal(f"{7.12 + 0.06 * math.sin(n / 2.5):.4f}")


def end_day() -> _dt.date:
    """The last day every demo store has ended: its yesterday in the westernmost timezone."""
    return min(_dt.datetime.now(ZoneInfo(s.store["timezone"])).date() for s in STORES) - _dt.timedelta(days=1)


def build(root: Path, *, days: int = 400, scale: float = 1.0, end: _dt.date | None = None,
          log=print) -> Path:
    """Write the demo group into ``root`` and return its group.yaml."""
    root = Path(root)
    end = end or end_day()
    if not (root / "params" / "group.yaml").exists():
        gfolder.init(root)
    paid: dict[str, dict[str, Decimal]] = {}
    for s in STORES:
        where = root / "stores" / s.key
        if not (where / "params" / "store.yaml").exists():
            folder.init(where)
        _settings(where / "params" / "store.yaml", s.store)
        cfg = _config.load(where / "params" / "store.yaml")
        con = warehouse.connect(cfg, create=True)
        try:
            counts = demo.generate(con, days=days, seed=s.seed, scale=scale * s.scale, end=end,
                                   months=np.array(s.months))
            by_month = con.raw_sql("select strftime(paid_at, '%Y-%m') m, sum(paid_amount) from orders "
                                   "where paid_at is not null group by 1").fetchall()
        finally:
            con.disconnect()
        paid[s.key] = {m: Decimal(str(v)) for m, v in by_month}
        log(f"  {s.key:<8} {s.store['currency']} {s.store['timezone']:<20} {counts['orders']:>9,} orders")
    ahead = [f"{end + _dt.timedelta(days=d):%Y-%m}" for d in (31, 62)]  # the months a plan is made for next
    months = sorted({m for v in paid.values() for m in v} | set(ahead))
    rates = "month,currency,rate\n" + "".join(
        f"{m},USD,{usd_rate(_dt.date.fromisoformat(m + '-01'))}\n" for m in months)
    (root / "params" / "rates.csv").write_text(rates, encoding="utf-8")
    company = {}
    for m in months:
        rate = usd_rate(_dt.date.fromisoformat(m + "-01"))
        online = sum(paid[s.key].get(m, Decimal(0)) * (rate if s.store["currency"] == "USD" else 1) for s in STORES)
        if online:
            company[m] = float(round(online / Decimal(str(ONLINE_SHARE)), -4))
    _group_settings(root / "params" / "group.yaml", company)
    return root / "params" / "group.yaml"


def _settings(path: Path, store: dict[str, str]) -> None:
    """Set the store block of a store.yaml the template wrote, keeping its comments."""
    text = path.read_text(encoding="utf-8")
    for key, value in store.items():
        text, n = re.subn(rf"(?m)^  {key}: .*$", f"  {key}: {value}", text, count=1)
        if not n:
            text = text.replace("store:\n", f"store:\n  {key}: {value}\n", 1)
    path.write_text(text, encoding="utf-8")


def _group_settings(path: Path, company: dict[str, float]) -> None:
    raw = {
        "group": {"name": "云裳集团", "name_en": "Yunshang Group", "currency": "CNY", "timezone": "Asia/Shanghai",
                  "language": "zh"},
        "stores": [{"folder": f"stores/{s.key}"} for s in STORES],
        "rates_file": "params/rates.csv",
        "plan": {"company_sales": company},
        "reports": {"dir": "reports", "timeout_s": 900},
    }
    head = "# The demo group (storeops demo --group): three stores, two currencies, two timezones.\n"
    path.write_text(head + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
