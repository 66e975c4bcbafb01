"""A marketplace dump in four files joined by keys (the shipped olist_bundle), loaded together with
an accounting per file; figures worked out by hand from the rows below."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest

from storeops import ingest, warehouse
from storeops.metrics import sales
from storeops.metrics.base import evaluate
from storeops.periods import Period
from tests.conftest import BIN
from tests.ingest.conftest import ingested

DAY = Period.day("2026-11-26")

FILES = {
    "olist_orders_dataset.csv": """\
order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at,order_delivered_carrier_date,order_delivered_customer_date,order_estimated_delivery_date
o1,c1,delivered,2026-11-26 09:00:00,2026-11-26 09:05:00,2026-11-27 10:00:00,2026-11-30 15:00:00,2026-12-05 00:00:00
o2,c2,delivered,2026-11-26 10:00:00,2026-11-26 10:02:00,,,2026-12-05 00:00:00
o3,c3,canceled,2026-11-26 11:00:00,,,,2026-12-05 00:00:00
""",
    "olist_order_items_dataset.csv": """\
order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value
o1,1,p1,s1,2026-11-28 09:05:00,10.00,2.50
o1,2,p2,s1,2026-11-28 09:05:00,5.25,2.50
o2,1,p1,s2,2026-11-28 10:02:00,10.00,3.00
o9,1,p3,s2,2026-11-28 10:02:00,7.00,1.00
""",
    "olist_order_payments_dataset.csv": """\
order_id,payment_sequential,payment_type,payment_installments,payment_value
o1,1,credit_card,3,10.00
o1,2,voucher,1,10.25
o2,1,boleto,1,13.00
o8,1,credit_card,1,5.00
""",
    "olist_customers_dataset.csv": """\
customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state
c1,u1,01001,sao paulo,SP
c2,u1,20010,rio de janeiro,RJ
c3,u3,30110,belo horizonte,MG
c4,u4,01002,sao paulo,SP
""",
}


@pytest.fixture
def dump(tmp_path):
    folder = tmp_path / "olist"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_four_file_dump_loads_as_one_store(project, dump):
    reports = {r.path.name: r for r in ingested(project, dump)}  # the folder: its files found by name
    acc = {n: (r.preset, r.rows_read, r.rows_accepted, r.rows_rejected, r.rows_skipped) for n, r in reports.items()}
    assert acc == {
        "olist_orders_dataset.csv": ("olist_bundle", 3, 3, 0, 0),
        # o9 is in no orders file (nor the warehouse): its item is rejected, the rest load
        "olist_order_items_dataset.csv": ("olist_bundle", 4, 3, 1, 0),
        # o8's payment has no order to be part of; the other three are in o1's and o2's totals
        "olist_order_payments_dataset.csv": ("olist_bundle", 4, 3, 1, 0),
        # c4 is no order's customer: skipped, not lost (there is no sale of it to load)
        "olist_customers_dataset.csv": ("olist_bundle", 4, 3, 0, 1),
    }
    assert reports["olist_order_items_dataset.csv"].reasons == [
        (5, "order o9 is not in the accepted rows of olist_orders_dataset.csv or the warehouse")]
    assert reports["olist_order_payments_dataset.csv"].reasons == [
        (5, "order_id 'o8' is in no row of olist_orders_dataset.csv")]
    rejects = reports["olist_order_payments_dataset.csv"].rejects.read_text(encoding="utf-8-sig").splitlines()
    assert rejects == ["line,reason,order_id,payment_sequential,payment_type,payment_installments,payment_value",
                       "5,order_id 'o8' is in no row of olist_orders_dataset.csv,o8,1,credit_card,1,5.00"]
    rejects = reports["olist_order_items_dataset.csv"].rejects.read_text(encoding="utf-8-sig").splitlines()
    assert rejects == ["line,reason,order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value",
                       "5,order o9 is not in the accepted rows of olist_orders_dataset.csv or the warehouse,o9,1,p3,s2,"
                       "2026-11-28 10:02:00,7.00,1.00"]  # as the file has it, under its own line
    con = warehouse.connect(project, read_only=True)
    try:
        o = con.table("orders").order_by("order_id").execute()
        # o1: items 10.00 + 5.25, freight 2.50 + 2.50, paid 10.00 + 10.25 (two installments); buyer u1 (c1), SP
        # o2: 10.00, 3.00, 13.00; buyer u1 again (c2 is the same person), RJ. o3: cancelled, no items, no payment
        assert o[["order_id", "buyer_id", "status", "goods_amount", "shipping_fee", "paid_amount", "province"]
                 ].values.tolist() == [
            ["o1", "u1", "completed", Decimal("15.25"), Decimal("5.00"), Decimal("20.25"), "SP"],
            ["o2", "u1", "completed", Decimal("10.00"), Decimal("3.00"), Decimal("13.00"), "RJ"],
            ["o3", "u3", "closed", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), "MG"]]
        assert o.paid_at.isna().tolist() == [False, False, True] and str(o.shipped_at[0]) == "2026-11-27 10:00:00"
        items = con.table("order_items").order_by(["order_id", "line_no"]).execute()
        assert items[["order_id", "line_no", "sku", "qty", "unit_price"]].values.tolist() == [
            ["o1", 1, "p1", 1, Decimal("10.00")], ["o1", 2, "p2", 1, Decimal("5.25")],
            ["o2", 1, "p1", 1, Decimal("10.00")]]
        v = evaluate({k: sales.BLOCK[k](warehouse.Tables(con), DAY) for k in ("paid_amount", "paid_orders",
                                                                               "paying_buyers")})
        assert v == {"paid_amount": Decimal("33.25"), "paid_orders": 2, "paying_buyers": 1}  # 20.25 + 13.00; u1
        log = con.table("ingest_log").execute()
        assert sorted(log.table_name) == ["order_items", "orders"] and log.ingested_at.nunique() == 1  # one load
    finally:
        con.disconnect()


def test_a_file_of_the_dump_without_its_companions_is_refused_whole(project, dump):
    done, refused = ingest.ingest_paths(project, [dump / "olist_orders_dataset.csv",
                                                  dump / "olist_order_items_dataset.csv"])
    assert done == [] and len(refused) == 2
    assert all("bundle olist_bundle needs its companion payments (a file like *order_payments_dataset*.csv), "
               "customers (a file like *customers_dataset*.csv) beside it; nothing of the bundle was loaded"
               in str(e) for e in refused)
    con = warehouse.connect(project, read_only=True)
    try:
        assert con.table("orders").count().execute() == 0 and con.table("order_items").count().execute() == 0
    finally:
        con.disconnect()


def test_storeops_ingest_dir_prints_each_files_accounting(project, dump):
    r = subprocess.run([BIN / "storeops", "ingest", dump, "--config", project.root / "params" / "store.yaml"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if "[olist_bundle" in ln]
    assert len(lines) == 4
    assert "olist_customers_dataset.csv [olist_bundle, detected]: read 4, accepted 3, rejected 0, skipped 1 (no row " \
           "loaded names them)" in lines
    assert any(ln.startswith("olist_orders_dataset.csv [olist_bundle, detected]: read 3, accepted 3, rejected 0; "
                             "wrote orders 3") for ln in lines)


@pytest.mark.parametrize("change, problem", [
    (("paid_amount: {sum: payments.payment_value}", "paid_amount: {sum: payments.payment_value + 1}"),
     "orders.paid_amount: sum adds one column of a joined file: {sum: <part>.<column>}"),
    (("buyer_id: customers.customer_unique_id", "buyer_id: products.product_category_name"),
     "products.product_category_name: part products joins no column of orders, the rows' file"),
    (("  customers: {file: \"*customers_dataset*.csv\", join: {customer_id: orders.customer_id}}",
      "  customers: {file: \"*customers_dataset*.csv\", join: {customer_id: buyers.customer_id}}"),
     "bundle.customers.join: 'buyers.customer_id' names no part of the bundle (<part>.<column>)"),
    (("    from: items", "    from: item"), "tables.order_items: from names the part each row comes from"),
    (("  payments: {file: \"*order_payments_dataset*.csv\", join: {order_id: orders.order_id}}",
      "  payments: {file: \"*order_payments_dataset*.csv\", join: {customer_id: customers.customer_id}}"),
     "bundle.payments: no table is read from it, so it must join a file one is read from"),
])
def test_a_bundle_that_cannot_work_is_refused_when_read(tmp_path, change, problem):
    from storeops.errors import ConfigError
    from storeops.ingest import bundle
    from tests.conftest import ROOT

    text = (ROOT / "params" / "sources" / "olist_bundle.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    (tmp_path / "b.yaml").write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as e:
        bundle.load_bundle(tmp_path / "b.yaml")
    assert problem in str(e.value)


def _dump(tmp_path, changes: dict[str, list[tuple[str, str]]]):
    folder = tmp_path / "olist"
    folder.mkdir()
    for name, text in FILES.items():
        for a, b in changes.get(name, []):
            assert a in text
            text = text.replace(a, b)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _orders(project) -> list[list]:
    con = warehouse.connect(project, read_only=True)
    try:
        o = con.table("orders").order_by("order_id").execute()
        return o[["order_id", "buyer_id", "goods_amount", "paid_amount"]].astype(object).where(o.notna(), None
                                                                                            ).values.tolist()
    finally:
        con.disconnect()


def test_headers_are_never_sql(project, tmp_path):
    # a quote in a header, and a header written to run a statement: both are only names
    import csv
    import io

    trap = tmp_path / "trap.csv"
    folder = _dump(tmp_path, {})
    rows = list(csv.reader(io.StringIO(FILES["olist_orders_dataset.csv"])))
    rows[0] += ['say "hi"', f'x" FROM "orders" b; COPY (SELECT 1) TO \'{trap}\'; --']
    rows[1:] = [r + ["a", "b"] for r in rows[1:]]
    with (folder / "olist_orders_dataset.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    done, refused = ingest.ingest_paths(project, [folder], dry_run=True)
    assert refused == [] and not trap.exists()
    assert [r.rows_accepted for r in done if r.path.name == "olist_orders_dataset.csv"] == [3]


def test_an_orders_total_is_that_of_the_lines_it_stores(project, tmp_path):
    # o1's second line names an item id that is no number, and o2's line repeats o1's first line's key:
    # both are rejected, and the orders' totals add only the lines stored (o1: 10.00; o2: none, 0.00)
    folder = _dump(tmp_path, {"olist_order_items_dataset.csv": [("o1,2,p2", "o1,x,p2"), ("o2,1,p1", "o1,1,p1")]})
    (items,) = [r for r in ingested(project, folder) if r.path.name == "olist_order_items_dataset.csv"]
    assert items.reasons == [(3, "column order_item_id: expected a whole number, got 'x'"),
                             (4, "duplicate key order_id=o1, line_no=1 (first on line 2)"),
                             (5, "order o9 is not in the accepted rows of olist_orders_dataset.csv or the warehouse")]
    assert _orders(project) == [["o1", "u1", Decimal("10.00"), Decimal("20.25")],
                                ["o2", "u1", Decimal("0.00"), Decimal("13.00")],
                                ["o3", "u3", Decimal("0.00"), Decimal("0.00")]]


def test_blank_keys_join_nothing_and_a_file_with_only_its_header_adds_nothing(project, tmp_path):
    # o3 names no customer and a customers row has no id: they do not find each other (o3 has no
    # buyer; both unnamed customers are skipped); a payments file with only its header: nothing paid
    payments = FILES["olist_order_payments_dataset.csv"].splitlines(keepends=True)
    folder = _dump(tmp_path, {"olist_orders_dataset.csv": [("o3,c3", "o3, ")],
                              "olist_customers_dataset.csv": [("c4,u4", ",u9")],
                              "olist_order_payments_dataset.csv": [(line, "") for line in payments[1:]]})
    reports = {r.path.name: r for r in ingested(project, folder)}
    assert (reports["olist_customers_dataset.csv"].rows_accepted, reports["olist_customers_dataset.csv"].rows_skipped) \
        == (2, 2)
    assert reports["olist_order_payments_dataset.csv"].rows_read == 0
    assert _orders(project) == [["o1", "u1", Decimal("15.25"), Decimal("0.00")],
                                ["o2", "u1", Decimal("10.00"), Decimal("0.00")],
                                ["o3", None, Decimal("0.00"), Decimal("0.00")]]


def test_the_dumps_other_files_are_named_not_read_and_not_refused(project, dump):
    (dump / "olist_sellers_dataset.csv").write_text("seller_id,seller_zip_code_prefix,seller_city,seller_state\n"
                                                    "s1,01001,sao paulo,SP\n", encoding="utf-8")
    (dump / "notes.csv").write_text("what,when\nstocktake,friday\n", encoding="utf-8")  # no part of the dump
    done, refused = ingest.ingest_paths(project, [dump])
    assert [str(e) for e in refused] == [f"{dump / 'notes.csv'}: its header (what, when) matches no preset; "
                                         f"see params/sources/"]
    sellers = [r for r in done if r.path.name == "olist_sellers_dataset.csv"]
    assert [r.summary() for r in sellers] == [
        "olist_sellers_dataset.csv [olist_bundle]: not read (a file of the dump the bundle does not use)"]
    assert sum(r.rows_accepted for r in done) == 12  # the bundle's rows, as without the extra files
