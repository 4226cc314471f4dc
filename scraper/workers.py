"""Helper processes a crawl forks (page readers, the database writer): how many, and how they live."""

from __future__ import annotations

import os
import signal
import sys

_not_for_children: set[int] = set()


def not_for_children(fd: int) -> None:
    """Close `fd` in every process forked from now on (until `for_children_again`)."""
    _not_for_children.add(fd)


def for_children_again(fd: int) -> None:
    _not_for_children.discard(fd)


def _close_in_child() -> None:
    # A helper must not keep the crawl's files open: the run lock would outlive the crawl, a
    # reader's pipe would never see its end.
    for fd in _not_for_children:
        try:
            os.close(fd)
        except OSError:
            pass
    _not_for_children.clear()


os.register_at_fork(after_in_child=_close_in_child)


def worker_processes(setting: object, name: str) -> int:
    """A worker-process setting: a number, or 'auto' (one when the machine has a second core
    for it, else none: on one core a worker only adds the cost of talking to it)."""
    value = str(setting if setting is not None else "auto").strip().lower()
    if value in ("", "auto"):
        return 1 if (os.cpu_count() or 1) > 1 else 0
    try:
        return max(0, int(value))
    except ValueError:
        raise ValueError(f"{name} must be a number or 'auto', not {setting!r}") from None


def tie_to_parent() -> None:
    """For a forked helper: live exactly as long as the crawl that forked it.

    Ctrl-C and a stop request (SIGTERM to the process group) are the crawl's to handle, with
    the handlers it installed before the fork: the helper ignores them and leaves when its
    input ends. A crawl killed outright (SIGKILL, OOM) takes the helper with it (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.set_wakeup_fd(-1)  # the crawl's event loop, not ours
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the crawl died before the line above
            os._exit(0)
