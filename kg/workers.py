"""Worker processes that never outlive the work: map a function over chunks in a few processes, in order.

:class:`Workers` wraps :class:`concurrent.futures.ProcessPoolExecutor` with the behaviour a command line tool
needs:

* the workers die with their parent, even when it is killed by SIGKILL (Linux ``PR_SET_PDEATHSIG``);
* they ignore SIGINT, which a terminal sends to the whole process group: the parent alone handles Ctrl-C,
  terminates them at once and stops within a second (instead of waiting for the tasks in flight);
* they are started with ``spawn``, so they inherit no threads, locks or open files of the parent (such as the
  lock of an output folder);
* a worker killed from outside (out of memory) is an error, not a hang;
* results come back in order as they are ready, with a bounded number of tasks in flight, so the caller can
  save each one at once (the extraction cache is written chunk by chunk).

:func:`call_in_process` runs one call in a child process that can be stopped: a SPARQL query that runs past its
time, whose client went away, or that the user interrupts is killed, not left to burn CPU (an engine cannot
cancel a query from another thread).
"""

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .errors import KGError

__all__ = ["Workers", "die_with_parent", "call_in_process", "Cancelled"]


def die_with_parent(parent=None, sig=signal.SIGKILL):
    """Ask the kernel to send `sig` to this process when its parent dies (Linux; elsewhere nothing).

    Parameters
    ----------
    parent : int, optional
        The parent's pid as the parent saw it: if this process has already been orphaned (the parent died
        before this call), it exits at once.
    sig : int
        Signal to receive.
    """
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(sig))  # 1 = PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def _start(parent, initializer, initargs):
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


class Workers:
    """A pool of worker processes used as a context manager; see the module docstring.

    Parameters
    ----------
    processes : int
    initializer : callable, optional
        Run once in each worker (e.g. to load a model); must be importable (``spawn``).
    initargs : tuple

    Examples
    --------
    >>> with Workers(2) as workers:
    ...     list(workers.map(abs, [-1, -2, 3]))
    [1, 2, 3]
    """

    def __init__(self, processes, initializer=None, initargs=()):
        self.processes = processes
        self._executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start, initargs=(os.getpid(), initializer, initargs))

    def map(self, func, items, ahead=2):
        """``func(item)`` for each item, in order, while at most ``ahead * processes`` tasks run or wait.

        The first tasks are submitted at once; the returned iterator submits the others as results come back.

        Returns
        -------
        iterator

        Raises
        ------
        KGError
            While iterating, when a worker died (killed from outside, out of memory).
        """
        items, pending = iter(items), deque()
        limit = max(1, ahead * self.processes)

        def fill():
            while len(pending) < limit:
                item = next(items, _END)
                if item is _END:
                    return
                pending.append(self._executor.submit(func, item))

        fill()
        return self._results(pending, fill)

    def submit(self, func, item):
        """``func(item)`` in a worker, now: a future whose ``result()`` raises :class:`KGError` when a worker
        died (for callers that keep their own order, such as a build mixing cached and new chunks)."""
        return _Task(self._executor.submit(func, item))

    @staticmethod
    def _results(pending, fill):
        try:
            while pending:
                result = pending.popleft().result()
                fill()
                yield result
        except BrokenProcessPool:
            raise KGError("a worker process died (killed, or out of memory); try fewer --workers") from None

    def terminate(self):
        """Stop every worker now (SIGKILL) and drop the tasks not yet done."""
        processes = list((getattr(self._executor, "_processes", None) or {}).values())
        manager = getattr(self._executor, "_executor_manager_thread", None)  # shutdown() forgets it
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.kill()
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                process.join(5)
        # let the executor's manager thread finish (and close its wake-up pipe) now: else, at interpreter exit,
        # concurrent.futures' exit hook may write to that pipe while the thread closes it, and Python prints an
        # "Exception ignored ... Bad file descriptor" traceback after a Ctrl-C (a race of Python 3.11)
        if manager is not None:
            manager.join(0.5)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self._executor.shutdown(wait=True)
        else:
            self.terminate()


_END = object()


class _Task:
    """A future of :meth:`Workers.submit`."""

    def __init__(self, future):
        self._future = future

    def result(self):
        try:
            return self._future.result()
        except BrokenProcessPool:
            raise KGError("a worker process died (killed, or out of memory); try fewer --workers") from None


class Cancelled(Exception):
    """The call was cancelled by its `cancel` callback (e.g. the client went away)."""


def _call(conn, parent, func, args):
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        outcome = ("ok", func(*args))
    except BaseException as exc:  # noqa: B036 - everything goes back to the parent
        outcome = ("error", exc)
    try:
        conn.send(outcome)
    except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
        conn.send(("error", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})")))
    conn.close()


def _context():
    # fork is quick and inherits the loaded modules, but is unsafe in a process with threads (a server):
    # there, children come from a fork server started before any thread of ours holds a lock
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def call_in_process(func, args=(), timeout=None, cancel=None, context=None):
    """``func(*args)`` computed in a child process that is killed on timeout, cancellation or Ctrl-C.

    Parameters
    ----------
    func : callable
        Picklable (a module-level function); its result and exceptions must be picklable too.
    args : tuple
    timeout : float, optional
        Seconds before the child is killed and TimeoutError raised.
    cancel : callable, optional
        Polled about ten times a second; when it returns True the child is killed and :class:`Cancelled`
        raised.
    context : multiprocessing context, optional
        Default: ``fork`` in a single-threaded process on Linux, else ``forkserver`` (``spawn`` where there is
        none).

    Returns
    -------
    object
        What `func` returned.

    Raises
    ------
    TimeoutError, Cancelled, KeyboardInterrupt
        The child is dead by then.
    KGError
        When the child died without an answer (killed, out of memory).
    BaseException
        Whatever `func` raised.

    Examples
    --------
    >>> call_in_process(divmod, (7, 2))
    (3, 1)
    """
    ctx = context or _context()
    receive, send = ctx.Pipe(duplex=False)
    # a fork server's children are its own, not ours: they die with it (and it with us)
    parent = None if ctx.get_start_method() == "forkserver" else os.getpid()
    child = ctx.Process(target=_call, args=(send, parent, func, tuple(args)), daemon=True)
    child.start()
    send.close()
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while not receive.poll(0.1):
            if not child.is_alive() and not receive.poll(0):
                raise KGError(f"the worker process died without an answer (exit status {child.exitcode}; "
                              "out of memory?)")
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"stopped after {timeout:g} s")
            if cancel is not None and cancel():
                raise Cancelled()
        try:
            kind, value = receive.recv()
        except EOFError:
            raise KGError("the worker process died without an answer (out of memory?)") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if kind == "error":
        raise value
    return value
