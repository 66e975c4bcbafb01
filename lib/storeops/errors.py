"""Every error storeops raises on purpose: a type with the facts attached.

The CLI prints ``str(error)`` as one line and exits non-zero; no traceback.
"""

from __future__ import annotations


class StoreopsError(Exception):
    """Base of the errors a user can act on."""


class ConfigError(StoreopsError):
    """A settings file is missing or wrong."""


class WarehouseError(StoreopsError):
    """The warehouse cannot be opened or holds something unexpected."""


class ReportError(StoreopsError):
    """A report notebook failed while executing or exporting."""

    def __init__(self, message: str, *, notebook: str | None = None, cell_index: int | None = None,
                 ename: str | None = None, evalue: str | None = None):
        super().__init__(message)
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue


class AlreadyRunning(ReportError):
    """Another process is making the same report (or running ``run due``) right now: this run stands
    aside. Not the report's failure: recorded as skipped, no notice to ops."""


class NotWritable(ReportError):
    """The reports folder (or a file in it) cannot be written: nothing is run; the run is recorded
    in the user's state folder and ops are told."""


class Damaged(WarehouseError):
    """The warehouse file is damaged (cut short, a block that fails its checksum): nothing is read
    from it or written to it."""


class Closed(StoreopsError):
    """The store does not trade on any day of the period (its calendar): there is no review to make.
    Not a failure: the CLI prints the one line and exits 0; ``run due`` records it as skipped."""
