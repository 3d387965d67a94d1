"""Which of the library's finders a student's function calls, seen while it runs.

A function answer must not call the library's finders (`find_cadres`, `find_quantities`, …)
however it reaches them: under another name, through `getattr`, a partial, a closure or a
helper. Names in its code cannot tell all of these apart, so `FinderWatch` watches the calls
themselves while the check runs the function: a profile function (`sys.setprofile`, and
`threading.setprofile` for threads the function starts) notes each call that enters a finder's
code, or the private function that does its work. What would hide a call from the watch is
noted too: the profile function switched off or replaced (seen by a permanent audit hook,
even when done indirectly, e.g. through `map`), a thread started below `threading`, or a
process started.
"""

from __future__ import annotations

import _thread
import functools
import importlib
import inspect
import sys
import threading
from types import FrameType, TracebackType
from typing import Any

__all__ = ["FINDERS", "FinderWatch"]

#: The library's finders, and the functions of their modules that do each one's work: a call
#: to any of them is a call to the finder.
FINDER_CODE = {
    "find_cadres": ("secondment.extract.cadres", ("find_cadres", "unread_sentences", "_cadres_of")),
    "find_events": ("secondment.extract.events", ("find_events", "_events_of")),
    "find_quantities": ("secondment.extract.quantities", ("find_quantities", "_quantities_of")),
    "find_ranks": ("secondment.extract.ranks", ("find_ranks",)),
}
FINDERS = tuple(FINDER_CODE)

#: Audit events that start another process, where the watch cannot follow.
PROCESS_EVENTS = frozenset(
    ("os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.exec", "os.system",
     "subprocess.Popen", "pty.spawn")
)  # fmt: skip
_THREAD_STARTS = tuple(
    f for f in (getattr(_thread, "start_new_thread", None),
                getattr(_thread, "start_joinable_thread", None)) if f is not None
)  # fmt: skip


@functools.cache
def _targets() -> tuple[dict[int, str], tuple[Any, ...]]:
    """{id of a code object: finder}, and the caches in front of some of them; the modules
    keep these objects alive, so their ids stay theirs."""
    codes: dict[int, str] = {}
    caches: list[Any] = []
    for finder, (module_name, names) in FINDER_CODE.items():
        module = importlib.import_module(module_name)
        for name in names:
            obj = getattr(module, name)
            inner = inspect.unwrap(obj)
            codes[id(inner.__code__)] = finder
            if hasattr(obj, "cache_clear"):
                caches.append(obj)
    return codes, tuple(caches)


_ACTIVE: list[FinderWatch] = []  # the watches running now (one per function being checked)
_HOOKED: list[bool] = []  # the audit hook is installed (once per process: it cannot be removed)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _ACTIVE:
        return
    if event == "sys.setprofile":
        caller = sys._getframe(1).f_code
        for watch in list(_ACTIVE):
            if caller in (_ENTER, _EXIT):
                continue  # a watch setting or restoring its own
            if caller is _BOOTSTRAP and threading.getprofile() is watch.hook:
                continue  # a thread of `threading` starting under the watch
            watch.unwatched = watch.unwatched or "profile"
    elif event in PROCESS_EVENTS:
        for watch in list(_ACTIVE):
            watch.unwatched = watch.unwatched or "process"


def _install_audit_hook() -> bool:
    if not _HOOKED:
        try:
            sys.addaudithook(_audit)
        except Exception:  # another hook refused it: the watch cannot be trusted
            return False
        _HOOKED.append(True)
    return True


class FinderWatch:
    """Watch the calls made while a function answer runs (`with watch: …`, once per input).

    `called` collects the finders entered; `unwatched` says what hid calls from the watch:
    "" (nothing), "profile" (the profile function was switched off or replaced), "thread" (a
    thread started below `threading`), "process" (a process started), or "watch" (the watch
    could not be set up).
    """

    def __init__(self) -> None:
        self.called: set[str] = set()
        self.unwatched = ""
        self.codes, self.caches = _targets()
        self.hook = self._profile  # one bound method, so that `is` can recognise it
        self._saved: list[tuple[Any, Any]] = []

    def _profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            finder = self.codes.get(id(frame.f_code))
            if finder is not None:
                self.called.add(finder)
            elif frame.f_code is _THREADING_SETPROFILE:
                self.unwatched = self.unwatched or "profile"
        elif event == "c_call":
            if arg is sys.setprofile and frame.f_code is not _EXIT:  # not its own restoring
                self.unwatched = self.unwatched or "profile"
            elif arg in _THREAD_STARTS and frame.f_code is not _THREAD_START:
                self.unwatched = self.unwatched or "thread"

    def __enter__(self) -> FinderWatch:
        if not _install_audit_hook():
            self.unwatched = self.unwatched or "watch"
        # A cached result would come back without running the finder's code: start empty.
        for cache in self.caches:
            cache.cache_clear()
        self._saved.append((sys.getprofile(), threading.getprofile()))
        _ACTIVE.append(self)
        threading.setprofile(self.hook)
        sys.setprofile(self.hook)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if sys.getprofile() is not self.hook:
            self.unwatched = self.unwatched or "profile"
        previous, previous_threads = self._saved.pop()
        sys.setprofile(previous)
        threading.setprofile(previous_threads)
        if self in _ACTIVE:
            _ACTIVE.remove(self)


_ENTER = FinderWatch.__enter__.__code__
_EXIT = FinderWatch.__exit__.__code__
_BOOTSTRAP = threading.Thread._bootstrap_inner.__code__  # type: ignore[attr-defined]
_THREAD_START = threading.Thread.start.__code__
_THREADING_SETPROFILE = threading.setprofile.__code__
