"""pyproject.toml and environment.yml list the same dependencies, and what is installed fits them."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def test_conda_and_pip_lists_agree():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
    assert sorted(p for p in pip if p != "-e .") == sorted(_pyproject())
    assert any(str(d).startswith("python>=3.11") for d in env["dependencies"])


def test_installed_versions_fit_the_declared_ranges():
    for spec in _pyproject():
        req = Requirement(spec)
        assert req.specifier.contains(version(req.name), prereleases=True), f"{req.name} {version(req.name)} not in {req.specifier}"


def test_ibis_creates_lists_and_reads_tables_on_this_duckdb():
    # the break that pinned duckdb < 2 (list_tables) and sqlglot < 30 (create_table)
    import ibis

    con = ibis.duckdb.connect()
    con.create_table("t", schema=ibis.schema({"a": "decimal(18, 2)"}))
    assert con.list_tables() == ["t"]
    con.insert("t", [{"a": 1.25}])
    assert str(con.table("t").a.sum().execute()) == "1.25"
