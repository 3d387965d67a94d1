"""The course's pytest plugin for nbval: its kernels run as `python -m secondment execute` runs
them, so the outputs that command stores are the outputs nbval expects.

pyproject.toml loads it (`-p nbval_course`, with `tools/` on pytest's `pythonpath`), so a bare
`pytest notebooks/NB.ipynb` gets it too, from any working directory. It is maintainer tooling:
the student environment has neither pytest nor nbval.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from secondment.execute import KERNEL_ENV

#: Seconds nbval waits for each output message of a cell (nbval's own value is 5).
NBVAL_OUTPUT_TIMEOUT = 30

#: The nbval release the patches below were written against; tests/test_plumbing.py checks
#: that each patched internal still has the shape (and the behaviour) they replace.
NBVAL_CHECKED = "0.11.0"


def configure_nbval() -> None:
    """Make nbval run cells the way `execute_notebook` stores them. Safe to call twice.

    Three patches of nbval's internals, each still needed with nbval 0.11.0:

    1. `nbval.kernel.start_new_kernel`: nbval starts kernels with this process's environment;
       the course's kernels need `KERNEL_ENV` (cell names in tracebacks, hash seed, backend),
       and setting it here instead would change this process's own matplotlib backend.
    2. `RunningKernel.execute_cell_input`: nbval sends `store_history=False`, so IPython never
       applies a trailing `;` and a hidden result shows under nbval but not in JupyterLab.
    3. `IPyNbCell.__init__` sets a fixed 5 s wait per output message; a loaded 2-core machine
       needs longer, and nbval has no option for it.
    """
    import nbval.kernel
    import nbval.plugin

    if getattr(nbval.kernel, "_secondment_configured", False):
        return
    start_new_kernel = nbval.kernel.start_new_kernel

    def start_with_course_env(*args: Any, **kwargs: Any) -> Any:
        kwargs["env"] = {**os.environ, **KERNEL_ENV}
        return start_new_kernel(*args, **kwargs)

    def execute_cell_input(self: Any, cell_input: str, allow_stdin: bool | None = None) -> str:
        return self.kc.execute(
            cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False
        )

    cell_init = nbval.plugin.IPyNbCell.__init__

    def init_with_patience(self: Any, *args: Any, **kwargs: Any) -> None:
        cell_init(self, *args, **kwargs)
        self.output_timeout = NBVAL_OUTPUT_TIMEOUT

    nbval.kernel.start_new_kernel = start_with_course_env
    nbval.kernel.RunningKernel.execute_cell_input = execute_cell_input
    nbval.plugin.IPyNbCell.__init__ = init_with_patience
    nbval.kernel._secondment_configured = True


def pytest_configure(config: Any) -> None:
    """pytest hook: set nbval up, and find the sanitize file from any working directory."""
    option = config.option
    if not (getattr(option, "nbval", False) or getattr(option, "nbval_lax", False)):
        return
    configure_nbval()
    sanitize = getattr(option, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).is_absolute() and not Path(sanitize).exists():
        option.nbval_sanitize_with = str(Path(config.rootpath) / sanitize)
