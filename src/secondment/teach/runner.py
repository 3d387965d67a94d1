"""Run one submitted notebook in its sandbox and bring its answer records back.

Only the kernel runs in the sandbox: the notebook client stays in the grader and talks to it
over Unix sockets in a folder of the grader's (the sandbox has no network). After each check
cell, and once at the end, the grader runs a cell of its own that sends the records the
checks saved back over the kernel's channel, as display data: the grader never opens a file
the kernel wrote, and the box (a tmpfs inside the sandbox, under bubblewrap) is gone with it.

A function answer is recorded again in that cell, on the grader's probes (`probes`), which
the cell brings into the kernel: once per question, right after its first check ran. That
record stands for the question: whatever the notebook does later could have seen the probes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secondment.checks.answers import SECONDS_IN_ALL
from secondment.teach import CHECK_CALL, sandbox
from secondment.teach.budget import Limits, Watchdog, box_usage
from secondment.teach.submissions import NOTEBOOK_LIMITS, Submission

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

#: Largest answer record brought back from a sandbox (a description is bounded well below).
MAX_RECORD = 8 * 1024 * 1024
RECORDS_MIME = "application/vnd.secondment.grader-records+json"
#: The error nbclient reports for a cell that ran over its time (`error_on_timeout`).
TIMEOUT_ENAME = "CellTimeoutError"
SUBDIRS = ("answers", "tmp", ".jupyter", ".ipython", ".matplotlib")

COLLECT = """\
def _secondment_grader_collect(folder, qids, cap, calls):
    import os
    from IPython.display import publish_display_data
    found, probed = {}, []
    if calls != "{}":
        try:
            from secondment.checks import graded_records
            made = dict(graded_records(calls))
        except Exception:
            made = {}
        for qid, text in made.items():
            found[qid] = None if len(text) > cap else text
            probed.append(qid)
    for qid in qids:
        if qid in found:
            continue
        path = os.path.join(folder, qid + ".json")
        try:
            big = os.path.getsize(path) > cap
            found[qid] = None if big else open(path, encoding="utf-8").read()
        except (OSError, ValueError):
            pass
    publish_display_data({%r: {"records": found, "probed": probed}})
_secondment_grader_collect(%r, %r, %d, %r)
del _secondment_grader_collect
"""


@dataclass
class Run:
    """What running one notebook gave: its status, the limit each cell hit, the records."""

    status: str = "ok"
    detail: str = ""
    limited: dict[int, str] = field(default_factory=dict)  # cell index → the limit it hit
    records: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def sandbox_env(box: str) -> dict[str, str]:
    """The kernel's environment: nothing of the grader's but the path and the locale."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TERM")}
    env.update(
        HOME=box,
        TMPDIR=f"{box}/tmp",
        SECONDMENT_ANSWERS=f"{box}/answers",
        JUPYTER_CONFIG_DIR=f"{box}/.jupyter",
        IPYTHONDIR=f"{box}/.ipython",
        MPLCONFIGDIR=f"{box}/.matplotlib",
        MPLBACKEND="Agg",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        # Fewer malloc arenas and one thread per numerical library keep a kernel's memory
        # near what it uses and its threads within the process budget.
        MALLOC_ARENA_MAX="2",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        IPYKERNEL_CELL_NAME="<cell>",
    )
    env.setdefault("PATH", os.defpath)
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def font_caches() -> list[Path]:
    """matplotlib's font lists, so that no kernel need rebuild one."""
    try:
        import matplotlib

        return sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    except Exception:
        return []


def prlimits(
    limits: Limits, mode: str, memory_mb: int | None = None, cpu: int | None = None
) -> list[str]:
    """The per-process limits every sandboxed process starts under."""
    memory = (memory_mb or limits.memory_mb) * 2**20
    cmd = ["prlimit", f"--as={memory}", f"--fsize={limits.file_mb * 2**20}", "--core=0",
           f"--cpu={cpu or limits.cpu_seconds}"]  # fmt: skip
    if os.geteuid() == 0 and mode in ("bubblewrap", "unprivileged-user"):
        # Counted per user, and each kernel is a user of its own: a budget for the sandbox.
        cmd.append(f"--nproc={limits.processes}")
    else:  # the grader's own user: what it runs now, plus the budget
        mine = sum(row[3] for row in sandbox.proc_table().values() if row[0] == os.getuid())
        cmd.append(f"--nproc={mine + limits.processes}")
    return [*cmd, "--"]


def _manager(ipc: Path, wrapper: list[str], owner: int | None) -> type[AsyncKernelManager]:
    """A kernel manager whose kernel starts under `wrapper` and talks over sockets in `ipc`
    (a Unix socket crosses into the sandbox, which has no network of its own)."""
    from secondment.execute import _KernelManager

    class Sandboxed(_KernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(ipc / "kernel")
            self.connection_file = str(ipc / "kernel.json")

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return [*wrapper, *super().format_kernel_cmd(extra_arguments)]

        def write_connection_file(self, **kwargs: Any) -> Any:
            result = super().write_connection_file(**kwargs)
            if owner is not None:  # a kernel run as another user must read its connection file
                os.chown(self.connection_file, owner, owner)
            return result

        @property
        def kernel_spec(self) -> Any:
            # Interrupt by message: a SIGINT to the process group would end the sandbox itself.
            spec = super().kernel_spec
            if spec is not None:
                spec.interrupt_mode = "message"
            return spec

    return Sandboxed


def _client_class() -> type:
    from secondment.execute import _CourseClient

    class GradingClient(_CourseClient):
        """The course's client, keeping at most `output_limit` bytes of cell output: what is
        over is dropped as it arrives, so the grader's memory stays bounded."""

        output_limit = 0
        kept = 0
        over: int | None = None  # the cell that crossed the limit

        def output(self, outs: Any, msg: Any, display_id: Any, cell_index: int) -> Any:
            self.kept += len(json.dumps(msg.get("content", {}), default=str))
            if self.kept > self.output_limit:
                if self.over is None:
                    self.over = cell_index
                return None
            return super().output(outs, msg, display_id, cell_index)

    return GradingClient


def _parse_records(outputs: list[Any], qids: list[str]) -> tuple[dict[str, Any], set[str]]:
    """The records the grader's cell sent back, read as bounded plain data, and the questions
    whose record it made on the grader's probes."""
    from secondment.teach.submissions import _depth

    records: dict[str, Any] = {}
    probed: set[str] = set()
    for out in outputs:
        data = out.get("data", {}) if out.get("output_type") == "display_data" else {}
        sent = data.get(RECORDS_MIME)
        if not isinstance(sent, dict) or not isinstance(sent.get("records"), dict):
            continue
        found = sent["records"]
        if isinstance(sent.get("probed"), list):
            probed |= {q for q in sent["probed"] if q in qids}
        for qid in qids:
            text = found.get(qid, "")
            if text == "":
                continue
            if not isinstance(text, str) or len(text) > MAX_RECORD:
                records[qid] = {"question": qid, "problem": "the saved answer is too big to read"}
                continue
            try:
                record = json.loads(text)
            except (ValueError, RecursionError):
                record = None
            if (
                not isinstance(record, dict)
                or _depth(record, NOTEBOOK_LIMITS["nesting"]) > NOTEBOOK_LIMITS["nesting"]
            ):
                record = {"question": qid, "problem": "the saved answer is not readable data"}
            records[qid] = record
    return records, probed & set(records)


def _stopped(qid: str, calls: int) -> dict[str, Any]:
    """The record of a function answer that ran the grader's cell over its time."""
    stopped = {"seconds": SECONDS_IN_ALL, "all_inputs": True, "inputs": calls}
    answer = {"$": "function", "name": "function", "results": [], "names": [], "stopped": stopped}
    return {"question": qid, "answer": answer}


def _wrapper(limits: Limits, mode: str, uid: int, work: Path, hidden: list[Path]) -> list[str]:
    """The command a kernel starts under: limits, then the sandbox, then its user."""
    cmd = prlimits(limits, mode)
    ipc, inside = work / "ipc", str(work / "box")
    if mode == "bubblewrap":
        fonts = [(f, f"{inside}/.matplotlib/{f.name}") for f in font_caches()]
        cmd += sandbox.bwrap_command(None, hidden, inside=inside, uid=uid, box_mb=limits.file_mb,
                                     subdirs=SUBDIRS, binds=[ipc], ro_binds=fonts)  # fmt: skip
    elif mode == "unprivileged-user":
        if sandbox.unshare_works():
            cmd += sandbox.UNSHARE
        cmd += sandbox.drop_to(uid)
    return cmd


def _prepare(work: Path, mode: str, owner: int | None) -> None:
    (work / "ipc").mkdir(parents=True)
    if mode != "bubblewrap":  # the box on disk, measured by the watchdog
        box = work / "box"
        for name in SUBDIRS:
            (box / name).mkdir(parents=True)
        for cached in font_caches():
            shutil.copyfile(cached, box / ".matplotlib" / cached.name)
        if owner is not None:
            for path in [box, *box.rglob("*")]:
                os.chown(path, owner, owner)
            os.chmod(box, 0o700)
    if owner is not None:
        os.chown(work / "ipc", owner, owner)
        os.chmod(work / "ipc", 0o700)
        os.chmod(work, 0o711)  # the kernel may pass through, not list


def _disk_probe(mode: str, work: Path, uid: int | None, top: Any) -> Any:
    """How many bytes the box holds now, or None when it cannot be told."""
    if mode != "bubblewrap":
        return lambda: box_usage(work / "box")

    def inside() -> int | None:
        # The tmpfs is seen through a process of the sandbox (its mount namespace).
        pids = sandbox.members(sandbox.proc_table(), uid, top())
        for pid in pids:
            try:
                st = os.statvfs(f"/proc/{pid}/root{work / 'box'}")
            except OSError:
                continue
            return (st.f_blocks - st.f_bfree) * st.f_frsize
        return None

    return inside


def run_notebook(
    sub: Submission,
    work: Path,
    limits: Limits,
    hidden: list[Path],
    budget_seconds: float,
    calls: dict[str, list[Any]] | None = None,
) -> Run:
    """Execute a checked copy of the notebook with a sandboxed kernel, within the submission's
    budget, and bring back its answer records; a function answer's is made on `calls` (the
    grader's probes, as JSON data, by question)."""
    import nbformat

    from secondment.teach.submissions import questions_of

    mode = sandbox.isolation()
    root = os.geteuid() == 0 and mode in ("bubblewrap", "unprivileged-user")
    uid = sandbox.fresh_uid() if root else None
    if uid is not None:
        sandbox.kill_all(uid)  # a process left by an earlier, interrupted run
    _prepare(work, mode, uid)
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)  # nbclient logs each timeout
    nb = nbformat.from_dict(sub.nb)
    qids = questions_of(sub.exercise)
    client = _client_class()(
        nb,
        timeout=limits.cell_timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(work if mode == "bubblewrap" else work / "box")}},
        allow_errors=True,
        interrupt_on_timeout=True,
        # A cell over its time gets this reply at once, and the next cell is sent.
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "", "traceback": []},
        shutdown_kernel="immediate",
    )
    client.output_limit = limits.output_mb * 2**20
    client.kernel_manager_class = _manager(
        work / "ipc", _wrapper(limits, mode, uid or 0, work, hidden), uid
    )
    timed_out: list[int] = []
    # Whether the grader's own cell is running, and whether it ran over its time (which is
    # not a cell of the notebook's timing out).
    collecting = {"now": False, "timed_out": False}

    def on_executed(cell: Any, cell_index: int, execute_reply: Any) -> None:
        if (execute_reply or {}).get("content", {}).get("ename") == TIMEOUT_ENAME:
            if collecting["now"]:
                collecting["timed_out"] = True
            else:
                timed_out.append(cell_index)

    client.on_cell_executed = on_executed

    def top() -> int | None:
        process = getattr(getattr(client.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    seconds = min(float(limits.notebook_timeout), budget_seconds)
    whose = ("timeout", f"stopped after {seconds:.0f} s for the notebook")
    if budget_seconds < limits.notebook_timeout:
        whose = ("timeout", f"the student's {limits.student_timeout} s for all notebooks ran out")
    started = time.monotonic()
    dog = Watchdog(limits, uid, top, started + seconds, whose, _disk_probe(mode, work, uid, top))
    result = Run()
    answers = f"{work / 'box'}/answers"

    given = calls or {}
    sent: set[str] = set()  # the questions whose probes are in the kernel now
    probed: set[str] = set()  # the questions whose record stands: made on the grader's probes

    async def collect(asked: list[str]) -> None:
        send = {q: given[q] for q in asked if q in given and q not in sent}
        sent.update(send)
        text = json.dumps(send, ensure_ascii=False)
        cell = nbformat.v4.new_code_cell(COLLECT % (RECORDS_MIME, answers, asked, MAX_RECORD, text))
        kept, limit, timeout = client.kept, client.output_limit, client.timeout
        client.kept, client.output_limit = 0, MAX_RECORD * len(asked) * 2 + 4096
        # Each function answer may take its time on the grader's probes, as in its check.
        client.timeout = limits.cell_timeout + int(SECONDS_IN_ALL) * len(send)
        nb.cells.append(cell)  # nbclient stores each executed cell back in the notebook
        collecting.update(now=True, timed_out=False)
        try:
            await client.async_execute_cell(cell, len(nb.cells) - 1, store_history=False)
        finally:
            nb.cells.pop()
            client.kept, client.output_limit, client.timeout = kept, limit, timeout
            collecting["now"] = False
        records, made = _parse_records(cell.outputs, asked)
        for qid, record in records.items():
            if qid not in probed:
                result.records[qid] = record
        probed.update(made)
        if collecting["timed_out"]:  # a function ran past the limits the kernel should keep
            for qid in set(send) - made:
                result.records[qid] = _stopped(qid, len(send[qid]))
                probed.add(qid)

    async def execute() -> None:
        env = sandbox_env(str(work / "box"))
        async with client.async_setup_kernel(env=env, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL):  # fmt: skip
            if uid is not None:  # its sockets are made: the kernel may write nothing more there
                os.chown(work / "ipc", 0, 0)
                os.chmod(work / "ipc", 0o755)
            dog.start()
            count = 0
            for index, cell in enumerate(nb.cells):
                if dog.hit is not None:
                    break
                if cell.cell_type == "code" and cell.source.strip():
                    count += 1
                await client.async_execute_cell(cell, index, execution_count=count)
                asked = [f"{m[1]}.{m[2]}" for m in CHECK_CALL.finditer(cell.source)]
                asked = [q for q in asked if q in qids]
                if cell.cell_type == "code" and asked and dog.hit is None:
                    await collect(asked)
            if dog.hit is None:
                await collect(qids)
            if dog.hit is None:
                dog.final()  # a budget spent in the last moments still counts

    from nbclient.exceptions import DeadKernelError

    try:
        asyncio.run(execute())
    except DeadKernelError:
        result.status, result.detail = "kernel-died", "the kernel died while running the notebook"
    except Exception as exc:
        text = str(exc).splitlines()[0][:120] if str(exc) else ""
        result.status, result.detail = "run-error", f"{type(exc).__name__}: {text}"
        if "Kernel died before replying" in str(exc) or "Kernel didn't respond" in str(exc):
            result.status = "kernel-died"
            result.detail = "the kernel did not start (is --memory-mb too small?)"
    finally:
        dog.stop()
        sandbox.kill_all(uid, top())
        result.seconds = time.monotonic() - started
    if dog.hit is not None:
        result.status, result.detail = dog.hit
        return result
    if result.status != "ok":
        return result
    errors = [
        o.get("ename", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    for index in timed_out:
        result.limited.setdefault(index, "timeout")
    if client.over is not None:
        result.limited.setdefault(client.over, "output-limit")
    if "MemoryError" in errors:
        result.status, result.detail = "memory-limit", "a cell ran out of memory (MemoryError)"
    elif timed_out:
        result.status = "timeout"
        result.detail = (
            f"{len(timed_out)} cell(s) ran over {limits.cell_timeout} s and were interrupted"
        )
    elif client.over is not None:
        result.status, result.detail = "output-limit", f"more than {limits.output_mb} MB of output"
    elif errors:
        result.status = "cell-errors"
        result.detail = f"{len(errors)} cell(s) raised: " + ", ".join(sorted(set(errors)))
    return result
