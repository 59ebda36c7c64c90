"""Input readers: one module per format, all yielding the same :class:`~kg.records.Paper` record.

Formats (:data:`FORMATS`): ``hf`` Hugging Face Daily Papers listing text (:mod:`.hf_daily`), ``jsonl`` JSON
Lines (:mod:`.jsonl`), ``csv`` (:mod:`.tabular`) and ``arxiv`` arXiv API Atom XML (:mod:`.arxiv`). The format of
each file is detected from its extension and content (:mod:`.detect`) unless given. Issue 2 of the project
("Readers", "Bad input") is the specification.

Errors follow one rule: a file that cannot be read as its format at all raises
:class:`~kg.errors.InputError`; a bad record in an otherwise good file is skipped and reported (or raises with
``strict=True``).
"""

import os
from pathlib import Path

from ..errors import InputError
from ..records import Paper
from .arxiv import parse_arxiv
from .detect import FORMATS, detect_format, read_text
from .fields import fold
from .hf_daily import parse_hf_daily
from .jsonl import parse_jsonl
from .tabular import parse_csv

__all__ = ["FORMATS", "PARSERS", "read_papers", "iter_papers", "input_files", "merge_papers"]

#: Format -> parser ``parse(text, source, on_error)`` yielding papers.
PARSERS = {"hf": parse_hf_daily, "jsonl": parse_jsonl, "csv": parse_csv, "arxiv": parse_arxiv}

#: Paper fields a later duplicate may fill in when the first occurrence lacks them.
_FILLABLE = ("abstract", "date", "authors", "n_authors", "organisation", "url", "upvotes")


def _check_format(format, where):
    if format is None:
        return None
    if str(format).lower() not in FORMATS:
        raise InputError(where, f"unknown input format {format!r}; expected one of: {', '.join(FORMATS)}")
    return str(format).lower()


def input_files(path):
    """The files an input path stands for: itself, or a directory's regular non-hidden files, sorted by name.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    list of str
        Paths spelled as given (a directory's files joined to it).

    Raises
    ------
    InputError
        When the path does not exist or is a directory without such files.
    """
    p = Path(path)
    if p.is_dir():
        names = sorted(c.name for c in p.iterdir() if not c.name.startswith(".") and c.is_file())
        if not names:
            raise InputError(path, "directory has no readable files (hidden files and subdirectories are skipped)")
        return [os.path.join(str(path), name) for name in names]
    if not p.exists():
        raise InputError(path, "no such file or directory")
    return [str(path)]


def iter_papers(path, format=None, strict=False, warnings=None):
    """Yield the papers of one input path (a file or a directory), without merging duplicates.

    Parameters
    ----------
    path : str or os.PathLike
    format : str, optional
        One of :data:`FORMATS`; default: detected per file.
    strict : bool
        Raise at the first bad record instead of skipping it.
    warnings : list, optional
        Receives an :class:`~kg.errors.InputError` for each skipped record.

    Yields
    ------
    Paper

    Raises
    ------
    InputError
        See :func:`read_papers`.
    """
    format = _check_format(format, path)
    for file in input_files(path):
        text = read_text(file)
        fmt = format or detect_format(file, text)
        skipped = []

        def on_error(error):
            if strict:
                raise error
            skipped.append(error)
            if warnings is not None:
                warnings.append(error)

        count = 0
        for paper in PARSERS[fmt](text, file, on_error):
            count += 1
            yield paper
        if not count and not skipped:
            raise InputError(file, f"no papers found (read as {fmt}; expected one of: {', '.join(FORMATS)})")


def _title_key(paper):
    return fold(paper.title).lower()


def merge_papers(papers):
    """Merge duplicates: papers with the same id, or the same title (case and white space aside), are one.

    The first occurrence wins (its id, text, source and position); fields it lacks are filled from later ones.

    Parameters
    ----------
    papers : iterable of Paper

    Returns
    -------
    list of Paper
        In order of first occurrence; the inputs are not modified.

    Examples
    --------
    >>> a = Paper("p1", "T", "A", upvotes=3)
    >>> b = Paper("p1", "T", "A", date="2024-10-22", upvotes=5)
    >>> [(p.id, p.date, p.upvotes) for p in merge_papers([a, b])]
    [('p1', '2024-10-22', 3)]
    """
    merged, by_key = [], {}
    for paper in papers:
        first = by_key.get(("id", paper.id)) or by_key.get(("title", _title_key(paper)))
        if first is None:
            first = Paper(**{**paper.__dict__, "authors": list(paper.authors)})
            merged.append(first)
        else:
            for name in _FILLABLE:
                if not getattr(first, name) and getattr(paper, name):
                    setattr(first, name, getattr(paper, name))
        by_key.setdefault(("id", paper.id), first)
        by_key.setdefault(("title", _title_key(paper)), first)
    return merged


def read_papers(paths, format=None, strict=False, warnings=None):
    """Read every paper of the input files and directories, duplicates merged.

    Parameters
    ----------
    paths : str, os.PathLike or iterable of them
        Files, or directories standing for their regular non-hidden files (sorted).
    format : str, optional
        One of :data:`FORMATS` (``"hf"``, ``"jsonl"``, ``"csv"``, ``"arxiv"``); default: detected per file from
        its extension and content.
    strict : bool
        Raise at the first bad record instead of skipping it.
    warnings : list, optional
        Receives an :class:`~kg.errors.InputError` (file, line, message) for each skipped record.

    Returns
    -------
    list of Paper
        Merged by :func:`merge_papers`; ``source`` is the file as given and ``position`` its 1-based line.

    Raises
    ------
    InputError
        Naming the file (and line where it applies): an unknown format, a missing path, a directory without
        files, an empty, binary or non-UTF-8 file, a file whose format cannot be detected or that is not its
        format at all (JSON that is not JSON Lines, a CSV without title/abstract columns, XML that does not
        parse), a bad record when `strict`, and an input without any paper.

    Examples
    --------
    >>> read_papers(["no/such/file.jsonl"])
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no/such/file.jsonl: no such file or directory
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    where = ", ".join(str(p) for p in paths) or "input"
    _check_format(format, where)
    if not paths:
        raise InputError(where, "no input files given")
    papers = merge_papers(p for path in paths for p in iter_papers(path, format, strict, warnings))
    if not papers:
        raise InputError(where, "no papers found in the input (every record was skipped as bad)")
    return papers
