"""Execute a report notebook with papermill: explicit kernel, execution timeout, clear failure."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import nbformat
import papermill
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.utils import merge_kwargs, remove_args

from storeops.errors import ReportError
from storeops.publish import kernel as _kernel

KERNEL = _kernel.NAME
TIMEOUT_S = 600  # one cell; the whole daily takes seconds


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
    """papermill's nbclient engine (Engine.execute_notebook and execute_managed_notebook as they are)
    with :class:`_SavedAtEnds`, ending the kernel when the notebook is done also when it was started
    ahead (publish.kernel)."""

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

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, **kwargs):
        kwargs = remove_args(["input_path"], **kwargs)
        timeout = execution_timeout or kwargs.get("timeout")
        kwargs = merge_kwargs(remove_args(["timeout", "startup_timeout"], **kwargs), timeout=timeout,
                              startup_timeout=start_timeout,
                              kernel_name=kernel_name, log=logging.getLogger("papermill"), log_output=log_output,
                              stdout_file=stdout_file, stderr_file=stderr_file)
        return PapermillNotebookClient(nb_man, **kwargs).execute(cleanup_kc=True)


ENGINE = "storeops"
papermill_engines.register(ENGINE, _Engine)


def execute(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path, log: Path,
            kernel: str = KERNEL, timeout: int = TIMEOUT_S, ahead: _kernel.Ahead | None = None,
            polite: bool = False) -> None:
    """Run ``notebook`` into ``output``; the executed notebook is kept even when a cell fails; what the
    kernel process itself printed goes to ``log``. ``ahead``: the kernel started for this run
    (publish.kernel, whose lines go to ``log`` when it closes); without, one is started now. The
    kernel is ended at once when the notebook is done (everything it computed has come back, and a
    polite end waits half a second on its exit), or ``polite``ly where it has more to end (Spark's JVM,
    which cleans up after itself only when asked).

    Raises :class:`ReportError` naming the failing cell and its error.
    """
    if ahead is None:
        with _kernel.Ahead(kernel, cwd, log) as ahead:
            return execute(notebook, output, parameters, cwd=cwd, log=log, kernel=kernel, timeout=timeout,
                           ahead=ahead, polite=polite)
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
        _run(notebook, tmp, parameters, cwd=cwd, kernel=kernel, timeout=timeout, km=ahead.take(), kept=output,
             end="graceful" if polite else "immediate")
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
         km, kept: Path, end: str) -> None:
    """``output``: where papermill writes; ``kept``: the name the executed notebook is kept under."""
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=kernel,
            execution_timeout=timeout, cwd=str(cwd), progress_bar=False, log_output=False,
            km=km, engine_name=ENGINE, shutdown_kernel=end,
            start_timeout=max(timeout, 60),  # the kernel loads the review's modules as it starts
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
