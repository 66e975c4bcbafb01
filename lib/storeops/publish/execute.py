"""Execute a report notebook with papermill: explicit kernel, execution timeout, clear failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import papermill
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
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


def check_kernel(name: str = KERNEL) -> None:
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise ReportError(
            f"Jupyter kernel {name!r} is not installed: run `make demo` once, or "
            f"`python -m ipykernel install --sys-prefix --name {name}`"
        ) from None


def execute(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path,
            kernel: str = KERNEL, timeout: int = TIMEOUT_S) -> None:
    """Run ``notebook`` into ``output``; the executed notebook is kept even when a cell fails.

    Raises :class:`ReportError` naming the failing cell and its error.
    """
    check_kernel(kernel)
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=kernel,
            execution_timeout=timeout, cwd=str(cwd), progress_bar=False, log_output=False,
            kernel_manager_class=EncryptedKernelManager,
        )
    except PapermillExecutionError as e:
        first_line = (e.source or "").strip().splitlines()[0] if (e.source or "").strip() else ""
        evalue = str(e.evalue).strip().splitlines()[0] if str(e.evalue).strip() else ""
        raise ReportError(
            f"{notebook.name} failed in cell {e.cell_index} of the executed notebook ({first_line}): {e.ename}: {evalue}; "
            f"executed notebook kept at {output}",
            notebook=str(output), cell_index=e.cell_index, ename=e.ename, evalue=evalue,
        ) from None
    except Exception as e:  # kernel died, timeout, unreadable notebook …
        msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise ReportError(f"{notebook.name} did not run: {type(e).__name__}: {msg}; "
                          f"executed notebook (if any) kept at {output}", notebook=str(output)) from None
