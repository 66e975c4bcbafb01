"""The metric registry: id, zh/en label, unit, formula and which way is good.

The same definitions as ``METRICS.md``; reports build their glossary from here,
so a reader can check any figure by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["money", "count", "rate", "ratio", "seconds"]


@dataclass(frozen=True)
class Metric:
    id: str
    zh: str
    en: str
    unit: Unit
    formula_zh: str
    formula_en: str
    #: True when a rise is good news, False when a fall is, None when neither
    up_is_good: bool | None = True

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def formula(self, lang: str) -> str:
        return self.formula_zh if lang == "zh" else self.formula_en


def _m(id, zh, en, unit, fzh, fen, up=True) -> Metric:
    return Metric(id, zh, en, unit, fzh, fen, up)


METRICS: dict[str, Metric] = {m.id: m for m in (
    # Sales and conversion
    _m("order_amount", "下单金额", "Order amount", "money",
       "当日创建订单的 Σ(商品金额 + 运费 − 优惠 + 税费)",
       "Σ (goods + shipping − discount + tax) of orders created in the period"),
    _m("orders", "下单笔数", "Orders", "count", "当日创建的订单数", "Orders created in the period"),
    _m("ordering_buyers", "下单买家数", "Ordering buyers", "count",
       "当日下单的去重买家数", "Distinct buyers of orders created in the period"),
    _m("paid_amount", "支付金额", "Paid amount (GMV)", "money",
       "按付款时间计的实付金额之和，含运费，不扣后续退款",
       "Σ paid amount of orders paid in the period (by paid time), shipping included, later refunds not removed"),
    _m("paid_orders", "支付笔数", "Paid orders", "count", "当日付款的订单数", "Orders paid in the period"),
    _m("paying_buyers", "支付买家数", "Paying buyers", "count",
       "当日付款的去重买家数", "Distinct buyers of orders paid in the period"),
    _m("payment_rate", "付款率", "Order-to-payment rate", "rate",
       "当日下单且当日付款的买家数 ÷ 下单买家数",
       "Buyers who paid, within the period, for an order created in the period ÷ ordering buyers"),
    _m("uv", "访客数", "Visitors (UV)", "count", "店铺总访客数（不是各来源之和）",
       "Store-total visitors (never the sum over sources)"),
    _m("pv", "浏览量", "Page views (PV)", "count", "店铺总浏览量", "Store-total page views"),
    _m("conversion", "支付转化率", "Conversion rate", "rate", "支付买家数 ÷ 访客数", "Paying buyers ÷ visitors"),
    _m("order_conversion", "下单转化率", "Order conversion", "rate", "下单买家数 ÷ 访客数",
       "Ordering buyers ÷ visitors"),
    _m("atv", "客单价", "Spend per buyer", "money", "支付金额 ÷ 支付买家数", "Paid amount ÷ paying buyers"),
    _m("aov", "笔单价", "Average order value", "money", "支付金额 ÷ 支付笔数", "Paid amount ÷ paid orders"),
    _m("uv_value", "UV价值", "Value per visitor", "money", "支付金额 ÷ 访客数", "Paid amount ÷ visitors"),
    _m("refund_amount", "退款金额", "Refunds", "money", "按退款时间计的退款金额之和",
       "Σ refund amount of orders refunded in the period (by refund time)", False),
    _m("refund_rate", "退款率", "Refund rate", "rate",
       "近30天退款的子订单数 ÷ 近30天支付的子订单数",
       "Order lines refunded in the last 30 days ÷ order lines paid in the last 30 days", False),
    _m("sell_ratio", "动销率", "Share of SKUs selling", "rate",
       "近30天有支付件数的SKU数 ÷ 在售SKU数",
       "SKUs with ≥ 1 unit paid in the last 30 days ÷ SKUs on sale"),
    # Plan
    _m("target", "目标", "Target", "money",
       "当月支付金额目标 × 当日季节权重", "Month GMV target × the day's seasonal weight", None),
    _m("attainment", "目标完成率", "Attainment", "rate", "支付金额 ÷ 目标", "Paid amount ÷ target"),
)}


def get(metric_id: str) -> Metric:
    try:
        return METRICS[metric_id]
    except KeyError:
        raise KeyError(f"unknown metric {metric_id!r}; see storeops.metrics.registry.METRICS") from None
