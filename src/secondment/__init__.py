"""secondment: the library of the course on Hebei Daily's report on 100 seconded officials."""

from __future__ import annotations

from pathlib import Path

#: Reported when neither the installed package nor a source checkout says which version this is.
UNKNOWN_VERSION = "0+unknown"


def installed_version() -> str:
    """The course's version: pyproject.toml's, as installed, or as the source checkout says."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("secondment")
    except PackageNotFoundError:
        # Imported from a source checkout that was never installed (src/ on sys.path).
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            import tomllib

            with pyproject.open("rb") as f:
                return str(tomllib.load(f)["project"]["version"])
        except (OSError, KeyError, ValueError):
            return UNKNOWN_VERSION


def __getattr__(name: str) -> str:
    # Looked up when first asked for: importlib.metadata costs every kernel ~30 ms to import.
    if name == "__version__":
        return installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
