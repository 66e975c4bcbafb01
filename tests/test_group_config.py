"""A group folder's settings (storeops.group.config, `storeops init --group`): what is read, what is refused."""

from __future__ import annotations

import datetime as _dt
import subprocess
from decimal import Decimal

import pytest

from storeops import config, settings
from storeops.errors import ConfigError
from storeops.group import config as gconfig
from storeops.publish import mail
from tests.conftest import BIN, ROOT, write_config


def group_yaml(root, body: str):
    p = root / "params" / "group.yaml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(body, encoding="utf-8")
    return p


@pytest.fixture
def stores(tmp_path):
    write_config(tmp_path / "cn")
    write_config(tmp_path / "us", language="en", extra="")
    us = tmp_path / "us" / "params" / "store.yaml"
    us.write_text(us.read_text().replace("timezone: Asia/Shanghai", "timezone: America/Los_Angeles\n  currency: USD"
                                         "\n  platform: shopify"))
    return tmp_path


def test_a_group_reads_its_stores_settings_and_its_rates(stores):
    (stores / "g" / "params").mkdir(parents=True)
    (stores / "g" / "params" / "rates.csv").write_text("month,currency,rate\n2026-11,USD,7.1234\n\n", encoding="utf-8")
    p = group_yaml(stores / "g", "group: {name: 集团, currency: CNY}\nstores:\n  - folder: ../cn\n    platform: tmall\n"
                                 "  - folder: ../us\nrates: {USD: 7.0}\nrates_file: params/rates.csv\n")
    g = gconfig.load(stores / "g")
    assert [m.key for m in g.members] == ["cn", "us"] and [m.platform for m in g.members] == ["tmall", "shopify"]
    assert [m.cfg.currency for m in g.members] == ["CNY", "USD"]
    assert g.rates.rate("USD", _dt.date(2026, 11, 30)) == Decimal("7.1234")
    assert g.rates.rate("USD", _dt.date(2026, 10, 1)) == Decimal("7.0")
    assert g.today() == min(m.cfg.today() for m in g.members)  # the day every store has reached
    from storeops.present import formats

    assert formats.currency() == "CNY"  # the group writes money in its own currency, not its last store's
    assert g.path == p.resolve() and g.reports_dir == (stores / "g" / "reports").resolve()


@pytest.mark.parametrize("body,said", [
    ("group: {curency: CNY}\nstores: [{folder: ../cn}]\n", r"group.yaml:1: group.curency is no setting \(did you mean currency"),
    ("stores: [{folder: ../cn}, {folder: ../cn}]\n", "has the folder name of"),
    ("stores: [{folder: ../nowhere}]\n", r"nowhere/params/store.yaml: config file not found"),
    ("stores: [{folder: ../cn}]\nrates: {USD: -1}\n", r"rates.USD: expected a rate above 0, not -1"),
    ("stores: [{folder: ../cn}]\nrates_file: r.csv\n", r"r.csv: rates file not found"),
    ("stores: []\n", "stores lists no store folder"),
    ("group: {name: x}\n", r"stores: field required"),
])
def test_a_wrong_group_setting_is_refused_in_one_line(stores, body, said):
    group_yaml(stores / "g", body)
    with pytest.raises(ConfigError, match=said):
        gconfig.load(stores / "g")


def test_a_bad_rates_row_is_named_by_its_line(stores):
    (stores / "g" / "params").mkdir(parents=True)
    (stores / "g" / "params" / "r.csv").write_text("month,currency,rate\n2026-11,USD,7.1\n2026/12,USD,7.2\n")
    group_yaml(stores / "g", "stores: [{folder: ../cn}]\nrates_file: params/r.csv\n")
    with pytest.raises(ConfigError, match=r"r.csv:3: month: expected YYYY-MM, not '2026/12'"):
        gconfig.load(stores / "g")


def test_init_group_writes_a_folder_that_passes_its_schema_and_is_not_overwritten(tmp_path):
    r = subprocess.run([BIN / "storeops", "init", "--group", tmp_path / "g"], capture_output=True, text=True)
    assert r.returncode == 0 and "group folder ready" in r.stdout
    p = tmp_path / "g" / "params" / "group.yaml"
    settings.check(config.read_yaml(p, "group settings"), settings.GroupSettings, p)
    assert (tmp_path / "g" / "params" / "group.yaml").read_text() == \
        (ROOT / "lib" / "storeops" / "group_template" / "params" / "group.yaml").read_text()
    cfg = config.load(ROOT / "params" / "store.yaml")
    assert mail.load_email_config(tmp_path / "g" / "params" / "email.yaml", cfg).recipients["group-daily"]
    again = subprocess.run([BIN / "storeops", "init", "--group", tmp_path / "g"], capture_output=True, text=True)
    assert again.returncode == 1 and "exists already" in again.stderr
