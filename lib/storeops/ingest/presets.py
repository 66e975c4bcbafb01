"""Presets: how one export format's columns and values map to the canonical tables.

A preset is a YAML file in ``params/sources/`` (see the README for a worked
example). The canonical CSV presets, ``canonical_<table>``, are made from
schema.py, so they can never drift from the schema.

A column's mapping is one of::

    order_id: 订单编号                          # the export's header
    status: {column: 订单状态, map: {交易成功: completed, …}}   # with a value map
    province: {column: 收货地址, parse: province}                # with a named parser
    discount_amount: {expr: "总金额 - 买家实际支付金额"}         # arithmetic on parsed columns
    source: {value: taobao}                     # a constant
    line_no: {line_number: true}                # position of the row within its order

``expr`` takes + − × ÷ over header names (in backticks when they hold spaces)
and numbers. ``write`` (for ``storeops demo --as-exports``) gives the export
columns that are computed from canonical columns rather than copied.
"""

from __future__ import annotations

import functools

import ast
import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from storeops import schema
from storeops.config import read_yaml
from storeops.errors import ConfigError


#: presets feeding these tables load first, so order lines find their orders
LOAD_ORDER = ("products", "orders", "order_items")


def load_rank(table: str) -> int:
    return LOAD_ORDER.index(table) if table in LOAD_ORDER else len(LOAD_ORDER)


@dataclass(frozen=True)
class ColumnSpec:
    target: str
    column: str | None = None
    map: dict[str, Any] | None = None
    parse: str | None = None
    expr: str | None = None
    value: Any = None
    has_value: bool = False
    line_number: bool = False
    optional: bool = False  # the export may lack this column; then the canonical column is empty
    #: for writing exports: canonical values with no entry in ``map`` written as these export values
    write_map: dict[str, Any] | None = None
    #: orders built from their lines: the order's value is this expression summed over its lines
    sum: str | None = None
    #: orders built from their lines: the first line's value (the lines may differ: times)
    first: bool = False

    @property
    def headers(self) -> list[str]:
        if self.column:
            return [self.column]
        if self.expr or self.sum:
            return expr_names(self.expr or self.sum)
        return []


@dataclass(frozen=True)
class SkipRule:
    """Rows a preset leaves out on purpose (stock adjustments, postage lines, samples, test orders):
    those whose ``column`` is one of ``values``, or matches the regular expression ``matches``."""

    column: str
    values: frozenset[str] | None = None
    matches: str | None = None
    #: the rows the rule does not pick (a routed table's rows are skipped by every other reading)
    negate: bool = False

    def hit(self, cell: Any) -> bool:
        """Whether a cell (as the file has it) makes its row one to skip; as :meth:`hits` for a column."""
        v = "" if cell is None else str(cell)
        hit = v.strip() in self.values if self.values is not None else re.search(self.matches, v) is not None
        return hit != self.negate

    def hits(self, cells: Any) -> Any:
        """The rows of a column of cells (Arrow strings) to skip."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.values is not None:
            hit = pc.is_in(pc.utf8_trim_whitespace(cells), value_set=pa.array(sorted(self.values))).fill_null(False)
        else:
            hit = pc.match_substring_regex(cells, self.matches).fill_null(False)
        return pc.invert(hit) if self.negate else hit

    def describe(self) -> str:
        return f"{self.column} in {sorted(self.values)}" if self.values is not None else \
            f"{self.column} matches {self.matches!r}"


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    format: str  # csv | xlsx
    encoding: str
    tables: dict[str, list[ColumnSpec]]
    #: rows are order lines grouped by this header; order-level columns only on an order's first line
    group_by: str | None = None
    #: export columns computed from canonical columns when writing (demo --as-exports)
    write: dict[str, str] = field(default_factory=dict)
    #: canonical columns the format does not carry faithfully (left out of round-trip checks)
    lossy: tuple[str, ...] = ()
    #: lines above the header when writing (XLSX reports carry a title)
    title_rows: tuple[str, ...] = ()
    #: export columns written as ="…" (Excel's guard for long digit strings)
    excel_text: tuple[str, ...] = ()
    #: times written with the store's UTC offset (Shopify)
    time_offset: bool = False
    path: Path | None = None
    #: the order of day and month in dates like 04/05/2023: dmy or mdy (none is assumed)
    date_order: str | None = None
    #: whether the export's paid column is net of refunds (``paid_is_net_of_refunds``): True (every
    #: order: gross = paid + refund), "fully_refunded" (only orders refunded whole show 0 paid, as
    #: Tmall's 订单报表), False (as charged), None (not said: ingest reads the file and decides)
    paid_net: bool | str | None = None
    #: rows left out on purpose, counted apart from rejected ones (``skip:``)
    skip: tuple[SkipRule, ...] = ()
    #: tables that take only the rows a rule picks (``route: {refunds: {column: Invoice, matches: "^C"}}``);
    #: the other tables take the rest
    route: dict[str, SkipRule] = field(default_factory=dict)
    #: read a document's lines together wherever they are in the file (orders built from lines)
    documents: bool = False

    def readings(self) -> list[Preset]:
        """The preset as the passes over a file that routes rows: one for the tables without a rule
        (the routed rows skipped), one per routed table (every other row skipped)."""
        if not self.route:
            return [self]
        from dataclasses import replace

        rest = {t: specs for t, specs in self.tables.items() if t not in self.route}
        out = [replace(self, tables=rest, skip=self.skip + tuple(self.route.values()), route={})] if rest else []
        for t, rule in self.route.items():
            out.append(replace(self, tables={t: self.tables[t]}, skip=self.skip + (replace(rule, negate=True),),
                               route={}))
        return out

    @property
    def loading_order(self) -> list[str]:
        """Its tables, orders before their lines (LOAD_ORDER)."""
        return sorted(self.tables, key=load_rank)

    def order_columns(self, present: list[str]) -> list[str]:
        """The export's order-level columns (multi-line layouts: given on an order's first line, and
        equal on any other line that gives them); not those summed over the lines or taken from the
        first."""
        return list(dict.fromkeys(h for s in self.tables.get("orders", []) if not (s.sum or s.first)
                                  for h in s.headers if h in present and h != self.group_by))

    @property
    def from_lines(self) -> bool:
        """Orders built from their lines (a ``sum`` column): a document's lines anywhere in the file
        are one order, however they interleave with other documents' lines."""
        return any(s.sum for s in self.tables.get("orders", []))

    @functools.cached_property  # asked of every preset for every file ingest reads (choose_preset)
    def headers(self) -> list[str]:
        """Every header the preset reads."""
        out: list[str] = []
        for specs in self.tables.values():
            for s in specs:
                out += [h for h in s.headers if h not in out]
        for h in [self.group_by, *(r.column for r in (*self.skip, *self.route.values()))]:
            if h and h not in out:
                out.append(h)
        return out

    @functools.cached_property
    def required_headers(self) -> list[str]:
        """Headers that must be present: those feeding a column that is not optional."""
        out: list[str] = []
        for specs in self.tables.values():
            for s in specs:
                if not s.optional:
                    out += [h for h in s.headers if h not in out]
        # a rule on a missing column would skip nothing
        return out + list(dict.fromkeys(r.column for r in (*self.skip, *self.route.values()) if r.column not in out))


def canonical(table: str) -> Preset:
    """``canonical_<table>``: the canonical CSV, one column per schema column, same names.

    Every column must be present (an empty cell is a NULL): with optional columns, a
    two-column file would "fit" many canonical tables and land in the wrong one.
    """
    t = schema.table(table)
    return Preset(f"canonical_{table}", f"canonical {table}.csv", "csv", "utf-8",
                  {table: [ColumnSpec(c.name, column=c.name, optional=c.name in schema.ADDED.get(table, ()))
                           for c in t.columns]})


def _header(h: Any) -> str | None:
    """A header as the preset names it, trimmed as the file's are (read.clean_header): a preset that
    copies ``订单付款时间 `` with its trailing space from a file still matches it."""
    from storeops.ingest.read import clean_header

    return None if h is None else clean_header(h)


def _spec(target: str, raw: Any, where: str) -> ColumnSpec:
    if isinstance(raw, str):
        return ColumnSpec(target, column=_header(raw))
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: column {target!r} must be a header or a mapping")
    known = {"column", "map", "parse", "expr", "value", "line_number", "optional", "write", "sum", "first"}
    extra = set(raw) - known
    if extra:
        raise ConfigError(f"{where}: column {target!r} has unknown keys {', '.join(sorted(extra))}")
    for key in ("expr", "sum"):
        if key in raw:
            expr_names(raw[key])  # fails now, not at ingest time
    if raw.get("first") and not raw.get("column"):
        raise ConfigError(f"{where}: column {target!r}: first takes the first line's value of a column: "
                          f"{{column: <header>, first: true}}")
    return ColumnSpec(target, column=_header(raw.get("column")), map={str(k): v for k, v in raw["map"].items()}
                      if raw.get("map") else None, parse=raw.get("parse"), expr=raw.get("expr"),
                      value=raw.get("value"), has_value="value" in raw, line_number=bool(raw.get("line_number")),
                      optional=bool(raw.get("optional")), write_map=raw.get("write"), sum=raw.get("sum"),
                      first=bool(raw.get("first")))


#: what a preset file may say (a typo is refused, never silently obeyed)
PRESET_KEYS = ("name", "label", "format", "encoding", "tables", "group_by", "write", "lossy", "title_rows",
               "excel_text", "time_offset", "date_order", "paid_is_net_of_refunds", "skip", "route")


def load_preset(path: Path, raw: dict | None = None) -> Preset:
    """The preset in ``path`` (``raw``: its YAML, where it is read already)."""
    from storeops import settings

    raw = read_yaml(path, "preset") if raw is None else raw
    settings.known_keys(raw, PRESET_KEYS, path)
    where = str(path)
    for key in ("name", "tables"):
        if key not in raw:
            raise ConfigError(f"{where}: a preset needs {key!r}")
    tables = {}
    for table, cols in raw["tables"].items():
        t = schema.table(table)
        specs = []
        for target, spec in (cols or {}).items():
            if target not in t.column_names:
                raise ConfigError(f"{where}: {table} has no column {target!r}")
            specs.append(_spec(target, spec, where))
            if (specs[-1].sum or specs[-1].first) and (table != "orders" or not raw.get("group_by")):
                raise ConfigError(f"{where}: {table}.{target}: sum and first build an order from its lines: "
                                  f"they belong in tables.orders of a preset with group_by (the document id)")
            if specs[-1].sum and not t.column(target).dtype.startswith("decimal"):
                raise ConfigError(f"{where}: orders.{target}: sum adds amounts; {target} is no amount")
        tables[table] = specs
    return Preset(str(raw["name"]), str(raw.get("label", raw["name"])), str(raw.get("format", "csv")),
                  str(raw.get("encoding", "utf-8")), tables, _header(raw.get("group_by")), dict(raw.get("write") or {}),
                  tuple(raw.get("lossy") or ()), tuple(raw.get("title_rows") or ()),
                  tuple(raw.get("excel_text") or ()), bool(raw.get("time_offset")), path,
                  _date_order(raw.get("date_order"), where), _paid_net(raw, tables, where),
                  _skip_rules(raw.get("skip"), where), _routes(raw.get("route"), tables, where),
                  any(s.sum for s in tables.get("orders", [])))


def _routes(raw: Any, tables: dict[str, list[ColumnSpec]], where: str) -> dict[str, SkipRule]:
    """``route: {refunds: {column: Invoice, matches: "^C"}}``: which rows a table takes."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: route maps a table to the rule of its rows, like "
                          f"{{refunds: {{column: Invoice, matches: \"^C\"}}}}")
    unknown = [t for t in raw if t not in tables]
    if unknown:
        raise ConfigError(f"{where}: route names {', '.join(map(str, unknown))}, which tables does not map")
    if len(raw) == len(tables):
        raise ConfigError(f"{where}: route gives every table a rule: the rows no rule picks would go nowhere")
    return {t: _skip_rules([rule], f"{where}: route.{t}")[0] for t, rule in raw.items()}


def _skip_rules(raw: Any, where: str) -> tuple[SkipRule, ...]:
    """``skip: [{column: StockCode, in: [POST, M]}, {column: Description, matches: "^TEST"}]``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: skip must be a list of rules like {{column: StockCode, in: [POST]}}")
    out = []
    for rule in raw:
        if not isinstance(rule, dict) or "column" not in rule or len(set(rule) & {"in", "matches"}) != 1 \
                or set(rule) - {"column", "in", "matches"}:
            raise ConfigError(f"{where}: a skip rule is {{column: <header>, in: [values]}} or {{column: <header>, "
                              f"matches: <regular expression>}}, not {rule!r}")
        if "in" in rule:
            values = rule["in"] if isinstance(rule["in"], list) else [rule["in"]]
            if any(str(v).strip() == "" for v in values):
                raise ConfigError(f"{where}: a skip rule cannot skip empty cells ({rule!r}): an empty cell is no row")
            out.append(SkipRule(_header(rule["column"]), values=frozenset(str(v).strip() for v in values)))
        else:
            try:
                re.compile(str(rule["matches"]))
            except re.error as e:
                raise ConfigError(f"{where}: skip rule on {rule['column']!r}: {rule['matches']!r} is no regular "
                                  f"expression ({e})") from None
            out.append(SkipRule(_header(rule["column"]), matches=str(rule["matches"])))
    return tuple(out)


PAID_NET = (True, False, "fully_refunded")


def _paid_net(raw: dict, tables: dict[str, list[ColumnSpec]], where: str) -> bool | str | None:
    v = raw.get("paid_is_net_of_refunds")
    if v is None:
        return None
    if v not in PAID_NET:
        raise ConfigError(f"{where}: paid_is_net_of_refunds must be true, false or fully_refunded, not {v!r}")
    mapped = {s.target for s in tables.get("orders", [])}
    if v and not {"paid_amount", "refund_amount"} <= mapped:
        raise ConfigError(f"{where}: paid_is_net_of_refunds needs orders.paid_amount and orders.refund_amount mapped")
    return v


def _date_order(v: Any, where: str) -> str | None:
    if v not in (None, "dmy", "mdy"):
        raise ConfigError(f"{where}: date_order must be dmy or mdy, not {v!r}")
    return v


def all_presets(root: Path) -> dict[str, Preset]:
    """The canonical presets, the shipped YAML presets, and the store folder's own in
    ``root/params/sources`` (which win by name: see storeops.resources)."""
    from storeops import resources

    out = {f"canonical_{t}": canonical(t) for t in schema.TABLES if t != schema.INGEST_LOG.name}
    for p in resources.preset_files(root):
        raw = read_yaml(p, "preset")
        if "bundle" in raw:  # several files together: ingest.bundle
            continue
        preset = load_preset(p, raw)
        out[preset.name] = preset
    return out


# ---------------------------------------------------------------- expressions

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_TICKS = re.compile(r"`([^`]+)`")


def _prepare(expr: str) -> tuple[ast.Expression, dict[str, str]]:
    names: dict[str, str] = {}

    def sub(m: re.Match) -> str:
        key = f"_c{len(names)}"
        names[key] = _header(m.group(1))
        return key

    tree = ast.parse(_TICKS.sub(sub, expr), mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.setdefault(node.id, node.id)
        elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.Constant, ast.Load,
                                   *_OPS)):
            raise ConfigError(f"expression {expr!r}: only + − × ÷, numbers and column names are allowed")
    return tree, names


def expr_names(expr: str) -> list[str]:
    """The column names an expression reads."""
    return list(dict.fromkeys(_prepare(expr)[1].values()))


def evaluate(expr: str, columns: dict[str, Any], arrow: bool = False) -> Any:
    """Evaluate ``expr`` over ``columns`` (Decimals, or with ``arrow`` Arrow decimal arrays), e.g.
    ``总金额 - 买家实际支付金额``. Arrow's decimal + − × are exact, as Decimal's are within its 28
    digits; its ÷ rounds otherwise, so it is refused (NotImplementedError)."""
    tree, names = _prepare(expr)
    ops = _OPS
    if arrow:
        import pyarrow as pa
        import pyarrow.compute as pc

        ops = {ast.Add: pc.add_checked, ast.Sub: pc.subtract_checked, ast.Mult: pc.multiply_checked}

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp):
            if type(node.op) not in ops:
                raise NotImplementedError(f"{type(node.op).__name__} in Arrow")
            return ops[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp):
            return pc.negate_checked(ev(node.operand)) if arrow else -ev(node.operand)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                if arrow:
                    raise NotImplementedError("text in Arrow")
                return node.value
            return pa.scalar(Decimal(str(node.value))) if arrow else Decimal(str(node.value))
        return columns[names[node.id]]

    return ev(tree)
