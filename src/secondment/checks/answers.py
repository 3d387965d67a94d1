"""Answers as data: `describe` turns an answer into JSON in the student's kernel, `rebuild`
turns that JSON back into plain, safe objects where the answer is decided.

Nothing a submission controls is ever unpickled or evaluated: a description holds numbers,
strings, lists and tagged objects (`{"$": "tuple", ...}`). Richer answers are described by what
the checks read: a DataFrame by its columns, dtypes and values; a chart by its titles, labels,
ticks, bars, lines, texts and legend, with the font of each text; a compiled pattern by its pattern
and flags; a function by its results on the inputs the check will try. Anything else is
described by its type name only, so a hint can still say what it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
import signal
import threading
import time
import types
from collections.abc import Callable, Iterable
from typing import Any, cast

from secondment.checks.watch import FINDERS
from secondment.errors import AnswerTooBig, RecordedError

__all__ = [
    "NOT_DEFINED",
    "AnswerTooBig",
    "Described",
    "Recorded",
    "RecordedError",
    "SECONDS_IN_ALL",
    "SECONDS_PER_INPUT",
    "TimeLimit",
    "bars_of",
    "describe",
    "rebuild",
]

TAG = "$"
#: Bounds on one description, so that a huge answer cannot swamp the grader.
MAX_NODES = 200_000
MAX_TEXT = 2_000_000
MAX_DEPTH = 40


class _NotDefined:
    """What a check cell passes when no cell has defined `answer` yet."""

    def __repr__(self) -> str:
        return "NOT_DEFINED"


NOT_DEFINED = _NotDefined()


class Described:
    """An answer of a type the checks do not rebuild: its type name and, for records, fields."""

    def __init__(self, fields: dict[str, Any] | None = None) -> None:
        for name, value in (fields or {}).items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


_KINDS: dict[str, type] = {}


def _described_type(name: str) -> type:
    """A class named like the student's type, so that hints can say "it is a BarContainer"."""
    name = re.sub(r"\W", "_", str(name))[:60] or "object"
    if name not in _KINDS:
        _KINDS[name] = type(name, (Described,), {})
    return _KINDS[name]


class Recorded:
    """A function answer, rebuilt as the results it gave in the kernel on the check's inputs."""

    def __init__(
        self,
        name: str,
        results: list[tuple[Any, Any]],
        names: list[str],
        stopped: TimeLimit | None = None,
        called: list[str] | None = None,
        unwatched: str = "",
    ) -> None:
        self.__name__ = name
        self.results = results
        self.names = names  # the names its code uses, and the finders it reaches (a library call)
        self.stopped = stopped  # the time limit it ran over in the kernel, if it did
        self.called = called or []  # the library's finders it called while it ran
        self.unwatched = unwatched  # what hid its calls from the watch, "" when nothing did

    def __call__(self, *args: Any) -> Any:
        for probe, (kind, value) in self.results:
            if probe == list(args):
                if kind == "raised":
                    raise RecordedError(value)
                return value
        raise LookupError("the check asked for an input that was not tried in the kernel")

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


@dataclasses.dataclass(frozen=True)
class TimeLimit:
    """The time limit a function answer ran over: on one input, or on all the inputs together."""

    seconds: float
    all_inputs: bool
    inputs: int  # how many inputs the check tries


#: Seconds a student's function may run on one input of a check, and on all of them together:
#: a function that sleeps or loops forever is stopped, and the verdict says so.
SECONDS_PER_INPUT = 2.0
SECONDS_IN_ALL = 10.0


class _TooSlow(BaseException):
    """Raised inside a student's function that ran over its time; a BaseException, so that the
    function's own `except Exception` does not swallow it."""


def _call_within(seconds: float, func: Callable[[], Any]) -> Any:
    """func(), stopped with `_TooSlow` after `seconds`.

    In the main thread of a POSIX process (a kernel, a test) a timer signal interrupts the call
    wherever it is; elsewhere the call runs in a thread of its own, left behind if it is slow.
    """
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

        def stop(signum: int, frame: Any) -> None:
            raise _TooSlow

        previous = signal.signal(signal.SIGALRM, stop)
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                return func()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = func()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _TooSlow
    if "error" in box:
        raise box["error"]
    return box["value"]


# ---------------------------------------------------------------- describing (in the kernel)


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0
        self.text = 0

    def spend(self, nodes: int = 1, text: int = 0) -> None:
        self.nodes += nodes
        self.text += text
        if self.nodes > MAX_NODES or self.text > MAX_TEXT:
            raise AnswerTooBig("the answer is too big to check")


def describe(value: Any, probes: Iterable[tuple[Any, ...]] = ()) -> Any:
    """The JSON-able description of an answer (functions are called on `probes`)."""
    return _describe(value, _Budget(), 0, tuple(probes))


def _float(x: float) -> Any:
    return x if math.isfinite(x) else {TAG: "float", "repr": repr(x)}


def _text(value: str, budget: _Budget) -> str:
    budget.spend(text=len(value))
    return str.__str__(value)  # a plain str, even for a subclass


def _describe(value: Any, budget: _Budget, depth: int, probes: tuple) -> Any:
    budget.spend()
    if depth > MAX_DEPTH:
        raise AnswerTooBig("the answer is nested too deeply to check")
    d = depth + 1

    def sub(v: Any) -> Any:
        return _describe(v, budget, d, probes)

    if value is None or type(value) is bool:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return (
            int.__int__(value)
            if abs(value).bit_length() < 63
            else {TAG: "int", "repr": str(int.__int__(value))}
        )
    if isinstance(value, float):
        return _float(float.__float__(value))
    if isinstance(value, str):
        return _text(value, budget)
    if value is ...:
        return {TAG: "ellipsis"}
    if isinstance(value, (bytes, bytearray)):
        budget.spend(text=2 * len(value))
        return {
            TAG: type(value).__name__ if type(value) in (bytes, bytearray) else "bytes",
            "hex": bytes(value).hex(),
        }
    if isinstance(value, dt.datetime):
        return {TAG: "datetime", "iso": value.isoformat()}
    if isinstance(value, dt.date):
        return {TAG: "date", "iso": value.isoformat()}
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            return {TAG: "pattern", "pattern": _text(value.pattern, budget), "flags": value.flags}
        return _opaque(value)
    if isinstance(value, re.Match):
        return {TAG: "object", "type": "Match", "fields": {}}
    # Library types first: a BarContainer is a tuple, but the checks want to name it.
    module = type(value).__module__.split(".")[0]
    if module == "numpy":
        return _describe_numpy(value, sub)
    if module == "pandas":
        return _describe_pandas(value, sub, budget)
    if module == "matplotlib":
        return _describe_matplotlib(value, sub)
    if isinstance(value, list):
        return [sub(v) for v in value]
    if isinstance(value, tuple):
        return {TAG: "tuple", "items": [sub(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {
            TAG: type(value).__name__ if type(value) in (set, frozenset) else "set",
            "items": [sub(v) for v in value],
        }
    if isinstance(value, dict):
        return {TAG: "dict", "items": [[sub(k), sub(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: sub(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TAG: "object", "type": type(value).__name__, "fields": fields}
    if callable(value) and probes and not isinstance(value, type):
        return _describe_function(value, probes, sub)
    return _opaque(value)


def _opaque(value: Any) -> dict[str, Any]:
    return {TAG: "object", "type": type(value).__name__, "fields": {}}


def _describe_function(func: Callable, probes: tuple, sub: Callable) -> dict[str, Any]:
    """The function's results on the probes, each call within its time; every exception but
    KeyboardInterrupt (SystemExit too) is one of its results. Each call (and the reading of
    what it returns) is watched for calls into the library's finders (`watch`)."""
    from secondment.checks.watch import FinderWatch

    results = []
    stopped: dict[str, Any] | None = None
    watch = FinderWatch()
    start = time.monotonic()
    for args in probes:
        left = SECONDS_IN_ALL - (time.monotonic() - start)
        seconds = min(SECONDS_PER_INPUT, left)
        if seconds <= 0:
            stopped = {"seconds": SECONDS_IN_ALL, "all_inputs": True}
            break
        try:
            # The result is described inside the time too: a returned object may be slow to read.
            value = _call_within(
                seconds, functools.partial(_described_call, func, args, sub, watch)
            )
            results.append([sub(list(args)), ["returned", value]])
        except _TooSlow:
            all_inputs = seconds < SECONDS_PER_INPUT
            stopped = {
                "seconds": SECONDS_IN_ALL if all_inputs else SECONDS_PER_INPUT,
                "all_inputs": all_inputs,
            }
            break
        except (AnswerTooBig, KeyboardInterrupt):
            raise
        except BaseException as exc:  # the function's own error is part of its results
            message = str(exc).splitlines()[0][:200] if str(exc) else ""
            results.append([sub(list(args)), ["raised", f"{type(exc).__name__}: {message}"]])
    described: dict[str, Any] = {
        TAG: "function",
        "name": str(getattr(func, "__name__", "function"))[:100],
        "results": results,
        "names": _names_first_finders(_code_names(func)),
        "called": sorted(watch.called),
        "unwatched": watch.unwatched,
    }
    if stopped is not None:
        described["stopped"] = {**stopped, "inputs": len(probes)}
    return described


def _described_call(func: Callable, args: tuple, sub: Callable, watch: Any) -> Any:
    with watch:  # set in the thread that runs the function
        return sub(func(*args))


def _names_first_finders(names: set[str]) -> list[str]:
    """The names, the library's finders first, so that the bound never drops them."""
    return sorted(names & set(FINDERS)) + sorted(names - set(FINDERS))[:500]


def _code_names(func: Any, depth: int = 0, seen: set | None = None) -> set[str]:
    """Global and attribute names a function's code uses, and those of the helpers it calls.

    A name bound to one of the library's finders counts as the finder's own name too, wherever
    the function reaches it: a global under another name (`fc = find_cadres`), an attribute of
    a module alias (`x.find_cadres`), a closure cell or a default argument.
    """
    seen = seen if seen is not None else set()
    if id(func) in seen or depth > 3:
        return set()
    seen.add(id(func))
    finder = _finder_name(func)
    if finder:
        return {finder}
    code = getattr(func, "__code__", None)
    if code is None:  # a partial or a callable object: what it wraps, or its __call__
        names: set[str] = set()
        call = vars(type(func)).get("__call__")  # a class of the student's own, with its code
        for inner in [*_wrapped(func), *([call] if hasattr(call, "__code__") else [])]:
            names |= _code_names(inner, depth + 1, seen)
        return names
    names = set()
    stack = [code]
    while stack:
        c = stack.pop()
        names.update(str(n) for n in c.co_names)
        stack.extend(k for k in c.co_consts if hasattr(k, "co_names"))
    module_globals = getattr(func, "__globals__", None)
    module_globals = module_globals if isinstance(module_globals, dict) else {}
    reached = [module_globals[n] for n in sorted(names) if n in module_globals]
    for cell in getattr(func, "__closure__", None) or ():
        try:
            reached.append(cell.cell_contents)
        except ValueError:  # a cell not filled yet
            pass
    reached.extend(getattr(func, "__defaults__", None) or ())
    kwdefaults = getattr(func, "__kwdefaults__", None)
    reached.extend(kwdefaults.values() if isinstance(kwdefaults, dict) else ())
    reached.extend(_wrapped(func))
    found: set[str] = set()
    for value in reached:
        found |= _finders_in(value, names)
        if callable(value) and getattr(value, "__module__", None) == func.__module__:
            found |= _code_names(value, depth + 1, seen)
    return names | found


def _is_library(module: Any) -> bool:
    return isinstance(module, str) and (module == "secondment" or module.startswith("secondment."))


def _finder_name(value: Any) -> str | None:
    """The name of the library finder this object is (or wraps), else None."""
    for _ in range(4):  # a partial of a wrapper of a finder, at most
        name = getattr(value, "__name__", None)
        if name in FINDERS and _is_library(getattr(value, "__module__", None)):
            return str(name)
        inner = _wrapped(value)
        if not inner:
            return None
        value = inner[0]
    return None


def _wrapped(value: Any) -> list[Any]:
    """What a partial, a bound method or a decorated function wraps."""
    for attribute in ("func", "__func__", "__wrapped__"):
        try:
            inner = getattr(value, attribute, None)
        except Exception:  # an odd object's attribute must not stop the description
            continue
        if callable(inner):
            return [inner]
    return []


def _finders_in(value: Any, names: set[str], depth: int = 0) -> set[str]:
    """The finders a value reached by a function is: itself, in a small container, or the
    attributes named in the code of a library module (`import secondment.extract as x`)."""
    finder = _finder_name(value)
    if finder:
        return {finder}
    found: set[str] = set()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)) and depth < 2:
        for item in list(value)[:100]:
            found |= _finders_in(item, names, depth + 1)
    if isinstance(value, types.ModuleType) and _is_library(value.__name__) and depth < 2:
        for name in names:
            found |= _finders_in(getattr(value, name, None), names, depth + 1)
    return found


def _describe_numpy(value: Any, sub: Callable) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return sub(value.item())
    if isinstance(value, np.ndarray):
        return {TAG: "array", "dtype": str(value.dtype), "items": sub(value.tolist())}
    return _opaque(value)


def _describe_pandas(value: Any, sub: Callable, budget: _Budget) -> Any:
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        budget.spend(nodes=value.size)
        return {
            TAG: "frame",
            "columns": [sub(c) for c in value.columns],
            "dtypes": [str(t) for t in value.dtypes],
            "data": [sub(value.iloc[:, i].tolist()) for i in range(value.shape[1])],
            "index": sub(value.index.tolist()),
            "index_name": sub(value.index.name),
        }
    if isinstance(value, pd.Series):
        budget.spend(nodes=value.size)
        return {
            TAG: "series",
            "name": sub(value.name),
            "dtype": str(value.dtype),
            "values": sub(value.tolist()),
            "index": sub(value.index.tolist()),
            "index_name": sub(value.index.name),
        }
    if isinstance(value, pd.Timestamp):
        return {TAG: "datetime", "iso": value.isoformat()} if value is not pd.NaT else None
    if value is pd.NA or value is pd.NaT:
        return None
    return _opaque(value)


def _font(text: Any) -> dict[str, Any]:
    props = text.get_fontproperties()
    return {
        "family": [str(f) for f in props.get_family()],
        "style": props.get_style(),
        "weight": props.get_weight(),
        "stretch": props.get_stretch(),
        "variant": props.get_variant(),
        "size": float(props.get_size()),
    }


def _text_record(text: Any) -> dict[str, Any]:
    x, y = text.get_position()
    return {"text": str(text.get_text()), "font": _font(text), "position": [_num(x), _num(y)]}


def _num(x: Any) -> Any:
    try:
        return _float(float(x))
    except (TypeError, ValueError):
        return 0.0


def _colour(c: Any) -> str:
    from matplotlib import colors

    return colors.to_hex(c, keep_alpha=True)


def bars_of(ax: Any) -> list[Any]:
    """The bars (rectangles) drawn on an Axes, in the order they were drawn."""
    from matplotlib.patches import Rectangle

    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _describe_axes(ax: Any, sub: Callable) -> dict[str, Any]:
    def ticks(axis: Any) -> list[list[Any]]:
        labels = axis.get_ticklabels()
        return [
            [_num(loc), _text_record(t)]
            for loc, t in zip(axis.get_ticklocs(), labels, strict=False)
        ]

    return {
        TAG: "axes",
        "title": _text_record(ax.title),
        "xlabel": _text_record(ax.xaxis.label),
        "ylabel": _text_record(ax.yaxis.label),
        "xlim": [_num(v) for v in ax.get_xlim()],
        "ylim": [_num(v) for v in ax.get_ylim()],
        "xticks": ticks(ax.xaxis),
        "yticks": ticks(ax.yaxis),
        "bars": [
            [
                _num(p.get_x()),
                _num(p.get_y()),
                _num(p.get_width()),
                _num(p.get_height()),
                _colour(p.get_facecolor()),
            ]
            for p in bars_of(ax)
        ],
        "texts": [_text_record(t) for t in ax.texts],
        "lines": [
            [
                [_num(v) for v in line.get_xdata()],
                [_num(v) for v in line.get_ydata()],
                _colour(line.get_color()),
            ]
            for line in ax.lines
        ],
        "points": [[[_num(x), _num(y)] for x, y in c.get_offsets()] for c in ax.collections],
        "legend": _legend_record(ax),
    }


def _legend_record(ax: Any) -> list[list[str]]:
    """[text, colour] of each legend entry: which colour stands for what."""
    legend = ax.get_legend()
    if legend is None:
        return []
    entries = []
    for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=False):
        entries.append([str(text.get_text())[:200], _handle_colour(handle)])
    return entries[:20]  # a legend, not a data dump


def _handle_colour(handle: Any) -> str:
    # A bar's handle has one face colour, a line one colour, a scatter's an array of them.
    get = getattr(handle, "get_facecolor", None) or getattr(handle, "get_color", None)
    try:
        colour = get() if get else "#000000"
        if getattr(colour, "ndim", 1) == 2:
            colour = colour[0] if len(colour) else "#000000"
        return _colour(colour)
    except (TypeError, ValueError):
        return "#000000"


def _describe_matplotlib(value: Any, sub: Callable) -> Any:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(value, Axes):
        return _describe_axes(value, sub)
    if isinstance(value, Figure):
        return {TAG: "figure", "axes": [_describe_axes(a, sub) for a in value.axes]}
    return _opaque(value)


# ---------------------------------------------------------------- rebuilding (where it is decided)


def rebuild(data: Any) -> Any:
    """Plain objects from a description; anything malformed raises ValueError."""
    return _Rebuilder().value(data, 0)


class _Rebuilder:
    def __init__(self) -> None:
        self.figure: Any = None

    def value(self, data: Any, depth: int) -> Any:
        if depth > MAX_DEPTH + 5:
            raise ValueError("nested too deeply")
        d = depth + 1
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):
            return [self.value(v, d) for v in data]
        if not isinstance(data, dict) or not isinstance(data.get(TAG), str):
            raise ValueError("not an answer description")
        tag = data[TAG]
        method = getattr(self, "tag_" + re.sub(r"\W", "_", tag), None)
        if method is None:
            raise ValueError(f"unknown kind {tag!r}")
        return method(data, d)

    def items(self, data: dict, depth: int) -> list[Any]:
        items = data.get("items")
        if not isinstance(items, list):
            raise ValueError("items missing")
        return [self.value(v, depth) for v in items]

    def tag_float(self, data: dict, depth: int) -> float:
        return float(str(data["repr"]))  # only "nan", "inf", "-inf" reach here

    def tag_int(self, data: dict, depth: int) -> int:
        return int(str(data["repr"])[:400])

    def tag_ellipsis(self, data: dict, depth: int) -> Any:
        return ...

    def tag_bytes(self, data: dict, depth: int) -> bytes:
        return bytes.fromhex(str(data["hex"]))

    def tag_bytearray(self, data: dict, depth: int) -> bytearray:
        return bytearray.fromhex(str(data["hex"]))

    def tag_date(self, data: dict, depth: int) -> dt.date:
        return dt.date.fromisoformat(str(data["iso"]))

    def tag_datetime(self, data: dict, depth: int) -> dt.datetime:
        return dt.datetime.fromisoformat(str(data["iso"]))

    def tag_pattern(self, data: dict, depth: int) -> re.Pattern[str]:
        flags = int(data.get("flags", 0))
        try:
            return re.compile(str(data["pattern"]), flags & ~re.DEBUG)
        except re.error as exc:
            raise ValueError(f"pattern does not compile: {exc}") from None

    def tag_tuple(self, data: dict, depth: int) -> tuple:
        return tuple(self.items(data, depth))

    def tag_set(self, data: dict, depth: int) -> set:
        return set(_hashable(v) for v in self.items(data, depth))

    def tag_frozenset(self, data: dict, depth: int) -> frozenset:
        return frozenset(_hashable(v) for v in self.items(data, depth))

    def tag_dict(self, data: dict, depth: int) -> dict:
        pairs = data.get("items")
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 for p in pairs
        ):
            raise ValueError("dict items malformed")
        return {_hashable(self.value(k, depth)): self.value(v, depth) for k, v in pairs}

    def tag_object(self, data: dict, depth: int) -> Described:
        fields = data.get("fields") or {}
        if not isinstance(fields, dict):
            raise ValueError("fields malformed")
        values = {
            str(k): self.value(v, depth)
            for k, v in fields.items()
            if str(k).isidentifier() and not str(k).startswith("_")
        }
        return _described_type(str(data.get("type", "object")))(values)

    def tag_function(self, data: dict, depth: int) -> Recorded:
        results = []
        for probe, (kind, value) in data.get("results", []):
            kind = "raised" if kind == "raised" else "returned"
            results.append(
                (
                    self.value(probe, depth),
                    (kind, str(value) if kind == "raised" else self.value(value, depth)),
                )
            )
        names = [str(n) for n in data.get("names", []) if isinstance(n, str)]
        stopped = data.get("stopped")
        limit = None
        if isinstance(stopped, dict):
            limit = TimeLimit(
                float(stopped.get("seconds", SECONDS_PER_INPUT)),
                bool(stopped.get("all_inputs", False)),
                int(stopped.get("inputs", len(results))),
            )
        called = [str(n) for n in data.get("called", []) if isinstance(n, str)]
        unwatched = str(data.get("unwatched", ""))[:20]
        return Recorded(str(data.get("name", "function")), results, names, limit, called, unwatched)

    def tag_array(self, data: dict, depth: int) -> Any:
        import numpy as np

        values = self.value(data.get("items"), depth)
        try:
            return np.array(values, dtype=_safe_dtype(str(data.get("dtype", "object"))))
        except (TypeError, ValueError):
            return np.array(values, dtype=object)

    def tag_frame(self, data: dict, depth: int) -> Any:
        import pandas as pd

        columns = [_hashable(self.value(c, depth)) for c in data.get("columns", [])]
        values = [self.value(col, depth) for col in data.get("data", [])]
        dtypes = [str(t) for t in data.get("dtypes", [])]
        if not (len(columns) == len(values) == len(dtypes)):
            raise ValueError("frame malformed")
        index = self._index(data, depth)
        frame = pd.DataFrame(
            {
                i: pd.Series(v, index=index, dtype=_safe_dtype(t))
                for i, (v, t) in enumerate(zip(values, dtypes, strict=True))
            },
            index=index,
        )
        frame.columns = pd.Index(columns, dtype=object) if columns else frame.columns
        if columns and all(isinstance(c, str) for c in columns):
            frame.columns = pd.Index(columns)
        return frame

    def tag_series(self, data: dict, depth: int) -> Any:
        import pandas as pd

        values = self.value(data.get("values"), depth)
        index = self._index(data, depth)
        name = self.value(data.get("name"), depth)
        return pd.Series(
            values,
            index=index,
            name=_hashable(name),
            dtype=_safe_dtype(str(data.get("dtype", "object"))),
        )

    def _index(self, data: dict, depth: int) -> Any:
        import pandas as pd

        values = [_hashable(v) for v in self.value(data.get("index", []), depth)]
        return pd.Index(values, name=_hashable(self.value(data.get("index_name"), depth)))

    def tag_figure(self, data: dict, depth: int) -> Any:
        from matplotlib.figure import Figure

        fig = Figure()
        for spec in data.get("axes", []):
            self._axes(fig, spec)
        return fig

    def tag_axes(self, data: dict, depth: int) -> Any:
        from matplotlib.figure import Figure

        return self._axes(Figure(), data)

    def _axes(self, fig: Any, data: dict) -> Any:
        from matplotlib.patches import Rectangle

        ax = fig.add_subplot()
        for x, y, w, h, colour in data.get("bars", []):
            ax.add_patch(
                Rectangle(
                    (float(x), float(y)), float(w), float(h), facecolor=_checked_colour(colour)
                )
            )
        for xs, ys, colour in data.get("lines", []):
            ax.plot([float(v) for v in xs], [float(v) for v in ys], color=_checked_colour(colour))
        for points in data.get("points", []):
            ax.scatter([float(p[0]) for p in points], [float(p[1]) for p in points])
        for record in data.get("texts", []):
            x, y = record.get("position", [0, 0])
            ax.text(
                float(x),
                float(y),
                str(record.get("text", "")),
                fontproperties=_font_properties(record),
            )
        legend = [e for e in data.get("legend", []) if isinstance(e, list) and len(e) == 2]
        if legend:
            handles = [Rectangle((0, 0), 1, 1, facecolor=_checked_colour(c)) for _, c in legend]
            ax.legend(handles, [str(text) for text, _ in legend])
        ax.set_xlim(*[float(v) for v in data.get("xlim", [0, 1])])
        ax.set_ylim(*[float(v) for v in data.get("ylim", [0, 1])])
        title = data.get("title", {})
        ax.set_title(str(title.get("text", "")), fontproperties=_font_properties(title))
        for which in ("xlabel", "ylabel"):
            record = data.get(which, {})
            getattr(ax, f"set_{which}")(
                str(record.get("text", "")), fontproperties=_font_properties(record)
            )
        for axis, key in ((ax.xaxis, "xticks"), (ax.yaxis, "yticks")):
            ticks = data.get(key, [])
            axis.set_ticks(
                [float(loc) for loc, _ in ticks], labels=[str(r.get("text", "")) for _, r in ticks]
            )
            for tick, (_, record) in zip(axis.get_major_ticks(len(ticks)), ticks, strict=False):
                tick.label1.set_fontproperties(_font_properties(record))
        return ax


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, set):
        return frozenset(value)
    return value


_DTYPE = re.compile(
    r"(?:u?int|float|complex)(?:8|16|32|64)?|bool|object|str|string|category"
    r"|boolean|Int64|Float64|datetime64\[ns\]|timedelta64\[ns\]"
)


def _safe_dtype(name: str) -> Any:
    """A dtype name the rebuild accepts; anything unusual is rebuilt as object."""
    return name if _DTYPE.fullmatch(name) else "object"


def _checked_colour(colour: Any) -> str:
    text = str(colour)
    return text if re.fullmatch(r"#[0-9a-fA-F]{6,8}", text) else "#000000"


def _font_properties(record: Any) -> Any:
    from matplotlib.font_manager import FontProperties

    font = record.get("font", {}) if isinstance(record, dict) else {}
    family = font.get("family", ["sans-serif"])
    if not isinstance(family, list) or not all(isinstance(f, str) for f in family):
        family = ["sans-serif"]
    try:
        return FontProperties(
            family=family or ["sans-serif"],
            style=cast(Any, str(font.get("style", "normal"))),
            weight=font.get("weight", "normal"),
            stretch=font.get("stretch", "normal"),
            variant=cast(Any, str(font.get("variant", "normal"))),
            size=float(font.get("size", 10.0)),
        )
    except (TypeError, ValueError):
        return FontProperties(family=family or ["sans-serif"])
