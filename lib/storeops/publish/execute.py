"""Execute a report notebook with papermill: explicit kernel, execution timeout, clear failure."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import IO, Any

import nbformat
import papermill
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.exceptions import PapermillExecutionError

from storeops.errors import ReportError

KERNEL = "storeops"
TIMEOUT_S = 600  # one cell; the whole daily takes seconds


class EncryptedKernelManager(AsyncKernelManager):
    """Talks to the kernel over CurveZMQ when this pyzmq can: the kernel then has no
    cause to warn, on every cron run, that its traffic is unencrypted."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        try:
            self.transport_encryption = "auto"
        except Exception:  # pyzmq without libsodium: plain loopback TCP, as before
            pass


class _SavedAtEnds(NotebookExecutionManager):
    """papermill's record of a run, saved when the run starts, while a cell runs long (autosave) and
    when it ends, also in a timeout or a dead kernel (the engine ends it in a finally), but not
    before and after every cell: each save writes the whole notebook, charts and all, and a monthly
    has 25 cells."""

    _hold = False

    def save(self, **kwargs):
        if not self._hold:
            super().save(**kwargs)

    def _unsaved(step):
        def run(self, *args, **kwargs):
            self._hold = True
            try:
                return step(self, *args, **kwargs)
            finally:
                self._hold = False
        return run

    cell_start = _unsaved(NotebookExecutionManager.cell_start)
    cell_complete = _unsaved(NotebookExecutionManager.cell_complete)


class _Engine(NBClientEngine):
    """papermill's nbclient engine (Engine.execute_notebook as it is) with :class:`_SavedAtEnds`."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                         autosave_cell_every=30, **kwargs):
        nb_man = _SavedAtEnds(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                              autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb


ENGINE = "storeops"
papermill_engines.register(ENGINE, _Engine)


def check_kernel(name: str = KERNEL) -> None:
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise ReportError(
            f"Jupyter kernel {name!r} is not installed: run `make demo` once, or "
            f"`python -m ipykernel install --sys-prefix --name {name}`"
        ) from None


def _logging_to(log: IO[bytes]) -> type[EncryptedKernelManager]:
    class Manager(EncryptedKernelManager):
        """The kernel's own stdout and stderr (an interrupted cell's traceback, a library's start-up
        noise) go to a log file, not into the cron mail."""

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stdout"] = kw["stderr"] = log
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return Manager


def execute(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path, log: Path,
            kernel: str = KERNEL, timeout: int = TIMEOUT_S) -> None:
    """Run ``notebook`` into ``output``; the executed notebook is kept even when a cell fails; what the
    kernel process itself printed goes to ``log``.

    Raises :class:`ReportError` naming the failing cell and its error.
    """
    check_kernel(kernel)
    log.parent.mkdir(parents=True, exist_ok=True)
    # nbclient's own lines ("Kernel died while waiting for execute reply.") go there too: the
    # ReportError below says it in one line
    client_log = logging.getLogger("papermill")  # nbclient logs through it
    handler = logging.FileHandler(log, encoding="utf-8")
    was = client_log.propagate
    client_log.addHandler(handler)
    client_log.propagate = False
    # papermill saves the notebook after every cell: it writes a name of its own, renamed to ``output``
    # once whole, so a full disk never leaves truncated JSON under the published name
    tmp = output.with_name(f".{output.stem}.{os.getpid()}.tmp.ipynb")  # papermill wants .ipynb
    try:
        with log.open("ab") as sink:
            _run(notebook, tmp, parameters, cwd=cwd, kernel=kernel, timeout=timeout, manager=_logging_to(sink),
                 kept=output)
    finally:
        client_log.removeHandler(handler)
        client_log.propagate = was
        handler.close()
        _keep(tmp, output)


def _keep(tmp: Path, output: Path) -> None:
    """Put the executed notebook in place if it was written whole, else leave nothing."""
    try:
        nbformat.read(tmp, as_version=4)
    except Exception:  # noqa: BLE001 — missing or cut short: there is nothing to keep
        tmp.unlink(missing_ok=True)
        return
    tmp.replace(output)


def _where(output: Path, index: int) -> str:
    """The failing cell as a person opening the kept notebook finds it: the section it is in (the
    analysts' note above it, ``*For analysts — 概述 · In short:*``, or a markdown heading) and
    ``In [n]``, its execution count. papermill's index counts cells before
    the marker cells it adds to a failed notebook, so the cell is found by its error output."""
    try:
        nb = nbformat.read(output, as_version=4)
    except Exception:  # noqa: BLE001 — unreadable: papermill's index is all there is
        return f"cell {index}"
    heading = None
    for c in nb.cells:
        if c.cell_type == "markdown":
            found = re.findall(r"^#+\s*(.+?)\s*$|^\*For analysts — (.+?)[:.]\*", c.source, re.M)
            found = [h or note for h, note in found]
            heading = found[-1] if found else heading
        elif any(o.get("output_type") == "error" for o in c.get("outputs", [])):
            cell = f"cell In [{c.execution_count}]" if c.execution_count else f"cell {index}"
            return f"{cell} (section “{heading}”)" if heading else cell
    return f"cell {index}"


def _run(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path, kernel: str, timeout: int,
         manager: type, kept: Path) -> None:
    """``output``: where papermill writes; ``kept``: the name the executed notebook is kept under."""
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=kernel,
            execution_timeout=timeout, cwd=str(cwd), progress_bar=False, log_output=False,
            kernel_manager_class=manager, engine_name=ENGINE,
        )
    except PapermillExecutionError as e:
        first_line = (e.source or "").strip().splitlines()[0] if (e.source or "").strip() else ""
        evalue = str(e.evalue).strip().splitlines()[0] if str(e.evalue).strip() else ""
        raise ReportError(
            f"{notebook.name} failed in {_where(output, e.cell_index)} of the executed notebook ({first_line}): "
            f"{e.ename}: {evalue}; executed notebook kept at {kept}",
            notebook=str(kept), cell_index=e.cell_index, ename=e.ename, evalue=evalue,
        ) from None
    except Exception as e:  # kernel died, timeout, unreadable notebook …
        if isinstance(e, OSError) and e.errno is not None:  # not a cell's timeout (a TimeoutError, no errno)
            raise ReportError(f"could not write the executed notebook {kept}: {e.strerror or e}; nothing "
                              f"published, nothing kept") from None  # papermill could not save: a full disk …
        name = type(e).__name__
        if name == "CellTimeoutError":
            why = f"a cell ran past the time budget of {timeout} s (reports.timeout_s in store.yaml)"
        elif name == "DeadKernelError":
            why = "its kernel died (killed, or out of memory)"
        else:
            why = f"{name}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
        where = f"executed notebook kept at {kept}" if output.is_file() else "no executed notebook"
        raise ReportError(f"{notebook.name} did not run: {why}; {where}",
                          notebook=str(kept) if output.is_file() else None) from None
