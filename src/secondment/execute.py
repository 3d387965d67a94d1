"""Re-execute notebooks in place, reproducibly, the way the tests will run them.

`python -m secondment execute [PATHS...]` calls `execute_notebook` on each. Each runs from a fresh
`python3` kernel of the current environment, in the notebook's own folder, with the environment
variables of `KERNEL_ENV`. The file is rewritten atomically, with execution counts 1..N, no
timing metadata, and the cell ids it already had.

Like JupyterLab, the client tells the kernel the id of each cell it runs (`cellId` in the
execute_request's metadata), so that a self-check knows which answer cell ran.

The tests check those stored outputs with nbval, set up by the maintainers' pytest plugin
`tools/nbval_course.py` so that its kernels run exactly as these do.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from secondment.errors import ExecuteError
from secondment.files import write_atomically

__all__ = [
    "ExecuteError",
    "course_client",
    "KERNEL_ENV",
    "KERNEL_NAME",
    "KERNELSPEC",
    "execute_notebook",
]

#: Environment variables of every kernel that stores outputs or checks them (`configure_nbval`).
KERNEL_ENV: dict[str, str] = {
    # Tracebacks and warnings name `<cell>`, not `/tmp/ipykernel_<pid>/<hash>.py`.
    "IPYKERNEL_CELL_NAME": "<cell>",
    # Stable order when a set of strings is printed.
    "PYTHONHASHSEED": "0",
    # Inline figures even where a user or CI sets another default backend.
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    # Keeps debugpy's "frozen modules" notice (Python 3.11+) off the terminal.
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}

KERNEL_NAME = "python3"

#: The kernelspec stored in every course notebook.
KERNELSPEC: dict[str, str] = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": KERNEL_NAME,
}


class _CurrentEnvSpecs(KernelSpecManager):
    """`python3` is always this interpreter's ipykernel, never a user-wide kernelspec."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == KERNEL_NAME:
            import ipykernel.kernelspec

            return self.kernel_spec_class(
                resource_dir=ipykernel.kernelspec.RESOURCES,
                **ipykernel.kernelspec.get_kernel_dict(),
            )
        return super().get_kernel_spec(kernel_name)


class _KernelManager(AsyncKernelManager):
    """A kernel of the current environment over an encrypted channel.

    Encryption keeps ipykernel from printing "Kernel is running over TCP without encryption"
    on the terminal at every start.
    """

    def __init__(self, **kwargs: Any) -> None:
        import zmq

        kwargs.setdefault("kernel_spec_manager", _CurrentEnvSpecs())
        kwargs.setdefault("transport_encryption", "auto" if zmq.has("curve") else "disabled")
        super().__init__(**kwargs)


def _stable_ids(raw: dict[str, Any], nb: nbformat.NotebookNode) -> None:
    """Keep the ids a notebook had; give cells that had none an id derived from their content."""
    raw_cells = raw.get("cells", [])
    for index, cell in enumerate(nb.cells):
        had_id = index < len(raw_cells) and "id" in raw_cells[index]
        if not had_id:
            digest = hashlib.sha1(f"{index}\0{cell.source}".encode()).hexdigest()
            cell["id"] = digest[:12]


def _tidy(nb: nbformat.NotebookNode) -> None:
    """Drop what would make two runs differ: timing metadata, a foreign kernelspec."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and not cell.source.strip():
            cell.execution_count = None
            cell.outputs = []


def _write_atomically(nb: nbformat.NotebookNode, path: Path) -> None:
    text = nbformat.writes(nb, version=4)
    if not text.endswith("\n"):
        text += "\n"
    write_atomically(path, text.encode("utf-8"))


def _failed_cell(nb: nbformat.NotebookNode, error: bool = True) -> str:
    """Where an execution stopped: the first untagged cell holding an error (with the error),
    else the last cell that ran."""
    last = "a cell"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is not None or cell.outputs:
            last = f"cell {index} (id {cell.get('id', '?')})"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors and "raises-exception" not in cell.metadata.get("tags", []):
            return f"{last} raised {errors[0].ename}: {errors[0].evalue}" if error else last
    return last


def _read(path: Path) -> tuple[dict[str, Any], nbformat.NotebookNode]:
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
        nb = nbformat.reads(text, as_version=4)
    except FileNotFoundError:
        raise ExecuteError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ExecuteError(f"{path}: not a readable notebook ({exc})") from None
    return raw, nb


class _CourseClient(NotebookClient):
    """nbclient's client, sending each cell's id with its execute_request as JupyterLab does
    (nbclient sends none); the kernel hands it to IPython as `ExecutionInfo.cell_id`."""

    _cell_id: str | None = None

    async def async_start_new_kernel_client(self) -> Any:
        kc = await super().async_start_new_kernel_client()
        execute = kc.execute

        def execute_with_cell_id(
            code: str,
            silent: bool = False,
            store_history: bool = True,
            user_expressions: dict[str, Any] | None = None,
            allow_stdin: bool | None = None,
            stop_on_error: bool = True,
        ) -> str:
            if self._cell_id is None:
                return execute(
                    code, silent, store_history, user_expressions, allow_stdin, stop_on_error
                )
            # The content of jupyter_client's `KernelClient.execute`, with metadata added.
            content = {
                "code": code,
                "silent": silent,
                "store_history": store_history,
                "user_expressions": user_expressions or {},
                "allow_stdin": kc.allow_stdin if allow_stdin is None else allow_stdin,
                "stop_on_error": stop_on_error,
            }
            msg = kc.session.msg("execute_request", content, metadata={"cellId": self._cell_id})
            kc.shell_channel.send(msg)
            return str(msg["header"]["msg_id"])

        kc.execute = execute_with_cell_id  # type: ignore[method-assign]
        return kc

    async def async_execute_cell(
        self,
        cell: nbformat.NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> nbformat.NotebookNode:
        self._cell_id = cell.get("id")
        try:
            return await super().async_execute_cell(
                cell, cell_index, execution_count, store_history
            )
        finally:
            self._cell_id = None


def course_client(
    nb: nbformat.NotebookNode, cwd: Path, timeout: int, **options: Any
) -> NotebookClient:
    """A notebook client with the course's kernel: this environment's python3, no timing, and
    each cell's id sent to the kernel with the cell."""
    return _CourseClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        kernel_manager_class=_KernelManager,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
        **options,
    )


def execute_notebook(path: Path, timeout: int = 120) -> float:
    """Re-execute one notebook in place and return the seconds it took.

    A fresh kernel runs every code cell in order, in the notebook's folder. A cell tagged
    `raises-exception` may raise; any other error, a cell running longer than `timeout` seconds
    or a dying kernel raises `ExecuteError` and leaves the file untouched.
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path).resolve()
    start = time.perf_counter()
    raw, nb = _read(path)
    _stable_ids(raw, nb)
    _tidy(nb)
    client = course_client(
        nb,
        path.parent,
        timeout,
        # One print may arrive as several stream messages; merged, the stored file is the same
        # on every run.
        coalesce_streams=True,
        allow_errors=False,
    )
    try:
        client.execute(env={**os.environ, **KERNEL_ENV})
    except CellTimeoutError:
        where = _failed_cell(nb, error=False)
        raise ExecuteError(f"{path}: {where} ran over {timeout} s") from None
    except DeadKernelError:
        where = _failed_cell(nb, error=False)
        raise ExecuteError(f"{path}: the kernel died in {where}") from None
    except CellExecutionError as exc:
        raise ExecuteError(f"{path}: {_failed_cell(nb)}") from exc
    _tidy(nb)
    nbformat.validate(nb)
    _write_atomically(nb, path)
    return time.perf_counter() - start
