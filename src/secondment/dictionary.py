"""jieba, the Chinese word segmenter, loaded quietly, with its dictionary's word classes."""

from __future__ import annotations

import functools
import logging
import marshal
import os
import re
import tempfile
import warnings
from pathlib import Path
from types import ModuleType

__all__ = ["cache_dir", "leading_word", "load_jieba", "word_tags"]


def cache_dir() -> Path:
    """The per-user folder where jieba keeps its dictionary cache (created if missing)."""
    # jieba's default is one `jieba.cache` file in the shared temp dir: on a JupyterHub
    # machine the first user would own it, and everyone else's save fails with a logged
    # traceback. A folder per user avoids that; the temp dir is the fallback for a home
    # folder that cannot be written (some CI containers).
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    candidates = [Path(tempfile.gettempdir()) / f"secondment-{user}"]
    try:
        home_cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        candidates.insert(0, Path(home_cache) / "secondment")
    except RuntimeError:  # no home folder at all
        pass
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return Path(tempfile.mkdtemp(prefix="secondment-"))


def load_jieba() -> ModuleType:
    """Import jieba quietly, on first use rather than when this module is imported."""
    with warnings.catch_warnings():
        # jieba 0.42.1's source has invalid escape sequences (`"\s"`) that warn when its
        # bytecode is first compiled; they are harmless and would land on stderr.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        # Where setuptools is installed (Binder's base has it), jieba reads its dictionary
        # through pkg_resources, whose import warns that it is deprecated.
        warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
        import jieba
    # Without this, every dictionary load logs "Building prefix dict…" lines to stderr.
    jieba.setLogLevel(logging.WARNING)
    return jieba


@functools.cache
def word_tags() -> dict[str, str]:
    """jieba's dictionary as word → part-of-speech tag, for words of two to four characters."""
    jieba = load_jieba()
    # Reading the tags from jieba's dictionary takes about half a second (jieba.posseg takes
    # longer); a marshal copy in the course's cache folder loads in a few milliseconds.
    cache = cache_dir() / f"word-tags-{jieba.__version__}.marshal"
    try:
        return marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    with jieba.dt.get_dict_file() as f:
        lines = f.read().decode("utf-8")
    tags = dict(re.findall(r"^(\S{2,4}) \d+ (\S+)$", lines, re.M))
    try:
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(tags))
        os.replace(partial, cache)  # whole or not at all, if two processes race
    except OSError:
        pass  # a read-only cache folder only costs the half second again
    return tags


def leading_word(text: str) -> tuple[str, str]:
    """The longest dictionary word (2 to 4 characters) that text starts with, and its tag."""
    return _leading_word(text[:4])


@functools.lru_cache(maxsize=65536)
def _leading_word(text: str) -> tuple[str, str]:
    tags = word_tags()
    for size in (4, 3, 2):
        word = text[:size]
        if len(word) == size and word in tags:
            return word, tags[word]
    return "", ""
