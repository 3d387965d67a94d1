"""The sandbox a kernel (or the decider) runs in, and how everything in it is ended.

With bubblewrap: the system read-only; homes, temp folders, the course folder (all but the
student package and its datasets), the submissions and the gradebook out of sight; no
network; its own PID namespace; and the box a size-capped tmpfs. As root, each kernel then
drops to a user id of its own that no account has, fresh for every kernel, so that a
process it leaves behind can be found and killed by that id. Without bubblewrap, a grader
running as root gives each kernel a fresh user id the same way (and a network namespace of
its own where `unshare` works); a grader that is not root runs kernels only inside
bubblewrap, or, with `SECONDMENT_ISOLATION=none`, with its own rights. Kernels never run as
root.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from secondment.teach.submissions import GradeError

NOBODY = 65534
#: First of the user ids that kernels run as when the grader is root: ids no account has.
KERNEL_UID_BASE = 2_000_000_000
#: The deciders' user ids (one per grading worker), below the kernels'.
DECIDER_UID_BASE = KERNEL_UID_BASE - 1000
#: Where a folder is bound inside the bubblewrap sandbox unless told otherwise (the probe).
BOX = "/tmp/box"
#: Folders a kernel never sees (an empty one in their place), except what it needs from them:
#: other users' homes, the grader's own home, temp folders, and the sockets of system services.
MASKED = ("/tmp", "/var/tmp", "/run", "/home", "/root")
INSTALL_BWRAP = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)"
)

_ISOLATION: str | None = None
_UNSHARE: bool | None = None
_uids = itertools.count()
_uid_lock = threading.Lock()


#: Kernel user ids a grading process may use before it starts over (each is killed after use).
UIDS_PER_PROCESS = 1000


def fresh_uid() -> int:
    """A user id for one kernel, not used by another kernel of this run nor by another grading
    process running at the same time (two graders, or two test workers, each kill whatever runs
    as their kernels' users: they must never share one)."""
    with _uid_lock:
        own = (os.getpid() % 2_000_000) * UIDS_PER_PROCESS  # below 2**32 - 2 with the base
        return KERNEL_UID_BASE + own + next(_uids) % UIDS_PER_PROCESS


def kernel_uid(slot: int) -> int:
    """A kernel user id by number (tests use it to run two kernels side by side)."""
    return KERNEL_UID_BASE + slot


def decider_uid(slot: int) -> int:
    """The user id of one worker's decider, its own to this grading process."""
    return DECIDER_UID_BASE - (os.getpid() % 1_000_000) * 16 - slot % 16


def drop_to(uid: int) -> list[str]:
    """The command prefix that runs what follows as `uid` with no groups and no capabilities."""
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]


def kernel_needs() -> list[Path]:
    """What a kernel must see: the interpreter, the environment, the student package and its
    datasets; not the rest of the course folder (solutions, instructors' tools, gradebooks)."""
    import secondment
    from secondment.paths import datasets_dir

    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    paths.add(Path(secondment.__file__).resolve().parent)
    paths.add(datasets_dir().resolve())
    return sorted(paths)


def _course_folder() -> Path | None:
    from secondment.paths import course_root

    root = course_root()
    return root.resolve() if root is not None else None


def _hide(cmd: list[str], folder: Path, needed: list[Path]) -> None:
    """Replace a folder by an empty one, then bring back read-only what the kernel needs in it."""
    cmd += ["--perms", "0755", "--tmpfs", str(folder)]
    for path in needed:
        if path.is_relative_to(folder) and path != folder:
            _parents(cmd, folder, path, "0755")
            cmd += ["--ro-bind", str(path), str(path)]


def _parents(cmd: list[str], top: Path, path: Path, mode: str) -> None:
    """Make the folders between `top` and `path` with `mode`: bubblewrap would otherwise make
    them as the grader's process allows, which may leave an unprivileged kernel outside."""
    for parent in reversed(path.parents):
        if parent.is_relative_to(top) and parent != top:
            cmd += ["--perms", mode, "--dir", str(parent)]


def bwrap_command(
    box: Path | None,
    hidden: Iterable[Path],
    inside: str = BOX,
    uid: int | None = None,
    box_mb: int = 0,
    subdirs: Iterable[str] = (),
    binds: Iterable[Path] = (),
    ro_binds: Iterable[tuple[Path, str]] = (),
) -> list[str]:
    """bubblewrap around a kernel: the system read-only, homes, temp folders, the course folder
    (but the student package and its datasets) and `hidden` out of sight. The box is `inside`:
    `box` bound there, or (with `box_mb`) a tmpfs of that size holding `subdirs`, which no one
    outside sees; `binds` are bound read-write at their own paths, `ro_binds` read-only. As
    root, the kernel then drops to `uid` (no user namespace, which would map that id to root
    outside and let it read root's files)."""
    cmd = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    needed = kernel_needs()
    masks = {Path(m) for m in MASKED if Path(m).is_dir()} | {Path.home().resolve()}
    course = _course_folder()
    if course is not None:
        masks.add(course)
    masks = {
        m
        for m in masks
        if m != Path("/") and not any(m.is_relative_to(o) and m != o for o in masks)
    }
    for mask in sorted(masks):
        _hide(cmd, mask, needed)
    # The submissions, the grader's other temp folders and the gradebook: out of sight.
    for folder in hidden:
        folder = Path(os.path.abspath(folder))
        if folder == Path("/") or not folder.exists():
            continue
        covered = any(folder.is_relative_to(m) for m in masks)
        if covered and not any(
            folder.is_relative_to(p) or p.is_relative_to(folder) for p in needed
        ):
            continue  # already behind a mask, and nothing brought back reaches it
        if folder.is_file():
            cmd += ["--ro-bind", "/dev/null", str(folder)]
        elif folder.is_dir():
            _hide(cmd, folder, needed)
    # The kernel may pass through to its box, not list what is beside it.
    for target in [Path(inside), *map(Path, binds)]:
        for mask in masks:
            if target.is_relative_to(mask):
                _parents(cmd, mask, target, "0711")
    if box_mb:
        # The box lives in memory, capped: what a kernel writes is bounded and gone with it.
        cmd += ["--size", str(box_mb * 1024 * 1024), "--perms", "1777", "--tmpfs", inside]
        for name in subdirs:
            cmd += ["--perms", "1777", "--dir", f"{inside}/{name}"]
    elif box is not None:
        cmd += ["--bind", str(box), inside]
    for path in binds:
        cmd += ["--bind", str(path), str(path)]
    for source, where in ro_binds:
        cmd += ["--ro-bind", str(source), where]
    cmd += ["--chdir", inside, "--die-with-parent"]
    # Inside its own PID namespace the kernel's parent has another PID: without this, ipykernel
    # would take its parent for gone and exit.
    cmd += ["--unsetenv", "JPY_PARENT_PID"]
    if os.geteuid() == 0:
        cmd += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        cmd += ["--unshare-cgroup-try", *drop_to(NOBODY if uid is None else uid)]
    else:  # a user namespace is the only way in; the kernel keeps the grader's own rights
        cmd += ["--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY)]
    return cmd


def _probe(cmd: list[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="grade-probe-") as tmp:
        os.chmod(tmp, 0o777)  # the unprivileged probe must be able to enter it
        try:
            probe = subprocess.run(
                [*cmd, sys.executable, "-c", "print('ok')"],
                capture_output=True,
                text=True,
                timeout=30,
                cwd=tmp,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return probe.stdout.strip() == "ok"


UNSHARE = ["unshare", "--net", "--ipc", "--pid", "--fork", "--kill-child", "--"]


def unshare_works() -> bool:
    """Whether `unshare` gives a root grader's fallback kernels no network and own PIDs."""
    global _UNSHARE
    if _UNSHARE is None:
        _UNSHARE = bool(shutil.which("unshare")) and _probe([*UNSHARE, *drop_to(NOBODY)])
    return _UNSHARE


def isolation() -> str:
    """The isolation in force: `bubblewrap`, `unprivileged-user` (root, no bubblewrap), `none`
    (not root, no bubblewrap, and asked for) or `unavailable`."""
    global _ISOLATION
    forced = os.environ.get("SECONDMENT_ISOLATION", "")
    if forced in ("bubblewrap", "unprivileged-user", "none"):
        return forced  # for testing the fallbacks, or a machine where the probe misleads
    if _ISOLATION is None:
        if shutil.which("bwrap") and _probe(bwrap_command(Path(tempfile.gettempdir()), ())):
            _ISOLATION = "bubblewrap"
        elif os.geteuid() == 0 and _probe(drop_to(NOBODY)):
            _ISOLATION = "unprivileged-user"
        else:
            _ISOLATION = "unavailable"
    return _ISOLATION


def refuse_unsafe() -> None:
    """A GradeError when kernels would run as root, or with no sandbox unasked."""
    mode = isolation()
    if mode == "none" and os.geteuid() == 0:
        raise GradeError(
            "SECONDMENT_ISOLATION=none would run students' kernels as root: "
            f"unset it and {INSTALL_BWRAP}"
        )
    if mode == "unprivileged-user" and os.geteuid() != 0:
        raise GradeError("SECONDMENT_ISOLATION=unprivileged-user needs a grader run as root")
    if mode == "unavailable":
        why = "the grader is not root"
        if os.geteuid() == 0:
            why = f"user nobody cannot run {sys.executable}"
        raise GradeError(
            f"no sandbox for the students' kernels here: bubblewrap does not work and {why}; "
            f"{INSTALL_BWRAP}, or set SECONDMENT_ISOLATION=none to run kernels with your own "
            "rights (never as root)"
        )


def isolation_line() -> str:
    """One line saying which isolation is in force."""
    who = (
        "each kernel as a fresh user of its own, not root"
        if os.geteuid() == 0
        else "kernels with the grader's own rights"
    )
    mode = isolation()
    if mode == "bubblewrap":
        return (
            "isolation: bubblewrap (system read-only; homes, temp folders, the course folder "
            f"and submissions hidden; no network; {who})"
        )
    if mode == "unprivileged-user":
        net = "no network" if unshare_works() else "network NOT cut off"
        return (
            f"isolation: unprivileged users ({who}; {net}; files anyone may read stay "
            "readable, so keep the submissions and the gradebook in folders only you can "
            f"open, chmod 700); for the full sandbox, {INSTALL_BWRAP}"
        )
    if mode == "none":
        return f"isolation: none beyond an own temp folder and limits; {INSTALL_BWRAP}"
    return "isolation: unavailable"


# ---------------------------------------------------------------- finding and ending processes


def proc_table() -> dict[int, tuple[int, int, int, int]]:
    """{pid: (real uid, parent pid, resident bytes, threads)} of every process readable now."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as fh:
                text = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        uid = ppid = rss = threads = 0
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key == "Uid":
                uid = int(value.split()[0])
            elif key == "PPid":
                ppid = int(value)
            elif key == "VmRSS":
                rss = int(value.split()[0]) * 1024
            elif key == "Threads":
                threads = int(value)
        table[int(name)] = (uid, ppid, rss, threads)
    return table


def pss(pid: int) -> int:
    """A process's proportional share of memory in bytes (shared pages split among sharers)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and of the children it has reaped."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def members(
    table: dict[int, tuple[int, int, int, int]], uid: int | None, top: int | None
) -> list[int]:
    """The processes of one sandbox: all of user `uid` (as root), else `top` and its
    descendants."""
    if uid is not None:
        return [pid for pid, row in table.items() if row[0] == uid]
    if top is None:
        return []
    children: dict[int, list[int]] = {}
    for pid, row in table.items():
        children.setdefault(row[1], []).append(pid)
    found, stack = [], [top]
    while stack:
        pid = stack.pop()
        if pid in table:
            found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def kill_all(uid: int | None, top: int | None = None) -> None:
    """End every process of a sandbox: as root, everything running as its user id (forks
    racing the kill included); otherwise `top`'s process group and descendants."""
    if top is not None:
        try:
            os.killpg(top, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for _ in range(50):
        pids = members(proc_table(), uid, top)
        if uid is None and top is not None:
            pids = [p for p in pids if p != top] + ([top] if top in pids else [])
        if not pids:
            return
        if uid is not None:  # kill(-1) as that user reaches all of its processes at once
            subprocess.run([*drop_to(uid), "kill", "-KILL", "-1"], stderr=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, check=False)  # fmt: skip
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        threading.Event().wait(0.02)


def remove_tree(path: Path) -> None:
    """Remove a folder however deep a kernel made it (shutil's walk can run out of stack)."""
    if not os.path.lexists(path):
        return
    subprocess.run(["rm", "-rf", "--one-file-system", "--", str(path)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # fmt: skip
