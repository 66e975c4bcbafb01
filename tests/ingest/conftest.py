"""What the ingest tests share: a project with the shipped presets, and reading back what landed."""

from __future__ import annotations

import shutil

import pytest

from storeops import config, ingest, warehouse
from tests.conftest import ROOT, write_config


@pytest.fixture
def project(tmp_path):
    write_config(tmp_path)
    shutil.copytree(ROOT / "params" / "sources", tmp_path / "params" / "sources")
    return config.load(tmp_path / "params" / "store.yaml")


def ingested(cfg, *paths) -> list[ingest.FileReport]:
    """Ingest ``paths``, which must all load (none refused), every file's accounting exact."""
    done, refused = ingest.ingest_paths(cfg, list(paths))
    assert refused == [], [str(e) for e in refused]
    assert all(r.rows_read == r.rows_accepted + r.rows_rejected for r in done)
    return done


def stored(cfg, name, order_by):
    """A table of the project's warehouse, as stored, in ``order_by`` order."""
    con = warehouse.connect(cfg, read_only=True)
    try:
        return con.table(name).order_by(order_by).execute()
    finally:
        con.disconnect()
