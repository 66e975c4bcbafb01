"""schema.py carries DESIGN.md's data model: every table, key and column, with labels."""

from storeops import schema

DESIGN = {  # table: key, as DESIGN.md's data model
    "orders": ("order_id",), "order_items": ("order_id", "line_no"), "products": ("sku",),
    "inventory": ("date", "sku"), "purchase_orders": ("po_id", "sku"), "traffic": ("date",),
    "traffic_by_source": ("date", "source"), "product_traffic": ("date", "product_id"),
    "ads": ("date", "channel", "campaign"), "campaigns": ("campaign_id",), "cs_sessions": ("session_id",),
    "cs_tickets": ("ticket_id",), "ratings": ("date",),
    "competitor_products": ("date", "competitor", "item_id"), "targets": ("month", "category"),
    "members": ("buyer_id",),
    "ingest_log": ("ingested_at", "file_hash", "table_name"),  # storeops' own record, not a platform table
    # beyond DESIGN.md: credit notes and returns that exports date apart from their order
    "refunds": ("refund_id", "line_no"),
}


def test_every_table_and_key_of_the_design():
    assert {n: t.key for n, t in schema.TABLES.items()} == DESIGN


def test_keys_are_columns_and_not_null_and_labels_are_there():
    for t in schema.TABLES.values():
        names = t.column_names
        assert len(names) == len(set(names)), t.name
        for k in t.key:
            assert not t.column(k).nullable, (t.name, k)
        for c in t.columns:
            assert c.zh and c.en, (t.name, c.name)
        assert t.date_column is None or t.date_column in names


def test_money_is_exact_everywhere_to_the_cent_but_a_lines_price_and_amount():
    money = {(t.name, c.name) for t in schema.TABLES.values() for c in t.columns if c.dtype == schema.MONEY}
    assert ("orders", "paid_amount") in money and ("ads", "cost") in money
    lines = {(t.name, c.name) for t in schema.TABLES.values() for c in t.columns if c.dtype == schema.LINE_MONEY}
    assert lines == {("order_items", "unit_price"), ("order_items", "amount"), ("refunds", "amount")}
    assert not [c for t in schema.TABLES.values() for c in t.columns
                if c.name.endswith(("amount", "cost", "price", "fee")) and c.dtype not in (schema.MONEY, schema.LINE_MONEY)]
