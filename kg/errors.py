"""Exceptions raised by `kg`.

One base class, :class:`KGError`; the library raises, only the CLI turns errors into exit codes
(the pattern of ``networkx/exception.py``).
"""

__all__ = ["KGError", "InputError", "QueryError", "ValidationError"]


class KGError(Exception):
    """Base class of every error `kg` raises on purpose."""


class InputError(KGError):
    """Bad input: a missing, unreadable, empty or malformed file.

    Parameters
    ----------
    path : str or os.PathLike
        The file (or directory) at fault.
    message : str
        What is wrong, in one line.
    line : int, optional
        1-based line number within `path`, when the fault is on one line.

    Attributes
    ----------
    details : list of InputError
        The individual problems behind this one (e.g. every bad record of an input without a good one); the
        command line prints them before the error.
    """

    def __init__(self, path, message, line=None):
        self.path = str(path)
        self.line = line
        self.message = message
        self.details = []
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # picklable, so that it can come back from a worker process
        return type(self), (self.path, self.message, self.line), {"details": self.details}


class QueryError(KGError):
    """A SPARQL query the engine rejected; the message is the engine's."""


class ValidationError(KGError):
    """Output that does not conform to the SHACL shapes."""
