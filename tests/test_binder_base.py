"""Binder's base environment as tools/binder_base.py reads it from the installed repo2docker.

Offline: the conda lock ships inside jupyter-repo2docker. That the PyPI names are right (each is
the package conda installed) is checked by installing them: tests/test_binder.py.
"""

from __future__ import annotations

import binder_base
import lock
import pytest

CONDA_LOCK = """\
# platform: linux-64
@EXPLICIT
https://conda.anaconda.org/conda-forge/linux-64/openssl-3.5.4-h26f9b46_0.conda#14edad12
https://conda.anaconda.org/conda-forge/linux-64/python-3.11.14-hfe2f287_1_cpython.conda#e87c
https://conda.anaconda.org/conda-forge/noarch/nbconvert-core-7.16.6-pyh29332c3_0.conda#aa
https://conda.anaconda.org/conda-forge/noarch/typing_extensions-4.15.0-pyhcf101f3_0.conda#bb
https://conda.anaconda.org/conda-forge/noarch/typing-extensions-4.15.0-h396c80c_0.conda#cc
https://conda.anaconda.org/conda-forge/linux-64/pyzmq-27.1.0-py311h2315fbb_0.conda#dd
https://conda.anaconda.org/conda-forge/noarch/cached_property-1.5.2-pyha770c72_1.tar.bz2#ee
"""


def test_a_conda_lock_gives_its_python_packages_by_pypi_name() -> None:
    packages = binder_base.conda_packages(CONDA_LOCK)
    assert [p.name for p in packages][:2] == ["openssl", "python"]
    assert packages[1].version == "3.11.14" and packages[1].build == "hfe2f287_1_cpython"
    assert binder_base.pypi_pins(packages) == {
        "cached-property": "1.5.2",
        "nbconvert": "7.16.6",
        "pyzmq": "27.1.0",
        "typing-extensions": "4.15.0",
    }


def test_a_conda_package_that_is_neither_python_nor_listed_fails() -> None:
    text = (
        CONDA_LOCK
        + "https://conda.anaconda.org/conda-forge/linux-64/libpng-1.6.50-h421ea60_1.conda#ff\n"
    )
    with pytest.raises(binder_base.BaseEnvError, match="libpng 1.6.50 .*add it to CONDA_ONLY"):
        binder_base.pypi_pins(binder_base.conda_packages(text))


def test_the_binder_base_for_the_runtime_python() -> None:
    python = lock.runtime_python()
    base = binder_base.base_pins(python)
    packages = binder_base.conda_packages(binder_base.lock_path(python).read_text("utf-8"))
    # What mybinder.org's users get besides the course: the servers and the extensions.
    assert {"jupyterlab", "notebook", "jupyter-server", "jupyterhub", "ipywidgets", "pip"} <= set(
        base
    )
    assert {"jupyter-resource-usage", "jupyter-offlinenotebook"} <= set(base)
    # Every conda-only name is in this base (none left over from an older one); every other
    # package is a Python package of its own.
    assert binder_base.CONDA_ONLY <= {p.name for p in packages}
    assert len(base) + len(binder_base.CONDA_ONLY) == len(packages)


def test_pip_check_lines_name_the_package_whose_requirements_are_unmet() -> None:
    output = (
        "notebook 7.4.7 has requirement jupyterlab<4.5,>=4.4.9, but you have jupyterlab 4.6.6.\n"
        "Jupyter_Resource_Usage 1.2.0 requires psutil, which is not installed.\n"
        "pywinpty 3.0.0 is not supported on this platform\n"
    )
    assert binder_base.unmet(output) == ["jupyter-resource-usage", "notebook", "pywinpty"]
    assert binder_base.unmet("No broken requirements found.\n") == []
