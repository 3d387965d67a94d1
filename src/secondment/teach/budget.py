"""What one submission may use as a whole, and the watchdog that ends it when it has used it.

The kernel's own limits (`prlimit`) bound each process: address space, file size, CPU time,
no core files, and (as root, where each kernel is a user of its own) the number of processes
and threads of that user. The watchdog bounds the sandbox as a whole: it sums, several times
a second, the memory and CPU time of all the sandbox's processes, counts them, measures the
box, and watches the clock; the first budget spent ends every process of the sandbox and
names the limit, so the student's row says which.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from secondment.teach import sandbox

__all__ = ["Limits", "Watchdog"]


@dataclass(frozen=True)
class Limits:
    """What one submission may use (each has a command-line flag and a status of its own)."""

    cell_timeout: int = 30  # seconds per cell (`timeout`)
    notebook_timeout: int = 180  # seconds for the whole notebook (`timeout`)
    student_timeout: int = 600  # seconds for all of one student's notebooks (`timeout`)
    memory_mb: int = 1536  # all the submission's processes together (`memory-limit`)
    output_mb: int = 20  # cell outputs kept; more is dropped (`output-limit`)
    file_mb: int = 256  # the box: all it writes (`disk-limit`), and any one file
    processes: int = 128  # processes and threads at once (`process-limit`)
    cpu_seconds: int = 300  # CPU time of all its processes (`cpu-limit`)
    check_timeout: int = 20  # seconds to decide one answer (`check-timeout`)


#: How often the watchdog looks (seconds): often enough that a submission allocating as fast
#: as it can overshoots its memory budget by a few hundred MB at most.
TICK = 0.1


class Watchdog(threading.Thread):
    """Ends a sandbox at its first spent budget; `hit` is then (status, reason)."""

    def __init__(
        self,
        limits: Limits,
        uid: int | None,
        top: Callable[[], int | None],
        deadline: float,
        deadline_status: tuple[str, str],
        disk: Callable[[], int | None],
    ) -> None:
        super().__init__(daemon=True)
        self.limits, self.uid, self.top, self.disk = limits, uid, top, disk
        self.deadline, self.deadline_status = deadline, deadline_status
        self.hit: tuple[str, str] | None = None
        self.peak_memory = 0
        self.cpu = 0.0
        self._stop_event = threading.Event()

    def stop(self) -> None:
        """Stop watching (the notebook is done)."""
        self._stop_event.set()

    def _spent(self, rounds: int) -> tuple[str, str] | None:
        limits = self.limits
        if time.monotonic() > self.deadline:
            return self.deadline_status
        top = self.top()
        table = sandbox.proc_table()
        pids = sandbox.members(table, self.uid, top)
        if not pids:
            return None
        tasks = sum(table[p][3] for p in pids)
        memory = sum(table[p][2] for p in pids)
        self.peak_memory = max(self.peak_memory, memory)
        if tasks >= limits.processes:
            return "process-limit", f"more than {limits.processes} processes and threads at once"
        # Resident sizes count a forked child's shared pages twice: over the budget, the
        # proportional sizes (each shared page split among its sharers) decide.
        if (
            memory > limits.memory_mb * 2**20
            and sum(map(sandbox.pss, pids)) > limits.memory_mb * 2**20
        ):
            return "memory-limit", f"its processes held more than {limits.memory_mb} MB together"
        self.cpu = max(self.cpu, sum(sandbox.cpu_seconds(p) for p in pids))
        if self.cpu > limits.cpu_seconds:
            return "cpu-limit", f"more than {limits.cpu_seconds} s of CPU time"
        if rounds % 10 == 0:
            used = self.disk()
            if used is not None and used >= limits.file_mb * 2**20 * 0.98:
                return "disk-limit", f"wrote more than {limits.file_mb} MB"
        return None

    def final(self) -> None:
        """Look once more, all budgets included, before the sandbox is ended."""
        self.stop()
        if self.is_alive():
            self.join()
        if self.hit is None:
            try:
                self.hit = self._spent(0)
            except Exception:
                return
            if self.hit is not None:
                sandbox.kill_all(self.uid, self.top())

    def run(self) -> None:
        rounds = 0
        while not self._stop_event.wait(TICK):
            rounds += 1
            try:
                hit = self._spent(rounds)
            except Exception:  # a process vanishing mid-look: look again
                continue
            if hit is not None:
                self.hit = hit
                sandbox.kill_all(self.uid, self.top())
                return


def box_usage(root: Path, cap_entries: int = 100_000) -> int:
    """Bytes a folder holds on disk, walked without recursion and without following links; a
    folder of more than `cap_entries` entries counts as full."""
    total, seen, stack = 0, 0, [root]
    while stack:
        here = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > cap_entries:
                return 2**62
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total += info.st_blocks * 512
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
    return total
