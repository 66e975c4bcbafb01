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
       "本期创建订单的 Σ(商品金额 + 运费 − 优惠 + 税费)",
       "Σ (goods + shipping − discount + tax) of orders created in the period"),
    _m("orders", "下单笔数", "Orders", "count", "本期创建的订单数", "Orders created in the period"),
    _m("ordering_buyers", "下单买家数", "Ordering buyers", "count",
       "本期下单（金额大于0）的去重买家数（无买家ID的订单各计1人）",
       "Distinct buyers of orders created in the period for more than 0 (an order without a buyer id counts as "
       "one)"),
    _m("paid_amount", "支付金额", "Paid amount (GMV)", "money",
       "按付款时间计的实付金额之和，含运费，不扣后续退款",
       "Σ paid amount of orders paid in the period (by paid time), shipping included, later refunds not removed"),
    _m("paid_orders", "支付笔数", "Paid orders", "count", "本期付款、实付金额大于0的订单数（0元订单如库存调整、样品不计）",
       "Orders paid in the period for more than 0 (0-amount orders such as stock adjustments and samples are not)"),
    _m("paying_buyers", "支付买家数", "Paying buyers", "count",
       "本期付款（实付大于0）的去重买家数（无买家ID的订单各计1人）",
       "Distinct buyers of orders paid in the period for more than 0 (an order without a buyer id counts as one)"),
    _m("payment_rate", "付款率", "Order-to-payment rate", "rate",
       "本期下单并在本期内付款的买家数 ÷ 下单买家数",
       "Buyers who paid, within the period, for an order created in the period ÷ ordering buyers"),
    _m("uv", "访客数", "Visitors (UV)", "count", "店铺总访客数（不是各来源之和）",
       "Store-total visitors (never the sum over sources)"),
    _m("source_conversion", "来源支付转化率", "Conversion by source", "rate",
       "该来源支付买家数 ÷ 该来源访客数（生意参谋按来源给出）",
       "The source's paying buyers ÷ its visitors (as 生意参谋 reports them per source)"),
    _m("source_paid_amount", "来源支付金额", "Paid amount by source", "money",
       "生意参谋归因到该来源的支付金额；各来源之和不一定等于全店",
       "Paid amount 生意参谋 attributes to the source; sources need not add up to the store total"),
    _m("pv", "浏览量", "Page views (PV)", "count", "店铺总浏览量", "Store-total page views"),
    _m("conversion", "支付转化率", "Conversion rate", "rate", "支付买家数 ÷ 访客数", "Paying buyers ÷ visitors"),
    _m("order_conversion", "下单转化率", "Order conversion", "rate", "下单买家数 ÷ 访客数",
       "Ordering buyers ÷ visitors"),
    _m("atv", "客单价", "Spend per buyer", "money", "支付金额 ÷ 支付买家数", "Paid amount ÷ paying buyers"),
    _m("aov", "笔单价", "Average order value", "money", "支付金额 ÷ 支付笔数", "Paid amount ÷ paid orders"),
    _m("uv_value", "UV价值", "Value per visitor", "money", "支付金额 ÷ 访客数", "Paid amount ÷ visitors"),
    _m("refund_amount", "退款金额", "Refunds", "money", "按退款时间计的退款金额之和（含单独的退款单）",
       "Σ refund amount of orders refunded in the period (by refund time), and of refund documents (credit notes) "
       "dated in it", False),
    _m("refund_rate", "退款率", "Refund rate", "rate",
       "近30天退款的子订单数 ÷ 近30天支付的子订单数",
       "Order lines refunded in the last 30 days ÷ order lines paid in the last 30 days", False),
    _m("sell_ratio", "动销率", "Share of SKUs selling", "rate",
       "近30天有支付件数的SKU数 ÷ 在售SKU数",
       "SKUs with ≥ 1 unit paid in the last 30 days ÷ SKUs on sale"),
    # Plan
    _m("target", "目标", "Target", "money",
       "当月支付金额目标 × 期内各日季节权重之和",
       "Month GMV target × the seasonal weights of the period's days", None),
    _m("attainment", "目标完成率", "Attainment", "rate", "支付金额 ÷ 目标", "Paid amount ÷ target"),
    _m("mtd_paid_amount", "月累计支付金额", "Month-to-date paid amount", "money",
       "本月1日至报告日的支付金额", "Paid amount from the 1st of the month to the report day"),
    _m("month_target", "月目标", "Month target", "money", "当月支付金额目标", "The month's GMV target", None),
    _m("pacing", "时间进度达成", "Pace", "rate",
       "月累计支付金额 ÷ 截至报告日的目标（按季节权重）",
       "Month-to-date paid amount ÷ the month-to-date share of the target (by seasonal weights)"),
    _m("forecast_month", "月末预测", "Month-end forecast", "money",
       "月累计支付金额 + 剩余天数按季节权重外推的基线",
       "Month-to-date paid amount + the remaining days at the month-to-date run rate, by seasonal weight"),
    # GMV bridge
    _m("bridge_uv", "访客贡献", "Visitors' part", "money",
       "支付金额变化中归于访客数的部分：L(G₁,G₀)×ln(UV₁/UV₀)",
       "Part of the paid-amount change due to visitors: L(G₁,G₀) × ln(UV₁/UV₀)"),
    _m("bridge_conversion", "转化率贡献", "Conversion's part", "money",
       "支付金额变化中归于支付转化率的部分：L(G₁,G₀)×ln(CR₁/CR₀)",
       "Part of the change due to conversion: L(G₁,G₀) × ln(CR₁/CR₀)"),
    _m("bridge_atv", "客单价贡献", "Spend per buyer's part", "money",
       "支付金额变化中归于客单价的部分：L(G₁,G₀)×ln(客单价₁/客单价₀)；三部分之和等于变化额",
       "Part of the change due to spend per buyer: L(G₁,G₀) × ln(ATV₁/ATV₀); the three add up to the change"),
    # Customer service
    _m("consultations", "咨询人数", "Consulting buyers", "count",
       "本期发起客服会话的去重买家数", "Distinct buyers with a chat started in the period"),
    _m("consult_conversion", "询单转化率", "Inquiry conversion", "rate",
       "咨询后当日付款（付款时间不早于会话开始）的咨询买家 ÷ 咨询人数",
       "Consulting buyers who paid the same day, at or after the chat ÷ consulting buyers"),
    _m("first_response", "平均首次响应时长", "Avg first response", "seconds",
       "会话首次响应秒数的平均值", "Mean seconds to the first answer", False),
    _m("response_3min", "3分钟响应率", "3-minute response rate", "rate",
       "首次响应 ≤ 180 秒的会话 ÷ 会话数", "Chats answered within 180 s ÷ chats"),
    _m("ticket_sla", "问题订单24小时处理率", "24 h ticket resolution", "rate",
       "24小时时限在本期内到期的工单中按时解决的比例",
       "Of the tickets whose 24 h deadline fell in the period, the share resolved by it"),
    _m("tickets_open", "未结工单", "Open tickets", "count",
       "截至本期最后一天24:00仍未解决的工单数", "Tickets still open at the end of the period's last day", False),
    # Fulfilment
    _m("ship_backlog", "待发货", "Awaiting shipment", "count",
       "截至24:00已付款、未发货、未关闭/未全额退款的订单，按付款后小时数分段",
       "Orders paid, not shipped, not cancelled or fully refunded at the cut-off, by hours since payment", False),
    _m("ship_72h", "72小时发货率", "Shipped within 72 h", "rate",
       "72小时时限在本期内到期的订单中按时发货的比例（日报即3天前付款的订单）",
       "Of the orders whose 72 h deadline fell in the period (for a day: those paid 3 days before), the share "
       "shipped in time"),
    _m("urgent_orders", "加急订单", "Urgent orders", "count",
       "待发货的加急订单，最早付款的在前", "Urgent orders awaiting shipment, oldest first", False),
    # Advertising
    _m("ad_cost", "推广花费", "Ad spend", "money", "推广报表花费之和", "Σ ads.cost", None),
    _m("store_roas", "全店投产比", "Store ROAS", "ratio", "支付金额 ÷ 推广总花费", "Paid amount ÷ total ad spend"),
    _m("roas", "投入产出比 (ROI)", "ROI (= GMV ÷ spend)", "ratio",
       "推广带来的成交金额 ÷ 花费", "Attributed GMV ÷ spend"),
    _m("breakeven_roas", "保本投产比", "Break-even ROAS", "ratio",
       "1 ÷ 毛利率（近30天已付款商品：(金额 − 数量×成本) ÷ 金额，或店铺设置中的值）",
       "1 ÷ gross margin rate (goods paid in the last 30 days, or the value in the store's settings)", None),
    _m("ctr", "点击率", "Click-through rate", "rate", "点击量 ÷ 展现量", "Clicks ÷ impressions"),
    _m("cpc", "平均点击花费", "Cost per click", "money", "花费 ÷ 点击量", "Spend ÷ clicks", False),
    _m("ad_cvr", "点击转化率", "Click conversion", "rate", "成交笔数 ÷ 点击量", "Orders ÷ clicks"),
    _m("spend_pacing", "消耗进度", "Spend pacing", "rate",
       "月累计花费 ÷ (月预算 × 已过天数 ÷ 当月天数)",
       "Month-to-date spend ÷ (monthly budget × days elapsed ÷ days in month)", None),
    # Inventory
    _m("velocity", "日均销量", "Daily sales rate", "count",
       "近28天支付件数 ÷ 其中有货天数（当日有售出或日终有库存）",
       "Units paid over the last 28 days ÷ days in stock among them (sold that day or stock at day end)"),
    _m("sales_class", "热销 / 常销 / 滞销", "Hot / steady / slow", "count",
       "按近30天支付金额排序，累计占比 ≤80% 为热销，≤95% 为常销，其余及无销售为滞销",
       "SKUs ranked by 30-day paid amount: cumulative share ≤ 80 % hot, ≤ 95 % steady, rest (and no sale) slow", None),
    _m("days_cover", "可售天数", "Days of cover", "count", "库存 ÷ 日均销量", "On hand ÷ daily sales rate"),
    _m("stockout_rate", "缺货率", "Stock-out rate", "rate",
       "日终库存为0的SKU天数 ÷ 在售SKU天数", "SKU-days ending with nothing on hand ÷ SKU-days on sale", False),
    _m("on_order", "在途", "On order", "count",
       "未到货采购单的 Σ(采购数量 − 已到数量)；已过预计到货日的（逾期）单列催货，默认不计入补货点和建议补货量（店铺设置可改为计入）",
       "Σ (qty ordered − qty received) of open purchase orders; those past their expected date (overdue) are "
       "listed to chase, and count towards the reorder point and the suggested order only where the store's "
       "settings trust them (by default they do not)", None),
    _m("safety_stock", "安全库存", "Safety stock", "count",
       "z × σ(近28天有货日的日销量) × √采购周期；z 由分级服务水平得出（热销95% → 1.645，常销90% → 1.28，滞销80% → 0.84）",
       "z × σ(daily units on the in-stock days of the last 28) × √lead time; z from the class's service level "
       "(hot 95 % → 1.645, steady 90 % → 1.28, slow 80 % → 0.84)", None),
    _m("reorder_point", "补货点", "Reorder point", "count",
       "日均销量 × 采购周期 + 安全库存", "Daily sales rate × lead time + safety stock", None),
    _m("suggested_qty", "建议补货量", "Suggested order", "count",
       "max(0, 日均销量 × (采购周期 + 备货天数) + 安全库存 − 库存 − 在途（不含逾期）)，向上取整到起订量和箱规",
       "max(0, daily rate × (lead time + cover days) + safety stock − on hand − on order (overdue left out)), "
       "rounded up to the MOQ and whole cases", None),
    _m("stock_warning", "库存状态", "Stock status", "count",
       "立即补货：库存+在途（不含逾期）< 补货点；关注：7天内（下次补货表前）将低于补货点；积压：滞销且可售天数 > 90 或30天无销售；"
       "紧急：现有库存在下一张未逾期采购单到货前（无采购单时在采购周期内）就会卖完，今天下单也来不及；热销SKU库存为0一律紧急",
       "reorder now: on hand + on order (overdue left out) < reorder point; watch: will fall below it within 7 "
       "days (before the next table); overstock: slow with over 90 days of cover or no sale; urgent: on hand runs "
       "out before the next purchase order that is not overdue is due (with none, within the lead time): an "
       "order placed today cannot land in time; a hot SKU with nothing on hand is always urgent", None),
    _m("ledger", "进销存", "Stock ledger", "count",
       "期初（期前一日日终库存）+ 入库（期内到货）− 销售（期内支付件数）+ 退货（期内退款件数）= 应有期末；"
       "差异 = 盘点期末 − 应有期末（件数与成本金额）",
       "opening (on hand at the end of the day before) + received (POs received) − sold (units paid) + returned "
       "(units refunded) = expected closing; difference = counted closing − expected, in units and at cost", None),
    _m("campaign_roi", "活动投产比", "Campaign ROI", "ratio",
       "活动期间支付金额 ÷ 活动成本（固定费用 + 期间推广花费 + 活动订单优惠 + 活动包邮订单运费成本）",
       "Paid amount on the campaign's days ÷ its cost (fixed cost + ad spend on its days + discounts of its "
       "orders + shipping cost of its free-shipping orders)"),
    _m("campaign_lift", "活动增量", "Campaign lift", "money",
       "活动期间支付金额 − 基线（活动开始前4周同星期日的日均支付金额 × 活动天数）",
       "Paid amount on its days − baseline (the mean paid amount of the same weekdays in the 4 weeks before it, "
       "for each of its days)"),
    _m("dsr", "店铺评分", "Store ratings (DSR)", "ratio",
       "平台公布的描述相符、服务态度、物流服务评分，及与上期末相比的变化",
       "The platform's item, service and logistics scores, and their change since the end of the period before"),
    # Customers and members
    _m("new_buyers", "新客", "New buyers", "count", "首次付款在本期的支付买家数",
       "Paying buyers whose first ever paid order is in the period"),
    _m("repeat_rate", "复购率", "Repeat purchase rate", "rate", "本期付款 ≥2 笔的买家 ÷ 支付买家数",
       "Paying buyers with ≥ 2 paid orders in the period ÷ paying buyers"),
    _m("returning_share", "老客占比", "Returning-buyer share", "rate", "本期前已有付款订单的支付买家 ÷ 支付买家数",
       "Paying buyers with a paid order before the period ÷ paying buyers", None),
    _m("rfm", "RFM 分层", "RFM segments", "count",
       "近365天买家的最近一次购买(R)、次数(F)、金额(M)按五分位打1–5分；按 R 与 ⌊(F+M)/2⌋ 分为11层（重要价值…沉睡）",
       "Recency, frequency and money of the buyers of the last 365 days scored 1–5 by quintile; 11 segments "
       "(Champions … Dormant) from R and ⌊(F + M) / 2⌋", None),
    _m("cohort", "同期群留存", "Cohort retention", "rate",
       "按首次付款月份分组，之后每月再次付款的买家占比",
       "Buyers grouped by the month of their first paid order; the share who paid again in each month after"),
    # Inventory health
    _m("turnover", "库存周转率", "Inventory turnover", "ratio",
       "本期销售成本(Σ件数×成本价) ÷ 日均库存成本", "Cost of goods sold (Σ qty × unit cost) ÷ mean daily stock at cost"),
    _m("days_inventory", "库存周转天数", "Days of inventory", "ratio", "本期天数 ÷ 库存周转率",
       "Days in the period ÷ inventory turnover", False),
    _m("sell_through", "售罄率", "Sell-through", "rate", "本期销售件数 ÷ (期初库存 + 本期入库)",
       "Units sold ÷ (units on hand at the start + units received)"),
    _m("aged_stock", "库龄", "Aged stock", "money",
       "有库存但30–59、60–89、90天以上未售出的SKU的库存成本（从未售出的从上架日或数据起始日算起，取较晚者）",
       "Stock at cost of SKUs with no sale for 30–59, 60–89 or 90+ days (one never sold counts from its launch or "
       "the first day of the data, whichever is later)", False),
    # Plan, costs, competitors
    _m("marketing_cost_ratio", "营销费用率", "Marketing cost ratio", "rate",
       "(推广花费 + 订单优惠 + 包邮运费成本) ÷ 支付金额",
       "(ad spend + order discounts + free-shipping cost) ÷ paid amount", False),
    _m("online_share", "线上占比", "Online share", "rate", "支付金额 ÷ 公司总销售额（店铺设置中的各月公司销售额）",
       "Paid amount ÷ the company's total sales (by month, in the store's settings)"),
    # The group review (metrics.group)
    _m("group_total", "集团合计", "Group total", "money",
       "各店数字（含目标）按当月汇率折算为报告币种（四舍五入到分）后相加；转化率、客单价等比率由合计重新计算，不取各店比率的平均",
       "Each store's figure (its target too) at its month's exchange rate to the reporting currency (to the cent), "
       "then added up; conversion, spend per buyer and the other ratios are worked out again from the sums, never a "
       "mean of the stores' ratios", None),
    _m("store_share", "店铺占比", "Store share", "rate", "店铺支付金额 ÷ 集团支付金额（均折算为报告币种）",
       "The store's paid amount ÷ the group's (both in the reporting currency)", None),
    _m("bridge_rate", "汇率影响", "Exchange rate's part", "money",
       "本期支付金额 −（本期店铺币种金额 × 对比期汇率）：汇率变动带来的支付金额变化；与访客、转化率、客单价贡献四项相加等于变化",
       "Paid amount − (the period's amount in the store's currency × the compared period's rate): what the "
       "exchange rate moved; with the visitors', conversion's and spend per buyer's parts, the four add up to the "
       "change", None),
    _m("group_online_share", "集团线上占比", "Group online share", "rate",
       "集团支付金额 ÷ 公司总销售额（集团设置中的各月公司销售额，含线下）",
       "The group's paid amount ÷ the company's total sales (by month, offline included, in the group's settings)"),
    _m("qtd_attainment", "季度累计完成率", "Quarter-to-date attainment", "rate",
       "本季度至本期末的支付金额 ÷ 同期目标", "Paid amount of the quarter to date ÷ its target"),
    _m("ytd_attainment", "年度累计完成率", "Year-to-date attainment", "rate",
       "本年至本期末的支付金额 ÷ 同期目标", "Paid amount of the year to date ÷ its target"),
    _m("price_index", "价格指数", "Price index", "ratio", "竞品同类目价格中位数 ÷ 我方在售价格中位数",
       "Median competitor price ÷ our median price, per category", None),
    _m("product_conversion", "商品转化率", "Product conversion", "rate",
       "购买该商品的支付买家数 ÷ 商品访客数", "Paying buyers of the product ÷ its visitors"),
    # The day so far (the hourly pace check)
    _m("pace_projection", "预计全天支付金额", "Projected day", "money",
       "截至当前整点的支付金额 × Σ同类日全天支付金额 ÷ Σ同类日同时段支付金额（同类日：近4个同星期营业日，节日/活动日为上一次同类日；"
       "当时段还没有成交的同类日不计）",
       "Paid so far × Σ like days' day totals ÷ Σ like days' amounts by the same hour (like days: the last 4 same "
       "weekdays the store traded, or the last like festival or campaign day; one that had sold nothing by the "
       "hour is left out)"),
    _m("pace_interval", "预计区间", "Projection range", "money",
       "各同类日单独推算的全天金额（截至当前的支付金额 ÷ 该日同时段占全天的比例）中的最低与最高",
       "The lowest and highest of each like day's own projection (paid so far ÷ that day's share of its total "
       "by the hour)", None),
    _m("like_hours", "同类日同时段", "Like days, same hours", "money",
       "同类日在当前整点之前的支付金额、支付笔数的平均值；访客数按天导入，没有分时段可比",
       "The mean of the like days' paid amount and orders before the same hour; visitors are loaded by day, so "
       "they have no same-hours comparison", None),
    _m("sell_out_hour", "预计售罄时间", "Sells out at", "count",
       "今日晨盘库存 − 今日已付款件数；其余时段按同类日各时段的成交占比推算，累计件数达到晨盘库存的整点",
       "The morning's stock count − units paid today; the rest of the day sells as like days did hour by hour, "
       "and the hour the units reach the morning's count is when it sells out", False),
    _m("ad_pace", "推广消耗进度（当日）", "Ad spend pace (today)", "rate",
       "今日已花费 ÷（当月推广预算 ÷ 当月天数 × 同类日截至当前整点的成交占比）；100% 为正好按进度",
       "Spent today ÷ (the month's ad budget ÷ its days × the like days' share of their day sold by the hour); "
       "100% is on pace", None),
    _m("complaints_open", "未结严重投诉", "Open serious complaints", "count",
       "当前未处理完的投诉类问题订单（类型或紧急程度属于店铺设置中的投诉类型），按已开时长",
       "Tickets of the store's complaint kinds (or severities), as its settings name them, still open now, by age", False),
    _m("ship_due_today", "今日到期待发货", "Due to ship today", "count",
       "未发货、付款满72小时的时限在今天24:00前到期的订单（已超时的另计）",
       "Orders still unshipped whose 72 h from payment run out before midnight (those already late counted apart)",
       False),
    _m("anomaly", "异常", "Anomaly", "count",
       "指标超出可比期区间 ±阈值：日报为近4个同星期日（节日/活动日为上一次同类活动），周报为前4周，月报为前3个月",
       "A figure outside the range of comparable periods by more than the store's margin: for a day the last "
       "4 same weekdays (the previous like event on festival and campaign days), for a week the 4 weeks before, "
       "for a month the 3 months before", None),
)}


def get(metric_id: str) -> Metric:
    try:
        return METRICS[metric_id]
    except KeyError:
        raise KeyError(f"unknown metric {metric_id!r}; see storeops.metrics.registry.METRICS") from None
