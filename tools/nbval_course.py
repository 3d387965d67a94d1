"""The course's pytest plugin for nbval: its kernels run as `python -m secondment execute` runs
them, so the outputs that command stores are the outputs nbval expects.

pyproject.toml loads it (`-p nbval_course`, with `tools/` on pytest's `pythonpath`), so a bare
`pytest notebooks/NB.ipynb` gets it too, from any working directory. It is maintainer tooling:
the student environment has neither pytest nor nbval.

The kernel environment comes through public interfaces: the plugin writes a kernelspec named
`secondment-course` (this interpreter's ipykernel, with `KERNEL_ENV` as the spec's `env`) into a
folder of its own on `JUPYTER_PATH`, and pyproject.toml selects it with nbval's documented
`--nbval-kernel-name`. Two behaviours of nbval have no option; they are changed below, each
with the upstream issue that asks for one.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

# upstream: https://github.com/python-jsonschema/jsonschema/issues/1428
# jsonschema (under nbformat, which nbval imports) imports rfc3987_syntax, which builds ~35 Lark
# parsers at import time (0.8 s of every pytest process here, seconds on a busy machine) for the
# "iri" format that no notebook schema uses; marked absent, jsonschema skips that one format.
# pytest loads `-p` plugins before nbval, so this runs before anything imports jsonschema.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from secondment.execute import KERNEL_ENV  # noqa: E402

#: The kernelspec pyproject.toml's `--nbval-kernel-name` selects.
KERNEL_NAME = "secondment-course"

#: Seconds nbval waits for each output message of a cell (nbval's own value is 5).
NBVAL_OUTPUT_TIMEOUT = 30

#: The nbval release the changes below were written against; tests/test_plumbing.py checks
#: that each changed internal still has the shape (and the behaviour) they replace.
NBVAL_CHECKED = "0.11.0"

_STATE: dict[str, Any] = {}


def kernelspec() -> dict[str, Any]:
    """The course's kernelspec: this interpreter's ipykernel with the course's environment."""
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (course)",
        "language": "python",
        "env": dict(KERNEL_ENV),
    }


def install_kernelspec(folder: Path) -> Path:
    """Write the kernelspec under folder/kernels/ and put folder first on JUPYTER_PATH."""
    spec_dir = folder / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(kernelspec(), indent=1), encoding="utf-8")
    paths = [str(folder), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return spec_dir


def configure_nbval() -> None:
    """Make nbval run cells the way `execute_notebook` stores them. Safe to call twice.

    Two changes of nbval's internals, each still needed with nbval 0.11.0:

    1. `RunningKernel.execute_cell_input`: nbval sends `store_history=False`, so IPython never
       applies a trailing `;` and a hidden result shows under nbval but not in JupyterLab.
    2. `IPyNbCell.__init__` sets a fixed 5 s wait per output message; a loaded 2-core machine
       needs longer, and nbval has no option for it.
    """
    import nbval.kernel
    import nbval.plugin

    if getattr(nbval.kernel, "_secondment_configured", False):
        return

    # upstream: https://github.com/computationalmodelling/nbval/issues/194
    def execute_cell_input(self: Any, cell_input: str, allow_stdin: bool | None = None) -> str:
        return self.kc.execute(
            cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False
        )

    cell_init = nbval.plugin.IPyNbCell.__init__

    # upstream: https://github.com/computationalmodelling/nbval/issues/136
    def init_with_patience(self: Any, *args: Any, **kwargs: Any) -> None:
        cell_init(self, *args, **kwargs)
        self.output_timeout = NBVAL_OUTPUT_TIMEOUT

    nbval.kernel.RunningKernel.execute_cell_input = execute_cell_input
    nbval.plugin.IPyNbCell.__init__ = init_with_patience
    nbval.kernel._secondment_configured = True


def pytest_configure(config: Any) -> None:
    """pytest hook: the course's kernelspec, nbval's two changes, and the sanitize file found
    from any working directory."""
    option = config.option
    if not (getattr(option, "nbval", False) or getattr(option, "nbval_lax", False)):
        return
    if "folder" not in _STATE:
        _STATE["folder"] = Path(tempfile.mkdtemp(prefix="secondment-kernels-"))
        install_kernelspec(_STATE["folder"])
    configure_nbval()
    sanitize = getattr(option, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).is_absolute() and not Path(sanitize).exists():
        option.nbval_sanitize_with = str(Path(config.rootpath) / sanitize)


def pytest_unconfigure(config: Any) -> None:
    """pytest hook: remove the kernelspec's folder."""
    folder = _STATE.pop("folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
