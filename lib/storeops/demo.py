"""A deterministic, realistic demo store: a Tmall apparel shop.

About 60 products in colours and sizes (~300 SKUs), two years of orders ending
yesterday with weekday and yearly seasonality, 618 and 双11 peaks, a Spring
Festival dip, monthly store campaigns, ads by channel, traffic by source,
customer-service chats, problem-order tickets, late shipments, stock-outs of
hot SKUs, purchase orders, competitors, monthly targets and DSR.

Everything is drawn from one ``numpy`` generator seeded by ``seed``, so the same
arguments give the same warehouse. Money is computed in integer cents and
written as exact decimals. ``scale`` multiplies order volume; the day loop is
vectorised over SKUs and orders, and fact tables are written a month at a time,
in time order (DuckDB's zone maps then skip other days when a report reads one).
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections import defaultdict
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa

from storeops import schema, warehouse
from storeops.errors import WarehouseError
from storeops.progress import progress

BASE_ORDERS_PER_DAY = 200  # paid orders on an ordinary day at scale 1
UNITS_PER_ORDER = 1.35

CATEGORIES = {  # category: (price range ¥, season: +1 summer, -1 winter, 0 all year)
    "T恤": ((79, 129), 1), "衬衫": ((129, 199), 0.5), "连衣裙": ((199, 399), 1),
    "半身裙": ((129, 229), 0.5), "休闲裤": ((129, 199), 0), "牛仔裤": ((159, 259), 0),
    "卫衣": ((159, 259), -0.5), "毛衣": ((199, 359), -1), "外套": ((299, 599), -0.7),
    "羽绒服": ((499, 999), -1.5),
}
COLORS = ["黑色", "白色", "灰色", "藏青", "卡其", "燕麦色", "雾霾蓝", "酒红"]
SIZES = ["S", "M", "L", "XL"]
STYLE_WORDS = ["基础款", "宽松", "修身", "复古", "简约", "法式", "韩版", "通勤", "oversize", "百搭"]
PROVINCES = ["广东", "浙江", "江苏", "上海", "北京", "山东", "四川", "福建", "湖北", "河南",
             "湖南", "安徽", "河北", "陕西", "重庆", "辽宁", "天津", "江西", "云南", "广西"]
PROVINCE_W = np.array([14, 11, 10, 8, 7, 6, 5, 5, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2], float)
SUPPLIERS = ["杭州织造", "广州服饰", "苏州针织"]
AGENTS = ["小美", "小雪", "阿强", "晓丽"]
SOURCES = {  # source: share of store UV (shares overlap: they sum to more than 1)
    "手淘搜索": 0.38, "手淘推荐": 0.22, "直通车": 0.12, "引力魔方": 0.06, "淘宝客": 0.04,
    "购物车": 0.10, "我的淘宝": 0.08, "直接访问": 0.05, "其他": 0.03,
}
#: how well each source converts against the store (cart and returning visitors best); fixed, so the
#: per-source figures need no random draws and the rest of the demo stays as it was
SOURCE_CONVERSION = {"手淘搜索": 1.0, "手淘推荐": 0.6, "直通车": 1.1, "引力魔方": 0.7, "淘宝客": 1.5,
                     "购物车": 2.5, "我的淘宝": 1.8, "直接访问": 1.2, "其他": 0.8}
AD_PLANS = [  # channel, campaign, share of ad spend, ROAS, CPC ¥, CTR
    ("直通车", "搜索-核心词", 0.38, 3.4, 1.30, 0.035),
    ("直通车", "搜索-长尾词", 0.17, 2.4, 0.80, 0.028),
    ("引力魔方", "人群拉新", 0.22, 1.3, 0.55, 0.012),
    ("引力魔方", "老客召回", 0.10, 4.2, 0.70, 0.020),
    ("淘宝客", "通用计划", 0.13, 5.0, 0.90, 0.050),
]
TICKET_KINDS = ["退款", "退换货", "物流异常", "质量问题", "少发漏发", "催发货"]
CHATS = [
    ("这件有{size}码吗？", "亲，{size}码有货的哦，今天下单今天发~"),
    ("身高165体重110穿什么码？", "亲，建议您拿M码，版型偏宽松~"),
    ("什么时候发货呀", "亲，付款后48小时内发货，活动期间72小时内哦"),
    ("可以便宜点吗", "亲，现在店铺满200减20，还可以领取10元优惠券哦"),
    ("这个颜色会不会掉色", "亲，面料经过固色处理，建议冷水手洗~"),
    ("我的快递怎么还没到", "亲，帮您查询了，包裹已到达您所在城市，今天会派送"),
    ("收到的衣服有个线头", "非常抱歉亲，给您补偿5元红包，或者可以申请退换~"),
    ("能改一下地址吗？电话13812345678", "好的亲，已为您备注修改地址，请留意物流信息"),
    ("有没有运费险", "亲，本店商品都赠送运费险，退换无忧哦"),
    ("<b>加急</b>能今天发吗", "亲，已帮您备注加急，下午4点前会发出"),
    ("面料是纯棉的吗", "亲，面料是95%棉5%氨纶，亲肤有弹性"),
    ("尺码偏大还是偏小", "亲，正常码数，按平时尺码拍就可以哦"),
]
CNY = {  # Spring Festival (正月初一)
    2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29",
    2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13",
    2030: "2030-02-03",
}
WEEKDAY = np.array([1.05, 1.00, 0.97, 0.97, 0.93, 0.98, 1.10])  # Mon..Sun
MONTH = np.array([1.05, 0.85, 0.95, 1.00, 1.00, 1.05, 0.85, 0.85, 1.00, 1.12, 1.25, 1.15])
COMPETITORS = ["竞店A·极简女装", "竞店B·街头潮牌", "竞店C·大码优选"]


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    theme: str
    kind: str
    start: _dt.date
    end: _dt.date
    lift: float  # demand multiplier on ordinary campaign days
    peak: float  # multiplier on the last day (618, 双11)
    fixed_cost: int  # ¥


def _campaigns(first: _dt.date, last: _dt.date, scale: float) -> list[Campaign]:
    out: list[Campaign] = []
    for year in range(first.year, last.year + 1):
        D = _dt.date
        plat = [
            ("NY", "年货节", D(year, 1, 6), D(year, 1, 12), 1.20, 1.20, 8000),
            ("W38", "38女王节", D(year, 3, 5), D(year, 3, 8), 1.30, 1.60, 10000),
            ("618", "618年中大促", D(year, 6, 1), D(year, 6, 18), 1.40, 3.50, 30000),
            ("99", "99大促", D(year, 9, 7), D(year, 9, 9), 1.30, 1.50, 8000),
            ("D11", "双11全球狂欢节", D(year, 10, 31), D(year, 11, 11), 1.60, 5.00, 60000),
            ("D12", "双12", D(year, 12, 10), D(year, 12, 12), 1.40, 2.20, 10000),
        ]
        for code, theme, s, e, lift, peak, cost in plat:
            out.append(Campaign(f"C{year}{code}", theme, "platform", s, e, lift, peak, int(cost * scale)))
        for month in (2, 4, 5, 7, 8, 10):  # 会员日 in months without a platform event on the 8th
            s = D(year, month, 18)
            out.append(Campaign(f"C{year}{month:02d}VIP", f"{month}月会员日", "store", s, s + _dt.timedelta(days=2),
                                1.25, 1.25, int(2000 * scale)))
    return [c for c in out if c.end >= first and c.start <= last]


def _day_factor(d: _dt.date, campaigns_by_day: dict[_dt.date, Campaign], first: _dt.date,
                months: np.ndarray = MONTH) -> float:
    """Expected demand on day ``d`` relative to an ordinary weekday at the start."""
    f = WEEKDAY[d.weekday()] * months[d.month - 1]
    f *= 1.15 ** ((d - first).days / 365)  # the store grows ~15 % a year
    for y in (d.year, d.year + 1):
        if y in CNY:
            off = (d - _dt.date.fromisoformat(CNY[y])).days
            if -10 <= off <= 7:  # couriers stop: orders dip before and through the holiday
                f *= 0.45 if -3 <= off <= 5 else 0.7
    c = campaigns_by_day.get(d)
    if c:
        f *= c.peak if d == c.end else c.lift
    return f


def _season(d: _dt.date) -> float:
    """+1 at the height of summer, −1 in deep winter."""
    return float(np.cos(2 * np.pi * (d.timetuple().tm_yday - 196) / 365))


def money(cents: np.ndarray) -> pa.Array:
    """Exact DECIMAL(18,2) from integer cents (decimal128 stores the unscaled integer)."""
    cents = np.asarray(cents, dtype=np.int64)
    words = np.empty(2 * len(cents), dtype=np.int64)
    words[0::2] = cents
    words[1::2] = cents >> 63  # sign extension of the high word
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(cents), [None, pa.py_buffer(words.tobytes())])


def _ts(a: np.ndarray) -> pa.Array:
    """datetime64[s] with NaT as null, as a timestamp column."""
    return pa.array(a.astype("datetime64[us]"), mask=np.isnat(a), type=pa.timestamp("us"))


def _seq_ids(prefix: str, start: int, n: int, width: int) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(start, start + n)], dtype=object)


def _buyer_ids(n: np.ndarray, seed: int) -> np.ndarray:
    """Taobao-style member names; 7919 is prime to 10⁹, so distinct numbers give distinct names."""
    return np.array([f"tb{x:09d}" for x in (np.asarray(n, np.int64) * 7919 + seed) % 10**9], dtype=object)


def _products(rng: np.random.Generator, first: _dt.date, last: _dt.date) -> pd.DataFrame:
    rows = []
    cats = list(CATEGORIES)
    for i in range(60):
        cat = cats[i % len(cats)]
        (lo, hi), _ = CATEGORIES[cat]
        price = int(rng.integers(lo // 10, hi // 10 + 1)) * 10 - 1
        pid = f"6{58000 + i * 37:07d}"
        title = f"{rng.choice(STYLE_WORDS)}{cat} {2024 + i % 3}新款"
        n_col = 1 + int(rng.random() < 0.3)
        launched = first - _dt.timedelta(days=int(rng.integers(30, 400)))
        if i >= 48:  # a dozen products launched during the two years
            launched = first + _dt.timedelta(days=int(rng.integers(60, max(61, (last - first).days - 20))))
        supplier = SUPPLIERS[i % len(SUPPLIERS)]
        lead = int(rng.choice([7, 10, 14, 21]))
        for color in rng.choice(COLORS, n_col, replace=False):
            for size in SIZES:
                rows.append(dict(
                    sku=f"{pid}-{COLORS.index(color):02d}{size}", product_id=pid, title=title, category=cat,
                    color=str(color), size=size, price_c=price * 100,
                    cost_c=int(price * 100 * rng.uniform(0.38, 0.5)),
                    status="on_sale", launched_on=launched, supplier=supplier, lead_time_days=lead,
                    moq=int(rng.choice([20, 30, 50])), case_pack=int(rng.choice([5, 10])),
                ))
    p = pd.DataFrame(rows)
    # discontinued products: a few slow ones taken off sale
    off = rng.choice(p.product_id.unique(), 3, replace=False)
    p.loc[p.product_id.isin(off), "status"] = "off_sale"
    return p


def _popularity(rng: np.random.Generator, p: pd.DataFrame) -> np.ndarray:
    """Per-SKU weight: a few hot products (Zipf), M and L sell best."""
    prod_rank = {pid: r for r, pid in enumerate(rng.permutation(p.product_id.unique()), 1)}
    prod_w = np.array([1 / prod_rank[x] ** 0.9 for x in p.product_id])
    size_w = p["size"].map({"S": 0.6, "M": 1.2, "L": 1.1, "XL": 0.6}).to_numpy()
    return prod_w * size_w * rng.uniform(0.7, 1.3, len(p))


def generate(con: ibis.BaseBackend, *, days: int = 730, seed: int = 7, scale: float = 1.0,
             end: _dt.date, force: bool = False, months: np.ndarray = MONTH) -> dict[str, int]:
    """Fill the warehouse behind ``con`` with a demo store whose last day is ``end``.

    Existing canonical tables are dropped and recreated, unless they hold
    orders that did not come from the demo (then refuse unless ``force``).
    Returns the rows written per table. ``months``: demand by calendar month (the group demo's
    stores sell in seasons of their own).
    """
    existing = set(con.list_tables())
    if "orders" in existing and not force:
        o = con.table("orders")
        foreign = o.filter(o.source.isnull() | (o.source != "demo")).count().execute()
        if foreign:
            what = "order that is" if foreign == 1 else "orders that are"
            raise WarehouseError(f"the warehouse holds {foreign:,} {what} not demo data; "
                                 "refusing to replace them (use --force, or point --config elsewhere)")
    for name in schema.TABLES:
        if name in existing:
            con.drop_table(name)
    warehouse.create_tables(con)
    counts: dict[str, int] = defaultdict(int)

    def write(name: str, data: pa.Table | pd.DataFrame) -> None:
        counts[name] += warehouse.upsert(con, name, data)

    rng = np.random.default_rng(seed)
    first = end - _dt.timedelta(days=days - 1)
    cutoff = np.datetime64(end + _dt.timedelta(days=1), "s")  # data is as of the end of `end`
    campaigns = _campaigns(first, end, scale)
    by_day = {c.start + _dt.timedelta(days=i): c for c in campaigns
              for i in range((c.end - c.start).days + 1)}

    prods = _products(rng, first, end)
    n_sku = len(prods)
    pop = _popularity(rng, prods)
    price_c = prods.price_c.to_numpy()
    season_sens = prods.category.map(lambda c: CATEGORIES[c][1]).to_numpy()
    launched = pd.to_datetime(prods.launched_on).dt.date.to_numpy()
    lead = prods.lead_time_days.to_numpy()
    case_pack = prods.case_pack.to_numpy()
    moq = prods.moq.to_numpy()
    sku_arr = prods.sku.to_numpy()
    off_sale = (prods.status == "off_sale").to_numpy()

    # expected units a day per SKU, before day factors
    share = pop / pop.sum()
    base_units = BASE_ORDERS_PER_DAY * scale * UNITS_PER_ORDER
    on_hand = np.ceil(base_units * share * 35).astype(np.int64)
    open_po: list[dict] = []  # each: sku index, qty, ordered, expected, arrives
    po_rows: list[dict] = []
    hot_idx = np.argsort(-pop)[:15]
    troubled = set(rng.choice(hot_idx, 5, replace=False).tolist())  # suppliers that let us down at the end

    buyer_count = 0
    buyers_seen = 0
    order_seq = 0
    ticket_seq = 0
    session_seq = 0
    month_buf: dict[str, list] = defaultdict(list)
    inv_rows, traffic_rows, source_rows, ptraffic_rows, ad_rows, rating_rows = [], [], [], [], [], []
    dsr = np.array([4.82, 4.85, 4.80])
    expected_gmv_c: dict[_dt.date, float] = {}
    realised_gmv_c: dict[_dt.date, float] = {}
    product_ids = prods.product_id.unique()
    prod_of_sku = pd.Categorical(prods.product_id, categories=product_ids).codes
    ptraffic_bias = np.ones(len(product_ids))
    ptraffic_bias[rng.choice(len(product_ids), 4, replace=False)] = 3.0  # high-UV, low-conversion items

    def flush_month() -> None:
        if not month_buf:
            return
        for name in ("orders", "order_items", "cs_sessions", "cs_tickets"):
            parts = month_buf.pop(name, [])
            if parts:
                write(name, pa.concat_tables(parts, promote_options="permissive"))
        month_buf.clear()

    restock: dict[_dt.date, np.ndarray] = {}
    dates = [first + _dt.timedelta(days=i) for i in range(days)]
    for d in progress(dates, "demo: days", unit="day"):
        if d.day == 1 and d != first:
            flush_month()
        f = _day_factor(d, by_day, first, months)
        camp = by_day.get(d)
        season = _season(d)
        seasonal = np.exp(0.55 * season_sens * season)
        live = (launched <= d) & ~(off_sale & (d > end - _dt.timedelta(days=60)))
        lam = base_units * f * share * seasonal * live
        lam = lam / max(1e-9, (share * seasonal * live).sum()) * (share * live).sum()
        expected_gmv_c[d] = float((lam * price_c).sum())

        # --- stock: arrivals and returns, then sales capped by what is on hand
        on_hand += restock.pop(d, 0)  # refunded units go back on the shelf the day of the refund
        arrivals = [po for po in open_po if po["arrives"] == d]
        for po in arrivals:
            on_hand[po["i"]] += po["qty"]
            open_po.remove(po)
        demand = rng.poisson(lam)
        sold = np.minimum(demand, on_hand)
        on_hand -= sold

        # --- replenish on Thursdays: below lead + 21 days of cover, order up to lead + 42
        if d.weekday() == 3:
            on_order = np.zeros(n_sku, np.int64)
            for po in open_po:
                on_order[po["i"]] += po["qty"]
            # buyers plan for the season ahead (双11 included), not for an ordinary week
            ahead = np.mean([_day_factor(d + _dt.timedelta(days=k), by_day, first, months) for k in range(0, 50, 2)])
            rate = base_units * share * seasonal * live * 1.1 * ahead
            need = rate * (lead + 21) - on_hand - on_order
            for i in np.nonzero((need > 0) & live)[0]:
                qty = int(np.ceil(max(rate[i] * (lead[i] + 42) - on_hand[i] - on_order[i], moq[i]) / case_pack[i])
                          * case_pack[i])
                expected = d + _dt.timedelta(days=int(lead[i]))
                delay = int(rng.choice([0, 0, 0, 1, 2, 5]))
                if i in troubled and d > end - _dt.timedelta(days=75):
                    delay += 60  # the late supplier behind today's stock-outs
                po = dict(i=i, qty=qty, ordered=d, expected=expected, arrives=expected + _dt.timedelta(days=delay))
                open_po.append(po)
                po_rows.append(po)
        inv_rows.append((d, on_hand.copy()))

        # --- orders from the units sold: lines of 1 (sometimes 2) units, 1–3 lines an order
        units = sold.sum()
        if units:
            pairs = rng.binomial(sold // 2, 0.1)
            line_sku = np.concatenate([np.repeat(np.arange(n_sku), sold - 2 * pairs), np.repeat(np.arange(n_sku), pairs)])
            line_qty = np.concatenate([np.ones(int((sold - 2 * pairs).sum()), np.int64), np.full(int(pairs.sum()), 2)])
            perm = rng.permutation(len(line_sku))
            line_sku, line_qty = line_sku[perm], line_qty[perm]
            sizes = rng.choice([1, 2, 3], size=len(line_sku), p=[0.76, 0.19, 0.05])
            ends = np.cumsum(sizes)
            n_orders = int(np.searchsorted(ends, len(line_sku)) + 1)
            line_order = np.repeat(np.arange(n_orders), np.diff(np.concatenate([[0], np.minimum(ends[:n_orders], len(line_sku))])))
        else:
            n_orders, line_sku, line_qty, line_order = 0, np.array([], int), np.array([], int), np.array([], int)
        # orders created but never paid: lines drawn like the rest, no stock taken
        n_unpaid = int(rng.binomial(max(n_orders, 1), 0.07)) if n_orders else 0
        u_sku = rng.choice(n_sku, size=n_unpaid, p=lam / lam.sum()) if n_unpaid and lam.sum() > 0 else np.array([], int)
        line_sku = np.concatenate([line_sku, u_sku])
        line_qty = np.concatenate([line_qty, np.ones(n_unpaid, np.int64)])
        line_order = np.concatenate([line_order, n_orders + np.arange(n_unpaid)])
        n_all = n_orders + n_unpaid
        paid = np.arange(n_all) < n_orders
        if n_all == 0:
            _day_side_tables(d, 0, 0, rng, f, lam, price_c, traffic_rows, source_rows, ptraffic_rows, ad_rows,
                             rating_rows, dsr, prod_of_sku, ptraffic_bias, product_ids, camp)
            continue

        # amounts in cents
        item_disc = 0.9 if camp else 1.0
        unit_c = np.round(price_c[line_sku] * item_disc).astype(np.int64)
        amount_c = unit_c * line_qty
        goods_c = np.bincount(line_order, weights=amount_c, minlength=n_all).astype(np.int64)
        ship_c = np.where(goods_c >= 9900, 0, 1000)
        coupon = np.where(camp is not None, (goods_c // 20000) * 2000, np.where(rng.random(n_all) < 0.06, 1000, 0))
        disc_c = np.minimum(coupon, goods_c // 2)
        paid_c = goods_c + ship_c - disc_c

        # buyers: ~34 % are returning customers
        returning = (rng.random(n_all) < 0.34) & (buyers_seen > 0)
        ids = np.where(returning, rng.integers(0, max(buyers_seen, 1), n_all), 0)
        n_new = int((~returning).sum())
        ids[~returning] = buyer_count + np.arange(n_new)
        buyer_count += n_new

        # times: evening-heavy hour profile; payment within minutes, some later
        hours = rng.choice(24, size=n_all, p=_HOURS)
        day0 = np.datetime64(d, "s")
        created = day0 + (hours * 3600 + rng.integers(0, 3600, n_all)).astype("timedelta64[s]")
        pay_delay = np.where(rng.random(n_all) < 0.04, rng.integers(3600, 20 * 3600, n_all),
                             rng.exponential(180, n_all).astype(np.int64) + 5)
        paid_at = np.where(paid, created + pay_delay.astype("timedelta64[s]"), np.datetime64("NaT"))
        paid = paid & (paid_at < cutoff)  # late payers of the last evening have not paid yet
        paid_at = np.where(paid, paid_at, np.datetime64("NaT"))
        urgent = paid & (rng.random(n_all) < 0.03)
        ship_h = np.where(urgent, rng.gamma(2, 3, n_all), rng.lognormal(np.log(20), 0.5, n_all))
        late = rng.random(n_all) < (0.10 if camp and camp.kind == "platform" else 0.025)
        ship_h = np.where(late & ~urgent, rng.uniform(72.5, 130, n_all), np.minimum(ship_h, 71))
        shipped = paid_at + (ship_h * 3600).astype("timedelta64[s]")
        shipped = np.where(shipped < cutoff, shipped, np.datetime64("NaT"))
        delivered = shipped + (rng.uniform(24, 96, n_all) * 3600).astype("timedelta64[s]")
        delivered = np.where(delivered < cutoff, delivered, np.datetime64("NaT"))
        cancelled = np.where(~paid, created + np.timedelta64(24 * 3600, "s"), np.datetime64("NaT"))
        cancelled = np.where(cancelled < cutoff, cancelled, np.datetime64("NaT"))
        refund = paid & (rng.random(n_all) < 0.07)
        refunded_at = np.where(refund, paid_at + (rng.uniform(12, 240, n_all) * 3600).astype("timedelta64[s]"),
                               np.datetime64("NaT"))
        refund = refund & (refunded_at < cutoff)
        refunded_at = np.where(refund, refunded_at, np.datetime64("NaT"))
        full_refund = refund & (rng.random(n_all) < 0.6)
        # lines are permuted, so find each order's first line explicitly
        order_first_line = np.full(n_all, -1)
        order_first_line[line_order[::-1]] = np.arange(len(line_order))[::-1]
        partial_c = np.zeros(n_all, np.int64)
        partial_c[:] = amount_c[order_first_line]
        refund_c = np.where(full_refund, paid_c, np.where(refund, np.minimum(partial_c, paid_c), 0))
        line_refund_qty = np.where(full_refund[line_order], line_qty,
                                   np.where(refund[line_order] & (np.arange(len(line_order)) == order_first_line[line_order]),
                                            line_qty, 0))
        back = line_refund_qty > 0
        for when, i, q in zip(refunded_at[line_order[back]].astype("datetime64[D]").tolist(), line_sku[back],
                              line_refund_qty[back]):
            restock.setdefault(when, np.zeros(n_sku, np.int64))[i] += q

        status = np.full(n_all, "paid", dtype=object)
        status[~paid] = np.where(np.isnat(cancelled[~paid]), "pending_payment", "closed")
        status[~np.isnat(shipped)] = "shipped"
        status[~np.isnat(delivered)] = "completed"
        status[full_refund] = "refunded"
        oid = _seq_ids(d.strftime("%y%m%d"), order_seq, n_all, 10)
        order_seq += n_all
        buyer = _buyer_ids(ids, seed)
        prov = rng.choice(PROVINCES, n_all, p=PROVINCE_W / PROVINCE_W.sum())

        month_buf["orders"].append(pa.table({
            "order_id": oid, "buyer_id": buyer, "created_at": _ts(created), "paid_at": _ts(paid_at),
            "shipped_at": _ts(shipped), "delivered_at": _ts(delivered), "cancelled_at": _ts(cancelled),
            "status": pa.array(status, pa.string()), "goods_amount": money(goods_c), "shipping_fee": money(ship_c),
            "discount_amount": money(disc_c), "tax_amount": money(np.zeros(n_all, np.int64)),
            "paid_amount": money(paid_c), "refund_amount": money(refund_c), "refunded_at": _ts(refunded_at),
            "shipping_cost": money(np.where(np.isnat(shipped), 0, 800)),
            "channel": np.where(rng.random(n_all) < 0.92, "app", "pc"), "province": prov,
            "is_urgent": urgent, "campaign_id": pa.array([camp.campaign_id if camp else None] * n_all, pa.string()),
            "source": np.full(n_all, "demo"),
        }))
        ln = np.zeros(len(line_order), np.int32)
        order_sort = np.argsort(line_order, kind="stable")
        ln_sorted = np.arange(len(line_order)) - np.searchsorted(line_order[order_sort], line_order[order_sort])
        ln[order_sort] = ln_sorted + 1
        month_buf["order_items"].append(pa.table({
            "order_id": oid[line_order], "line_no": ln, "sku": sku_arr[line_sku],
            "qty": line_qty.astype(np.int32), "unit_price": money(unit_c), "amount": money(amount_c),
            "refund_qty": line_refund_qty.astype(np.int32),
        }))

        # customer service: ~22 % of buyers ask first, plus visitors who never buy
        asked = np.nonzero(rng.random(n_all) < 0.22)[0]
        n_browse = int(len(asked) * 0.4)
        n_s = len(asked) + n_browse
        s_buyer = np.concatenate([buyer[asked], _buyer_ids(buyer_count + np.arange(n_browse), seed)])
        buyer_count += n_browse
        s_start = np.concatenate([created[asked] - (rng.uniform(2, 40, len(asked)) * 60).astype("timedelta64[s]"),
                                  day0 + rng.integers(8 * 3600, 23 * 3600, n_browse).astype("timedelta64[s]")])
        s_start = np.maximum(s_start, day0)
        frs = np.where(rng.random(n_s) < 0.04, rng.integers(181, 900, n_s),
                       np.minimum(rng.lognormal(np.log(18), 0.8, n_s), 170)).astype(np.int32)
        chat = rng.integers(0, len(CHATS), n_s)
        size = rng.choice(SIZES, n_s)
        transcript = [f"买家：{CHATS[c][0].format(size=s)}\n客服：{CHATS[c][1].format(size=s)}" for c, s in zip(chat, size)]
        if n_s:
            month_buf["cs_sessions"].append(pa.table({
                "session_id": _seq_ids("S", session_seq, n_s, 10),
                "started_at": _ts(s_start), "buyer_id": s_buyer, "agent": rng.choice(AGENTS, n_s),
                "first_response_s": frs, "messages": rng.integers(2, 16, n_s).astype(np.int32),
                "transcript": transcript,
            }))
            session_seq += n_s

        # problem-order tickets: ~2.5 % of paid orders
        tk = np.nonzero(paid & (rng.random(n_all) < 0.025))[0]
        if len(tk):
            opened = paid_at[tk] + (rng.uniform(1, 120, len(tk)) * 3600).astype("timedelta64[s]")
            keep = opened < cutoff
            tk, opened = tk[keep], opened[keep]
            res_h = np.where(rng.random(len(tk)) < 0.08, rng.uniform(24.5, 60, len(tk)), rng.lognormal(np.log(7), 0.7, len(tk)))
            resolved = opened + (res_h * 3600).astype("timedelta64[s]")
            resolved = np.where(resolved < cutoff, resolved, np.datetime64("NaT"))
            month_buf["cs_tickets"].append(pa.table({
                "ticket_id": _seq_ids("T", ticket_seq, len(tk), 9),
                "order_id": oid[tk], "kind": rng.choice(TICKET_KINDS, len(tk)), "opened_at": _ts(opened),
                "resolved_at": _ts(resolved), "status": np.where(np.isnat(resolved), "open", "resolved"),
                "severity": np.where(rng.random(len(tk)) < 0.15, "high", "normal"),
            }))
            ticket_seq += len(tk)

        buyers_seen = buyer_count
        realised_gmv_c[d] = float(paid_c[paid].sum())
        n_payers = len(np.unique(ids[paid]))
        _day_side_tables(d, n_payers, int(paid_c[paid].sum()), rng, f, lam, price_c, traffic_rows, source_rows,
                         ptraffic_rows, ad_rows, rating_rows, dsr, prod_of_sku, ptraffic_bias, product_ids, camp)
    flush_month()

    # --- the slow tables, written once, in date order
    write("products", pd.DataFrame({
        **{c: prods[c] for c in ("sku", "product_id", "title", "category", "color", "size", "status",
                                 "launched_on", "supplier", "lead_time_days", "moq", "case_pack")},
        "price": pd.Series(money(prods.price_c.to_numpy()).to_pylist()),
        "unit_cost": pd.Series(money(prods.cost_c.to_numpy()).to_pylist()),
    }))
    inv = pa.table({
        "date": pa.array(np.repeat([d for d, _ in inv_rows], n_sku), pa.date32()),
        "sku": np.tile(sku_arr, len(inv_rows)),
        "on_hand": np.concatenate([oh for _, oh in inv_rows]).astype(np.int32),
    })
    write("inventory", inv)
    po_ids = {}
    for po in po_rows:
        key = (po["ordered"], prods.supplier.iat[po["i"]])
        po_ids.setdefault(key, f"PO{po['ordered']:%Y%m%d}{SUPPLIERS.index(key[1]) + 1:02d}")
    write("purchase_orders", pd.DataFrame({
        "po_id": [po_ids[(po["ordered"], prods.supplier.iat[po["i"]])] for po in po_rows],
        "sku": [sku_arr[po["i"]] for po in po_rows],
        "qty_ordered": [po["qty"] for po in po_rows],
        "ordered_on": [po["ordered"] for po in po_rows],
        "expected_on": [po["expected"] for po in po_rows],
        "received_on": [po["arrives"] if po["arrives"] <= end else None for po in po_rows],
        "qty_received": [po["qty"] if po["arrives"] <= end else 0 for po in po_rows],
    }))
    write("traffic", pd.DataFrame(traffic_rows, columns=["date", "uv", "pv"]))
    src = pd.DataFrame(source_rows, columns=["date", "source", "uv", "pv", "paying_buyers", "paid_c"])
    write("traffic_by_source", pa.table({**{c: pa.array(src[c]) for c in ("date", "source", "uv", "pv", "paying_buyers")},
                                         "paid_amount": money(src.paid_c.to_numpy())}))
    write("product_traffic", pd.DataFrame(ptraffic_rows, columns=["date", "product_id", "uv", "pv", "cart_adds", "favorites"]))
    ads = pd.DataFrame(ad_rows, columns=["date", "channel", "campaign", "impressions", "clicks", "cost_c", "orders", "gmv_c"])
    write("ads", pa.table({
        **{c: pa.array(ads[c]) for c in ("date", "channel", "campaign", "impressions", "clicks", "orders")},
        "cost": money(ads.cost_c.to_numpy()), "gmv": money(ads.gmv_c.to_numpy()),
    }))
    write("ratings", pd.DataFrame(rating_rows, columns=["date", "dsr_item", "dsr_service", "dsr_logistics"]))
    write("campaigns", pa.table({
        "campaign_id": [c.campaign_id for c in campaigns], "theme": [c.theme for c in campaigns],
        "kind": [c.kind for c in campaigns], "start_date": pa.array([c.start for c in campaigns], pa.date32()),
        "end_date": pa.array([c.end for c in campaigns], pa.date32()),
        "fixed_cost": money(np.array([c.fixed_cost * 100 for c in campaigns])),
        "ad_budget": money(np.array([c.fixed_cost * 300 for c in campaigns])),
    }))
    write("competitor_products", _competitors(rng, first, end, prods))
    write("targets", _targets(rng, {**expected_gmv_c, **realised_gmv_c}, first, end, by_day, months))
    write("members", _members(con, rng))
    return dict(counts)


def _members(con, rng) -> pd.DataFrame:
    """A membership programme: 40 % of buyers joined at their first order; by what they spent,
    the top 5 % of members are VIP3, the next 20 % VIP2, the rest VIP1."""
    b = con.sql("SELECT buyer_id, MIN(paid_at) AS first, SUM(paid_amount) AS spent FROM orders "
                "WHERE paid_at IS NOT NULL AND buyer_id IS NOT NULL GROUP BY buyer_id ORDER BY buyer_id").execute()
    b = b[rng.random(len(b)) < 0.4].copy()
    rank = b.spent.astype(float).rank(pct=True, method="first")
    b["level"] = np.where(rank > 0.95, "VIP3", np.where(rank > 0.75, "VIP2", "VIP1"))
    b["joined_on"] = pd.to_datetime(b["first"]).dt.date
    return b[["buyer_id", "level", "joined_on"]].reset_index(drop=True)


_HOURS = np.array([3, 1.5, 0.8, 0.5, 0.4, 0.5, 1, 2, 3.5, 5, 5.5, 5.5, 5, 5, 5, 5, 4.8, 4.5, 4.5, 5.5, 7, 8, 8, 6])
_HOURS = _HOURS / _HOURS.sum()


def _day_side_tables(d, n_payers, paid_c, rng, f, lam, price_c, traffic_rows, source_rows, ptraffic_rows, ad_rows,
                     rating_rows, dsr, prod_of_sku, ptraffic_bias, product_ids, camp) -> None:
    """Traffic, product traffic, ads and DSR for one day, consistent with its sales."""
    conv = 0.036 * (1.25 if camp else 1.0) * rng.uniform(0.88, 1.12)
    uv = max(int(n_payers / conv), n_payers, 1)
    traffic_rows.append((d, uv, int(uv * rng.uniform(2.8, 3.6))))
    s_uv = np.array([uv * sh for sh in SOURCES.values()]) * rng.uniform(0.85, 1.15, len(SOURCES))
    s_uv *= max(1.0, 1.03 * uv / s_uv.sum())  # a visitor comes by several sources: they overlap
    # 生意参谋 credits a buyer to each source they came by: per-source figures overlap too (×1.1)
    w_src = s_uv.astype(int) * np.array(list(SOURCE_CONVERSION.values()))
    w_src = w_src / w_src.sum() if w_src.sum() else w_src
    for src, u, ws in zip(SOURCES, s_uv.astype(int), w_src):
        source_rows.append((d, src, int(u), int(u * rng.uniform(2.0, 4.0)), min(int(u), round(n_payers * 1.1 * ws)),
                            round(paid_c * 1.1 * ws)))
    prod_lam = np.bincount(prod_of_sku, weights=lam, minlength=len(product_ids))
    w = prod_lam * ptraffic_bias
    if w.sum() > 0:
        p_uv = rng.poisson(uv * 0.9 * w / w.sum())
        for pid, u in zip(product_ids, p_uv):
            if u:
                ptraffic_rows.append((d, pid, int(u), int(u * 1.6), int(rng.binomial(u, 0.08)), int(rng.binomial(u, 0.04))))
    ad_total_c = paid_c * 0.11 * rng.uniform(0.85, 1.15)
    for ch, plan, sh, roas, cpc, ctr in AD_PLANS:
        cost_c = int(ad_total_c * sh * rng.uniform(0.8, 1.2))
        clicks = max(1, int(cost_c / (cpc * 100) * rng.uniform(0.9, 1.1)))
        gmv_c = int(cost_c * roas * rng.uniform(0.75, 1.25))
        aov_c = max(1, paid_c / max(n_payers, 1))
        ad_rows.append((d, ch, plan, int(clicks / ctr), clicks, cost_c, int(round(gmv_c / aov_c)), gmv_c))
    dsr += rng.normal(0, 0.005, 3)
    np.clip(dsr, 4.6, 4.95, out=dsr)
    rating_rows.append((d, *np.round(dsr, 2).tolist()))


def _competitors(rng, first, end, prods) -> pd.DataFrame:
    """Weekly snapshots (Mondays) of ~25 items per competitor; new items appear over time."""
    cats = list(CATEGORIES)
    items = []
    for ci, comp in enumerate(COMPETITORS):
        for k in range(30):
            cat = cats[int(rng.integers(len(cats)))]
            (lo, hi), _ = CATEGORIES[cat]
            seen = first + _dt.timedelta(days=int(rng.integers(0, (end - first).days))) if k >= 18 else first
            items.append((comp, f"{700000 + ci * 1000 + k}", f"{comp[4:]}{cat}{k:02d}", cat,
                          rng.uniform(lo * 0.8, hi * 1.1), seen, rng.uniform(50, 3000)))
    rows = []
    d = first + _dt.timedelta(days=(7 - first.weekday()) % 7)
    while d <= end:
        for comp, iid, title, cat, price, seen, sales in items:
            if seen <= d:
                rows.append((d, comp, iid, title, cat, round(price * rng.uniform(0.9, 1.05)) - 0.01,
                             int(sales * rng.uniform(0.6, 1.6) * (1 + _season(d) * 0.2)), seen))
        d += _dt.timedelta(days=7)
    df = pd.DataFrame(rows, columns=["date", "competitor", "item_id", "title", "category", "price", "monthly_sales", "first_seen"])
    df["price"] = df.price.map(lambda x: decimal.Decimal(f"{x:.2f}"))
    return df


def _targets(rng, expected_gmv_c, first, end, by_day, profile=MONTH) -> pd.DataFrame:
    """Monthly store targets: the month's GMV (as sold, or expected for days to come) plus 2–12 %
    ambition, in round ¥1,000."""
    months = defaultdict(float)  # month → GMV in cents
    d = first.replace(day=1)
    last = (end.replace(day=1) + _dt.timedelta(days=32)).replace(day=1)
    factor = np.mean(list(expected_gmv_c.values()))
    while d < last:
        if d in expected_gmv_c:
            months[d.replace(day=1)] += expected_gmv_c[d]
        else:  # days outside the generated range: scale by the day factor
            months[d.replace(day=1)] += factor * _day_factor(d, by_day, first, profile) / _day_factor(first, by_day, first, profile)
        d += _dt.timedelta(days=1)
    rows = []
    for m, gmv_c in sorted(months.items()):
        target = round(gmv_c / 100 * rng.uniform(1.02, 1.12), -3)
        rows.append((m, "*", decimal.Decimal(f"{target:.2f}"), decimal.Decimal(f"{round(target * 0.11, -2):.2f}")))
    return pd.DataFrame(rows, columns=["month", "category", "gmv_target", "ad_budget"])
