"""Safe output: one file, or a whole folder of files, replaced in one step or not at all.

* :func:`atomic_write` / :func:`atomic_path` write one file to a temporary file beside it and rename it into
  place (``os.replace`` is atomic on POSIX).
* :class:`OutputFolder` does the same for a whole folder: a build writes every file into a fresh hidden sibling
  folder (``.NAME.build-*``), then switches it in with one ``renameat2(RENAME_EXCHANGE)`` (Linux; elsewhere two
  renames, undone by the next build if interrupted between them), so readers see the old build or the new one,
  never a mix. A lock file (``.NAME.lock``, ``flock``) keeps two builds out of one folder; the temporaries of
  killed builds are removed by the next one; an unwritable folder is an error before any work is done.
"""

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from .errors import KGError

__all__ = ["atomic_write", "atomic_path", "OutputFolder", "exchange_paths"]


def _default_mode():
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success rename it to `path`, on error remove it.

    Use this with libraries that insist on writing to a file name themselves
    (``nx.write_graphml``, ``rdflib.Graph.serialize``).

    Parameters
    ----------
    path : str or os.PathLike
        The final destination. Its directory is created if missing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "x.txt") as tmp:
    ...     _ = pathlib.Path(tmp).write_text("hi")
    >>> (d / "x.txt").read_text()
    'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); give it the mode a plain open() would have
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write(path, mode="w", encoding="utf-8"):
    """Open a temporary file for writing and rename it to `path` when the block succeeds.

    Parameters
    ----------
    path : str or os.PathLike
        The final destination.
    mode : {"w", "wb"}
        Text or binary.
    encoding : str
        Text encoding (ignored in binary mode).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p) as fh:
    ...     _ = fh.write("done")
    >>> p.read_text()
    'done'
    """
    with atomic_path(path) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with open(tmp, mode, **kwargs) as fh:
            yield fh


# -- whole folders ----------------------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def exchange_paths(a, b):
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False when unsupported.

    Parameters
    ----------
    a, b : str or os.PathLike
        Two existing entries of one file system (here: two sibling folders).

    Returns
    -------
    bool
        True when swapped; False when the platform or file system cannot (the caller then falls back).

    Raises
    ------
    OSError
        For any other failure (permissions, a missing path).
    """
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _remove(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _carry(src, dst):
    """Hard-link (or copy) `src` to `dst`: a file or a folder of files."""
    def link(a, b):
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    if src.is_dir() and not src.is_symlink():
        shutil.copytree(src, dst, symlinks=True, copy_function=link)
    elif src.is_symlink():
        os.symlink(os.readlink(src), dst)
    else:
        link(src, dst)


class OutputFolder:
    """Build a folder's new content beside it, then switch it in whole (see the module docstring).

    Use it as a context manager: entering takes the lock, removes what killed builds left behind, checks that
    the folder can be replaced and creates the staging folder (:attr:`staging`); :meth:`commit` switches it in;
    leaving without a commit (an error, Ctrl-C, SIGTERM turned into an exception) removes the staging folder
    and leaves the folder as it was.

    Parameters
    ----------
    path : str or os.PathLike
        The folder to replace (created if missing).
    owns : callable, optional
        ``owns(folder) -> bool``: whether an existing, non-empty folder holds an earlier build and may be
        replaced. Default: only an empty folder may.
    keep : callable, optional
        ``keep(name) -> bool``: entries of the old folder to carry into the new one when the new one lacks
        them (e.g. a screenshot kept beside the outputs). Default: all of them.

    Attributes
    ----------
    staging : pathlib.Path
        Where to write the new content.

    Raises
    ------
    KGError
        On entering: another build holds the lock, the folder is not writable or holds something else.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with OutputFolder(out) as folder:
    ...     _ = (folder.staging / "a.txt").write_text("new")
    ...     folder.commit()
    >>> sorted(p.name for p in out.parent.iterdir()), (out / "a.txt").read_text()
    (['out'], 'new')
    """

    def __init__(self, path, owns=None, keep=None):
        self.path = Path(path)
        self.owns = owns or (lambda folder: False)
        self.keep = keep or (lambda name: True)
        self.staging = None
        self._lock = None
        self._committed = False

    # hidden siblings: .NAME.lock, .NAME.build-<pid>-<random> (staging), .NAME.old-<pid>-<random> (two-rename
    # fallback); every one of them belongs to the holder of the lock
    def _sibling(self, kind):
        return self.path.parent / f".{self.path.name}.{kind}"

    def __enter__(self):
        parent = self.path.parent
        if self.path.exists() and not self.path.is_dir():
            raise KGError(f"{self.path}: exists and is not a folder")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KGError(f"{self.path}: cannot create its folder {parent} ({exc.strerror})") from None
        if not os.access(parent, os.W_OK | os.X_OK):
            raise KGError(f"{self.path}: cannot write into its folder {parent} (permission denied)")
        if self.path.exists() and not os.access(self.path, os.W_OK | os.X_OK):
            raise KGError(f"{self.path}: folder is not writable (permission denied)")
        self._lock = _acquire(self._sibling("lock"), self.path)
        try:
            self._clean()
            if self.path.is_dir() and any(self.path.iterdir()) and not self.owns(self.path):
                names = sorted(p.name for p in self.path.iterdir())
                shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
                raise KGError(f"{self.path}: holds files that kg did not write ({shown}); give a new or empty "
                              "folder, or a folder an earlier kg build wrote")
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.build-{os.getpid()}-", dir=parent))
            os.chmod(self.staging, self.path.stat().st_mode & 0o7777 if self.path.is_dir() else _default_dir_mode())
        except BaseException:
            self._release()
            raise
        return self

    def _clean(self):
        """Undo or remove what an interrupted holder of the lock left: staging folders, a half-done switch."""
        parent, name = self.path.parent, self.path.name
        old = sorted(parent.glob(f".{name}.old-*"))
        if old and not self.path.exists():
            os.rename(old[-1], self.path)  # killed between the two renames of the fallback: restore the old build
            old = old[:-1]
        for stale in [*parent.glob(f".{name}.build-*"), *old]:
            _remove(stale)
        if self.path.is_dir():
            for tmp in self.path.glob(".*.tmp"):  # from atomic_path in a folder written in place
                _remove(tmp)

    def commit(self):
        """Switch the staging folder in: one atomic exchange (Linux), else two renames."""
        if self.path.is_dir():
            for entry in self.path.iterdir():
                target = self.staging / entry.name
                if not target.exists() and not target.is_symlink() and self.keep(entry.name) \
                        and not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                    _carry(entry, target)
        if not self.path.exists():
            os.rename(self.staging, self.path)
        elif not exchange_paths(self.staging, self.path):
            old = self._sibling(f"old-{os.getpid()}-{secrets.token_hex(4)}")
            os.rename(self.path, old)
            os.rename(self.staging, self.path)  # killed before this line: the next build restores `old`
            self.staging = old
        self._committed = True

    def __exit__(self, *exc):
        try:
            if self.staging is not None and (self._committed or self.staging.exists()):
                _remove(self.staging)  # after a commit: the old build
        finally:
            self._release()

    def _release(self):
        if self._lock is not None:
            _release(*self._lock)
            self._lock = None


def _default_dir_mode():
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def _acquire(path, folder):
    """Take the lock file `path` (``flock``, not blocking); return what :func:`_release` needs."""
    try:
        import fcntl
    except ImportError:  # not POSIX: an exclusive create, removed on release
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise KGError(f"{folder}: another kg build is writing into it (or one died: remove {path})") from None
        return fd, path
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise KGError(f"{folder}: another kg build{who} is writing into it; wait for it to finish or "
                          "give another output folder") from None
        # the previous holder may have removed the file between our open and our lock: lock the current one
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            return fd, path
        os.close(fd)


def _release(fd, path):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # while still holding the lock (see _acquire)
    os.close(fd)
