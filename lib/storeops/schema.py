"""The canonical tables: the one source of truth for warehouse, demo, ingest and docs.

Money is DECIMAL(18,2) (exact to the cent; sums stay exact in DuckDB), but for a line's unit price
and amount, DECIMAL(18,6): a unit price of 0.001 or 0.0085 is real, and is kept as given; amounts
are rounded to the cent where a figure is an order's total (METRICS), not line by line.
Timestamps are naive store-local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import ibis
import ibis.expr.datatypes as dt

MONEY = "decimal(18, 2)"
#: a line's unit price and amount, as the export gives them (parse.EXACT_PLACES decimals)
LINE_MONEY = "decimal(18, 6)"


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    zh: str
    en: str
    nullable: bool = True

    @cached_property  # asked for every column of every chunk a load maps
    def ibis_type(self) -> dt.DataType:
        t = dt.dtype(self.dtype)
        return t if self.nullable else t.copy(nullable=False)


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    #: the column whose latest value tells how fresh the table is
    date_column: str | None = None
    #: optional tables may be empty; their report sections then say so in one line
    optional: bool = False

    @cached_property
    def schema(self) -> ibis.Schema:
        return ibis.schema({c.name: c.ibis_type for c in self.columns})

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _c(name: str, dtype: str, zh: str, en: str, nullable: bool = True) -> Column:
    return Column(name, dtype, zh, en, nullable)


def _key(name: str, dtype: str, zh: str, en: str) -> Column:
    return Column(name, dtype, zh, en, nullable=False)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "orders", "订单", "orders", ("order_id",),
            (
                _key("order_id", "string", "订单编号", "order id"),
                # empty where an export carries no buyer column; buyer figures then show "—"
                _c("buyer_id", "string", "买家", "buyer"),
                _c("created_at", "timestamp", "下单时间", "created at", nullable=False),
                _c("paid_at", "timestamp", "付款时间", "paid at"),
                _c("shipped_at", "timestamp", "发货时间", "shipped at"),
                _c("delivered_at", "timestamp", "签收时间", "delivered at"),
                _c("cancelled_at", "timestamp", "关闭时间", "cancelled at"),
                _c("status", "string", "订单状态", "status", nullable=False),
                _c("goods_amount", MONEY, "商品金额", "goods amount", nullable=False),
                _c("shipping_fee", MONEY, "运费", "shipping fee", nullable=False),
                _c("discount_amount", MONEY, "优惠金额", "discount", nullable=False),
                _c("tax_amount", MONEY, "税费", "tax", nullable=False),
                _c("paid_amount", MONEY, "实付金额", "paid amount"),
                _c("refund_amount", MONEY, "退款金额", "refund amount", nullable=False),
                _c("refunded_at", "timestamp", "退款时间", "refunded at"),
                _c("shipping_cost", MONEY, "物流成本", "shipping cost"),
                _c("channel", "string", "渠道", "channel"),
                _c("province", "string", "省份", "province"),
                _c("is_urgent", "boolean", "加急", "urgent", nullable=False),
                _c("campaign_id", "string", "活动", "campaign"),
                _c("source", "string", "数据来源", "source"),
            ),
            date_column="created_at",
        ),
        Table(
            "order_items", "订单明细", "order lines", ("order_id", "line_no"),
            (
                _key("order_id", "string", "订单编号", "order id"),
                _key("line_no", "int32", "行号", "line"),
                # empty for lines that are no product: tips, gift cards, custom items
                _c("sku", "string", "SKU", "SKU"),
                _c("qty", "int32", "数量", "quantity", nullable=False),
                _c("unit_price", LINE_MONEY, "单价", "unit price", nullable=False),
                _c("amount", LINE_MONEY, "金额", "amount", nullable=False),
                _c("refund_qty", "int32", "退货数量", "refunded qty", nullable=False),
            ),
        ),
        Table(
            # refund documents of their own (credit notes, returns): an export that dates a refund apart
            # from its order; refunds recorded on the order itself are orders.refund_amount
            "refunds", "退款单", "refunds", ("refund_id", "line_no"),
            (
                _key("refund_id", "string", "退款单号", "refund id"),
                _key("line_no", "int32", "行号", "line"),
                _c("order_id", "string", "原订单编号", "original order"),
                _c("refunded_at", "timestamp", "退款时间", "refunded at", nullable=False),
                _c("sku", "string", "SKU", "SKU"),
                _c("qty", "int32", "退货数量", "units returned", nullable=False),
                _c("amount", LINE_MONEY, "退款金额", "refund amount", nullable=False),
            ),
            date_column="refunded_at",
            optional=True,
        ),
        Table(
            "products", "商品", "products", ("sku",),
            (
                _key("sku", "string", "SKU", "SKU"),
                _c("product_id", "string", "商品ID", "product id", nullable=False),
                _c("title", "string", "商品名称", "title", nullable=False),
                _c("category", "string", "类目", "category"),
                _c("color", "string", "颜色", "colour"),
                _c("size", "string", "尺码", "size"),
                _c("price", MONEY, "售价", "price"),
                _c("unit_cost", MONEY, "成本价", "unit cost"),
                _c("status", "string", "状态", "status"),
                _c("launched_on", "date", "上架日期", "launched on"),
                _c("supplier", "string", "供应商", "supplier"),
                _c("lead_time_days", "int32", "采购周期(天)", "lead time (days)"),
                _c("moq", "int32", "起订量", "minimum order qty"),
                _c("case_pack", "int32", "箱规", "case pack"),
            ),
        ),
        Table(
            "inventory", "库存", "inventory", ("date", "sku"),
            (
                _key("date", "date", "日期", "date"),
                _key("sku", "string", "SKU", "SKU"),
                _c("on_hand", "int32", "期末库存", "on hand", nullable=False),
            ),
            date_column="date",
        ),
        Table(
            "purchase_orders", "采购单", "purchase orders", ("po_id", "sku"),
            (
                _key("po_id", "string", "采购单号", "PO"),
                _key("sku", "string", "SKU", "SKU"),
                _c("qty_ordered", "int32", "采购数量", "qty ordered", nullable=False),
                _c("ordered_on", "date", "下单日期", "ordered on", nullable=False),
                _c("expected_on", "date", "预计到货", "expected on"),
                _c("received_on", "date", "到货日期", "received on"),
                _c("qty_received", "int32", "到货数量", "qty received", nullable=False),
            ),
            date_column="ordered_on",
            optional=True,
        ),
        Table(
            "traffic", "店铺流量", "store traffic", ("date",),
            (
                _key("date", "date", "日期", "date"),
                _c("uv", "int64", "访客数", "visitors", nullable=False),
                _c("pv", "int64", "浏览量", "page views", nullable=False),
            ),
            date_column="date",
        ),
        Table(
            "traffic_by_source", "流量来源", "traffic by source", ("date", "source"),
            (
                _key("date", "date", "日期", "date"),
                _key("source", "string", "来源", "source"),
                _c("uv", "int64", "访客数", "visitors", nullable=False),
                _c("pv", "int64", "浏览量", "page views", nullable=False),
                # optional: 生意参谋 gives them per source, other exports do not
                _c("paying_buyers", "int64", "支付买家数", "paying buyers"),
                _c("paid_amount", MONEY, "支付金额", "paid amount"),
            ),
            date_column="date",
            optional=True,
        ),
        Table(
            "product_traffic", "商品流量", "product traffic", ("date", "product_id"),
            (
                _key("date", "date", "日期", "date"),
                _key("product_id", "string", "商品ID", "product id"),
                _c("uv", "int64", "访客数", "visitors", nullable=False),
                _c("pv", "int64", "浏览量", "page views", nullable=False),
                _c("cart_adds", "int64", "加购件数", "cart adds", nullable=False),
                _c("favorites", "int64", "收藏人数", "favourites", nullable=False),
            ),
            date_column="date",
            optional=True,
        ),
        Table(
            "ads", "推广", "advertising", ("date", "channel", "campaign"),
            (
                _key("date", "date", "日期", "date"),
                _key("channel", "string", "渠道", "channel"),
                _key("campaign", "string", "计划", "campaign"),
                _c("impressions", "int64", "展现量", "impressions", nullable=False),
                _c("clicks", "int64", "点击量", "clicks", nullable=False),
                _c("cost", MONEY, "花费", "spend", nullable=False),
                _c("orders", "int64", "成交笔数", "orders", nullable=False),
                _c("gmv", MONEY, "成交金额", "attributed GMV", nullable=False),
            ),
            date_column="date",
            optional=True,
        ),
        Table(
            "campaigns", "活动", "campaigns", ("campaign_id",),
            (
                _key("campaign_id", "string", "活动ID", "campaign id"),
                _c("theme", "string", "主题", "theme", nullable=False),
                _c("kind", "string", "类型", "kind"),
                _c("start_date", "date", "开始", "start", nullable=False),
                _c("end_date", "date", "结束", "end", nullable=False),
                _c("fixed_cost", MONEY, "固定费用", "fixed cost"),
                _c("ad_budget", MONEY, "推广预算", "ad budget"),
            ),
            date_column="end_date",
            optional=True,
        ),
        Table(
            "cs_sessions", "客服会话", "customer-service chats", ("session_id",),
            (
                _key("session_id", "string", "会话ID", "session id"),
                _c("started_at", "timestamp", "开始时间", "started at", nullable=False),
                _c("buyer_id", "string", "买家", "buyer", nullable=False),
                _c("agent", "string", "客服", "agent"),
                _c("first_response_s", "int32", "首次响应(秒)", "first response (s)"),
                _c("messages", "int32", "消息数", "messages"),
                _c("transcript", "string", "聊天记录", "transcript"),
            ),
            date_column="started_at",
            optional=True,
        ),
        Table(
            "cs_tickets", "问题订单", "problem-order tickets", ("ticket_id",),
            (
                _key("ticket_id", "string", "工单号", "ticket id"),
                _c("order_id", "string", "订单编号", "order id"),
                _c("kind", "string", "类型", "kind", nullable=False),
                _c("opened_at", "timestamp", "创建时间", "opened at", nullable=False),
                _c("resolved_at", "timestamp", "处理完成", "resolved at"),
                _c("status", "string", "状态", "status", nullable=False),
                _c("severity", "string", "紧急程度", "severity"),
            ),
            date_column="opened_at",
            optional=True,
        ),
        Table(
            "ratings", "店铺评分", "store ratings (DSR)", ("date",),
            (
                _key("date", "date", "日期", "date"),
                _c("dsr_item", "float64", "描述相符", "item as described"),
                _c("dsr_service", "float64", "服务态度", "service"),
                _c("dsr_logistics", "float64", "物流服务", "logistics"),
            ),
            date_column="date",
            optional=True,
        ),
        Table(
            "competitor_products", "竞品", "competitor items", ("date", "competitor", "item_id"),
            (
                _key("date", "date", "日期", "date"),
                _key("competitor", "string", "竞店", "competitor"),
                _key("item_id", "string", "商品ID", "item id"),
                _c("title", "string", "商品名称", "title"),
                _c("category", "string", "类目", "category"),
                _c("price", MONEY, "价格", "price"),
                _c("monthly_sales", "int64", "月销量", "monthly sales"),
                _c("first_seen", "date", "首次发现", "first seen"),
            ),
            date_column="date",
            optional=True,
        ),
        Table(
            # a store's membership programme (会员等级), where it keeps one: optional
            "members", "会员", "members", ("buyer_id",),
            (
                _key("buyer_id", "string", "买家", "buyer"),
                _c("level", "string", "会员等级", "level", nullable=False),
                _c("joined_on", "date", "入会日期", "joined on"),
            ),
            date_column="joined_on",
            optional=True,
        ),
        Table(
            "targets", "销售目标", "sales targets", ("month", "category"),
            (
                _key("month", "date", "月份", "month"),
                _key("category", "string", "类目", "category"),
                _c("gmv_target", MONEY, "支付金额目标", "GMV target", nullable=False),
                _c("ad_budget", MONEY, "推广预算", "ad budget"),
            ),
            date_column="month",
            optional=True,
        ),
    )
}

#: the warehouse's own record of what was ingested (not a platform table)
INGEST_LOG = Table(
    "ingest_log", "导入记录", "ingest log", ("ingested_at", "file_hash", "table_name"),
    (
        _key("ingested_at", "timestamp", "导入时间", "ingested at"),
        _key("file_hash", "string", "文件SHA-256", "file SHA-256"),
        _key("table_name", "string", "目标表", "table"),
        _c("file", "string", "文件", "file", nullable=False),
        _c("preset", "string", "格式", "preset", nullable=False),
        _c("rows_read", "int64", "读取行数", "rows read", nullable=False),
        _c("rows_accepted", "int64", "接受行数", "rows accepted", nullable=False),
        _c("rows_rejected", "int64", "拒绝行数", "rows rejected", nullable=False),
        _c("rows_written", "int64", "写入行数", "rows written", nullable=False),
        # rows a preset's skip rules left out (stock adjustments, postage); empty before they existed
        _c("rows_skipped", "int64", "跳过行数", "rows skipped"),
    ),
    date_column="ingested_at",
    optional=True,
)
TABLES[INGEST_LOG.name] = INGEST_LOG

#: tables added after the first release: a warehouse (or a Spark catalog) made before them may lack
#: them, and the figures read such a table as empty (warehouse.Tables.optional)
LATE: tuple[str, ...] = ("refunds",)

#: columns added after the first release: a canonical CSV written before them still fits its table
ADDED: dict[str, tuple[str, ...]] = {"traffic_by_source": ("paying_buyers", "paid_amount")}


#: what a column's values mean to the figures that read them, and what an empty (or absent) column
#: does: the column reference (`storeops columns`, the README) says it beside each column
NOTES: dict[tuple[str, str], str] = {
    ("orders", "buyer_id"): "empty: buyer figures (paying buyers, 客单价, conversion, repeat rate, RFM) show —",
    ("orders", "paid_at"): "empty: not paid; every sales figure counts orders by it",
    ("orders", "shipped_at"): "empty: not shipped (the 72-hour rule and the ship backlog read it)",
    ("orders", "delivered_at"): "empty: not delivered yet",
    ("orders", "cancelled_at"): "empty: not cancelled; a closed order without it never waits to ship",
    ("orders", "status"): "pending_payment, paid, shipped, completed, refunded, closed (closed, refunded and "
                          "cancelled never wait to ship)",
    ("orders", "paid_amount"): "what the buyer was charged, later refunds not removed; 0: no sale and no buyer",
    ("orders", "refund_amount"): "0.00 when the export has no refund column; refund figures show — until the "
                                 "data carries a refund in the year",
    ("orders", "refunded_at"): "refunds count by it; empty with a refund: refund figures show —",
    ("order_items", "sku"): "empty for lines that are no product (tips, gift cards): sales, listed as (no SKU)",
    ("order_items", "refund_qty"): "units returned; the refund rate and the stock ledger read it",
    ("refunds", "order_id"): "the order refunded, where the export names it; empty: a refund on its own",
    ("refunds", "refunded_at"): "refund figures count it by this time, beside orders refunded then",
    ("refunds", "qty"): "units returned (≥ 0): the refund rate and the stock ledger's returns",
    ("refunds", "amount"): "what was paid back (≥ 0), added to orders' refunds in refund figures",
    ("orders", "shipping_cost"): "empty: counted as 0 in the free-shipping cost of operating cost",
    ("orders", "campaign_id"): "the campaign an order was sold in: campaign results read it",
    ("products", "status"): "on_sale is on sale; anything else (off_sale) is left out of 动销率, stock warnings "
                            "and price comparisons",
    ("products", "launched_on"): "empty: new-product figures show — until the data carries launch dates",
    ("products", "supplier"): "empty: the purchase workbook groups the SKU under (no supplier)",
    ("products", "lead_time_days"): "empty: replenishment.lead_time_days in store.yaml (15)",
    ("products", "moq"): "empty: replenishment.moq (1)",
    ("products", "case_pack"): "empty: replenishment.case_pack (1)",
    ("inventory", "on_hand"): "units in stock at the end of the day (a stock count); the replenishment table "
                              "needs the day's count",
    ("purchase_orders", "expected_on"): "empty: on order with no date, never counted as overdue",
    ("purchase_orders", "received_on"): "empty: still on order",
    ("traffic", "uv"): "visitors of the day; conversion and UV value need it",
    ("traffic_by_source", "paying_buyers"): "empty: conversion by source shows —",
    ("ads", "gmv"): "GMV the platform attributes to the ads: ROAS = gmv ÷ cost",
    ("campaigns", "kind"): "festival, platform or own: anomalies compare a campaign with its last like one",
    ("cs_tickets", "kind"): "complaint, refund, logistics …: per kind counts; the 24-hour rule reads "
                                 "resolved_at",
    ("cs_sessions", "first_response_s"): "seconds to the first answer; the mean and the share within the "
                                         "limit read it",
}

_TYPES = {"string": "text", "timestamp": "time (store-local)", "date": "date", "int32": "whole number",
          "int64": "whole number", "float64": "number", "boolean": "true / false", MONEY: "amount (to the cent)",
          LINE_MONEY: "amount (as given, to 6 decimals)"}


def reference() -> str:
    """Every canonical table and column, as the README shows it (`storeops columns` prints it)."""
    out = []
    for t in TABLES.values():
        if t.name == INGEST_LOG.name:
            continue
        key = ", ".join(t.key)
        out.append(f"**`{t.name}`** ({t.zh}, {t.en}; key {key}{'; optional table' if t.optional else ''})\n")
        out.append("| column | type | required | 中文 | notes |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            required = "key" if c.name in t.key else "yes" if not c.nullable else ""
            out.append(f"| `{c.name}` | {_TYPES.get(c.dtype, c.dtype)} | {required} | {c.zh} | "
                       f"{NOTES.get((t.name, c.name), c.en)} |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def table(name: str) -> Table:
    """Look a canonical table up by name, with a clear error for a typo."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; canonical tables: {', '.join(TABLES)}") from None
