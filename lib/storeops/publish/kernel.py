"""The Jupyter kernel a report runs in, started as the run begins.

Before its first figure, a review's kernel spends over a second starting and importing pandas,
ibis, matplotlib and storeops; the command, meanwhile, spends about as long importing its own and
checking that the data covers the period (publish.run's guard). Started first, importing the
review's modules as it starts (IPython's ``exec_lines``), the kernel does its part on another core
while the command does its own: the daily at 1× takes about 4.2 s instead of 6.

This module imports only jupyter_client, so the command can start the kernel before it loads the rest.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_core.utils import run_sync

from storeops.errors import ReportError

NAME = "storeops"


class EncryptedKernelManager(AsyncKernelManager):
    """Talks to the kernel over CurveZMQ when this pyzmq can: the kernel then has no
    cause to warn, on every cron run, that its traffic is unencrypted."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        try:
            self.transport_encryption = "auto"
        except Exception:  # pyzmq without libsodium: plain loopback TCP, as before
            pass


def logging_to(log: IO[bytes]) -> type[EncryptedKernelManager]:
    class Manager(EncryptedKernelManager):
        """The kernel's own stdout and stderr (an interrupted cell's traceback, a library's start-up
        noise) go to a log file, not into the cron mail."""

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stdout"] = kw["stderr"] = log
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return Manager


def check(name: str = NAME) -> None:
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise ReportError(
            f"Jupyter kernel {name!r} is not installed: run `make demo` once, or "
            f"`python -m ipykernel install --sys-prefix --name {name}`"
        ) from None


class Ahead:
    """A kernel started before the run needs it. The run takes ``km`` (papermill ends the kernel
    when the notebook is done); :meth:`close` ends one the run never came to (the data refused).
    Until then the kernel writes to a file of its own beside ``log`` (``.<log>.<pid>``; in the temporary
    folder when the reports folder cannot be written), which :meth:`close` adds to ``log`` when the run
    took the kernel and drops when it did not: a refused run leaves no trace, and the lines of a run
    whose command was killed stay beside the log they were for."""

    def __init__(self, kernel: str, cwd: Path, log: Path, modules: Sequence[str] = ()) -> None:
        check(kernel)
        self.log, self.taken = log, False
        try:
            self._own, self._sink = _beside(log)
        except OSError as e:
            raise ReportError(f"the kernel's log could not be written: {e}") from None
        self.km = logging_to(self._sink)(kernel_name=kernel)
        args = []
        if "ipykernel_launcher" in self.km.kernel_spec.argv:  # an IPython kernel
            # a scheduled run's cells in no history file (IPython's sqlite, shared with every kernel)
            args.append("--HistoryManager.hist_file=:memory:")
            if modules:  # a failed import is the notebook's own first cell's to report
                args.append(f"--IPKernelApp.exec_lines=import {', '.join(modules)}")
        try:
            run_sync(self.km.start_kernel)(extra_arguments=args, cwd=str(cwd))
        except Exception as e:  # its python gone, no room to fork, the runtime folder not writable …
            with contextlib.suppress(Exception):  # a kernel half started is ended; the cause is said
                self.close()
            why = str(e).strip().splitlines()[0] if str(e).strip() else ""
            raise ReportError(f"its kernel {kernel!r} could not start: {type(e).__name__}: {why}") from None
        except BaseException:
            self.close()
            raise

    def take(self) -> AsyncKernelManager:
        self.taken = True
        return self.km

    def close(self) -> None:
        try:
            if self.km.has_kernel:  # not taken, or the run stopped before papermill ended it
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            self._sink.close()
            if self.taken:
                try:
                    self.log.parent.mkdir(parents=True, exist_ok=True)
                    with self._own.open("rb") as src, self.log.open("ab") as dst:
                        shutil.copyfileobj(src, dst)
                except OSError:  # the reports folder is full or read-only: the lines stay where they are
                    return
            self._own.unlink(missing_ok=True)

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _beside(log: Path) -> tuple[Path, IO[bytes]]:
    """A file of the kernel's own beside ``log``, or in the temporary folder."""
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        fd, own = tempfile.mkstemp(prefix=f".{log.name}.", dir=log.parent)
    except OSError:
        fd, own = tempfile.mkstemp(prefix=f"storeops-{log.name}.")
    return Path(own), os.fdopen(fd, "ab")
