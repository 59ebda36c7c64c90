"""Input readers: one module per format, all yielding the same :class:`~kg.records.Paper` record.

Formats (:data:`FORMATS`): ``hf`` Hugging Face Daily Papers listing text (:mod:`.hf_daily`), ``jsonl`` JSON
Lines and ``json`` JSON arrays (:mod:`.jsonl`), ``csv`` (:mod:`.tabular`), ``arxiv`` arXiv API Atom XML
(:mod:`.arxiv`) and ``bibtex`` (:mod:`.bibtex`); any of them may be compressed (gzip, bzip2, xz). The format of
each file is detected from its extension and content (:mod:`.detect`) unless given. Issue 2 of the project
("Readers", "Bad input") and issue 19 ("Readers and input") are the specification.

Errors follow one rule: a file that cannot be read as its format at all raises
:class:`~kg.errors.InputError`; a bad record in an otherwise good file is skipped and reported (or raises with
``strict=True``). A record over a limit (:data:`MAX_TITLE_CHARS`, :data:`MAX_ABSTRACT_CHARS`, and the JSON limits
of :mod:`.jsonl`) is a bad record. In a directory, files whose name is not that of an input format (``NOTES.md``)
are skipped with a note; a file named on its own is always read.
"""

import os
from pathlib import Path

from ..errors import InputError
from ..records import Paper
from .arxiv import parse_arxiv
from .bibtex import parse_bibtex
from .detect import EXTENSIONS, FORMATS, detect_format, is_input_name, read_text
from .fields import check_field_map, clean_title, fold, paper_from_record, split_authors
from .hf_daily import parse_hf_daily
from .jsonl import parse_json, parse_jsonl
from .tabular import parse_csv

__all__ = ["FORMATS", "PARSERS", "MAX_TITLE_CHARS", "MAX_ABSTRACT_CHARS", "read_papers", "read_records",
           "iter_papers", "input_files", "merge_papers", "check_paper", "check_format"]

#: Format -> parser ``parse(text, source, on_error)`` yielding papers.
PARSERS = {"hf": parse_hf_daily, "jsonl": parse_jsonl, "json": parse_json, "csv": parse_csv, "arxiv": parse_arxiv,
           "bibtex": parse_bibtex}
#: Formats whose parser also takes a field map (``fields=``: other names of the title and abstract columns).
_MAPPED = {"jsonl", "json", "csv"}

#: Longest title accepted, in characters.
MAX_TITLE_CHARS = 2_000
#: Longest abstract accepted, in characters: an abstract is at most a few thousand; a longer text is a full text
#: or a mistake, and would take minutes and gigabytes to parse (spaCy refuses a million characters outright).
MAX_ABSTRACT_CHARS = 50_000

#: Paper fields a later duplicate may fill in when the first occurrence lacks them.
_FILLABLE = ("abstract", "date", "authors", "n_authors", "organisation", "url", "upvotes")


def check_format(format, where="input"):
    """The format name `format` in lower case (None stays None); InputError naming `where` when unknown."""
    if format is None:
        return None
    if str(format).lower() not in FORMATS:
        raise InputError(where, f"unknown input format {format!r}; expected one of: {', '.join(FORMATS)}")
    return str(format).lower()


def check_paper(paper):
    """What puts a paper over a limit (:data:`MAX_TITLE_CHARS`, :data:`MAX_ABSTRACT_CHARS`), or None.

    Examples
    --------
    >>> check_paper(Paper("p", "T", "x" * 60_000))
    'abstract of 60,000 characters, more than the limit of 50,000 (an abstract is expected, not a full text)'
    """
    if len(paper.title) > MAX_TITLE_CHARS:
        return f"title of {len(paper.title):,} characters, more than the limit of {MAX_TITLE_CHARS:,}"
    if len(paper.abstract) > MAX_ABSTRACT_CHARS:
        return (f"abstract of {len(paper.abstract):,} characters, more than the limit of {MAX_ABSTRACT_CHARS:,} "
                "(an abstract is expected, not a full text)")
    return None


def input_files(path, skipped=None):
    """The files an input path stands for: itself, or a directory's input files, sorted by name.

    A directory stands for its regular, non-hidden files whose name ends in an input extension
    (:data:`kg.sources.detect.EXTENSIONS`, optionally followed by ``.gz``, ``.bz2`` or ``.xz``); its other files
    are skipped, each with a note.

    Parameters
    ----------
    path : str or os.PathLike
    skipped : list, optional
        Receives an :class:`~kg.errors.InputError` note for each file of a directory that is skipped.

    Returns
    -------
    list of str
        Paths spelled as given (a directory's files joined to it).

    Raises
    ------
    InputError
        When the path does not exist or is a directory without input files.
    """
    p = Path(path)
    if p.is_dir():
        names = sorted(c.name for c in p.iterdir() if not c.name.startswith(".") and c.is_file())
        others = [name for name in names if not is_input_name(name)]
        for name in others:
            if skipped is not None:
                skipped.append(InputError(os.path.join(str(path), name), "skipped: not a paper file (input files "
                                          f"end in {', '.join(EXTENSIONS)}; name a file on its own to read it)"))
        names = [name for name in names if is_input_name(name)]
        if not names:
            found = f" (skipped: {', '.join(others[:5])}{', ...' if len(others) > 5 else ''})" if others else ""
            raise InputError(path, "directory has no readable files (none with an input extension; hidden files "
                                   f"and subdirectories are skipped){found}")
        return [os.path.join(str(path), name) for name in names]
    if not p.exists():
        raise InputError(path, "no such file or directory")
    return [str(path)]


def iter_papers(path, format=None, strict=False, warnings=None, fields=None):
    """Yield the papers of one input path (a file or a directory), without merging duplicates.

    Parameters
    ----------
    path : str or os.PathLike
    format : str, optional
        One of :data:`FORMATS`; default: detected per file.
    strict : bool
        Raise at the first bad record instead of skipping it.
    warnings : list, optional
        Receives an :class:`~kg.errors.InputError` for each skipped record, and a note for each skipped file
        of a directory.
    fields : dict, optional
        ``{"title": name, "abstract": name}``: the keys or columns holding them in JSON and CSV input, when
        they are neither the usual names nor a synonym (:data:`kg.sources.fields.SYNONYMS`).

    Yields
    ------
    Paper
        ``source`` is the file as given.

    Raises
    ------
    InputError
        See :func:`read_papers`.
    """
    format = check_format(format, path)
    try:
        fields = check_field_map(fields)
    except ValueError as exc:
        raise InputError(path, str(exc)) from None
    for file in input_files(path, warnings):
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
        options = {"fields": fields} if fmt in _MAPPED and fields else {}
        for paper in PARSERS[fmt](text, file, on_error, **options):
            problem = check_paper(paper)
            if problem:
                on_error(InputError(file, f"record over a limit: {problem}", paper.position))
                continue
            count += 1
            yield paper
        if not count and not skipped:
            raise InputError(file, f"no papers found (read as {fmt}; expected one of: {', '.join(FORMATS)})")


def _title_key(paper):
    # a paper without a title (an abstract alone) is known by its abstract
    return fold(paper.title).lower() if paper.title.strip() else "abstract:" + fold(paper.abstract).lower()


def merge_papers(papers, warnings=None, strict=False):
    """Merge duplicates: papers with the same id, or the same title (case and white space aside), are one.

    The first occurrence wins (its id, text, source and position); fields it lacks are filled from later ones.
    A later paper with the id of an earlier one but another title is not the same paper: it is skipped and
    reported (or, with `strict`, raises).

    Parameters
    ----------
    papers : iterable of Paper
    warnings : list, optional
        Receives an :class:`~kg.errors.InputError` for each paper skipped for its duplicate id.
    strict : bool
        Raise on a duplicate id with another title.

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
    >>> notes = []
    >>> [p.title for p in merge_papers([a, Paper("p1", "Another", "B", source="x.jsonl", position=7)], notes)]
    ['T']
    >>> print(notes[0])
    x.jsonl:7: paper id 'p1' is already that of another paper ('T'); this record is skipped (give it its own id)
    """
    merged, by_key = [], {}
    for paper in papers:
        same_id = by_key.get(("id", paper.id))
        if same_id is not None and _title_key(same_id) != _title_key(paper):
            error = InputError(paper.source or "input", f"paper id {paper.id!r} is already that of another paper "
                               f"({same_id.title!r}); this record is skipped (give it its own id)", paper.position)
            if strict:
                raise error
            if warnings is not None:
                warnings.append(error)
            continue
        first = same_id or by_key.get(("title", _title_key(paper)))
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


def read_papers(paths, format=None, strict=False, warnings=None, fields=None):
    """Read every paper of the input files and directories, duplicates merged.

    Parameters
    ----------
    paths : str, os.PathLike or iterable of them
        Files, or directories standing for their input files (sorted; other files are skipped with a note).
    format : str, optional
        One of :data:`FORMATS` (``"hf"``, ``"jsonl"``, ``"json"``, ``"csv"``, ``"arxiv"``, ``"bibtex"``);
        default: detected per file from its extension and content.
    strict : bool
        Raise at the first bad record (or duplicate id) instead of skipping it.
    warnings : list, optional
        Receives an :class:`~kg.errors.InputError` (file, line, message) for each skipped record and each
        skipped file of a directory.
    fields : dict, optional
        ``{"title": name, "abstract": name}``: other names of the title and abstract keys or columns (JSON and
        CSV input); see :func:`iter_papers`.

    Returns
    -------
    list of Paper
        Merged by :func:`merge_papers`; ``source`` is the file's name (without its directory, so that no
        output records a local path) and ``position`` its 1-based line.

    Raises
    ------
    InputError
        Naming the file (and line where it applies): an unknown format, a missing path, a directory without
        input files, an empty, binary or non-UTF-8 file, a file whose format cannot be detected or that is not
        its format at all (a CSV without title/abstract columns, XML that does not parse), a bad record when
        `strict`, and an input without any paper. When every record was bad, the error's ``details`` lists
        them and its message gives the first.

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
    check_format(format, where)
    if not paths:
        raise InputError(where, "no input files given")
    notes = []
    papers = merge_papers((p for path in paths for p in iter_papers(path, format, strict, notes, fields)),
                          notes, strict)
    if warnings is not None:
        warnings.extend(notes)
    if not papers:
        bad = [n for n in notes if not n.message.startswith("skipped:")]
        if bad:
            error = InputError(where, f"no papers found in the input: every record was bad ({len(bad)} skipped; "
                                      f"the first: {bad[0]})")
        else:
            error = InputError(where, "no papers found in the input")
        error.details = notes
        raise error
    for paper in papers:
        paper.source = os.path.basename(paper.source)
    return papers


def read_records(records, strict=False, warnings=None, fields=None, source="records"):
    """Papers from Python objects: dicts (as JSON records) or :class:`~kg.records.Paper` objects.

    A dict is read like a JSON record (:func:`kg.sources.fields.paper_from_record`: ``title`` and ``abstract``
    or their synonyms, ``authors`` as a list or a ``;``-separated string ...). A Paper is taken as it is, except
    that ``authors`` given as one string is split like a record's. Limits and duplicates are handled as for
    files (:func:`check_paper`, :func:`merge_papers`).

    Parameters
    ----------
    records : iterable of dict or Paper
    strict : bool
        Raise at the first bad record instead of skipping it.
    warnings : list, optional
        Receives an :class:`~kg.errors.InputError` for each skipped record (its ``line`` is its 1-based index).
    fields : dict, optional
        ``{"title": key, "abstract": key}`` (see :func:`iter_papers`).
    source : str
        What the errors name as the input.

    Returns
    -------
    list of Paper

    Raises
    ------
    InputError
        For a bad record when `strict`, and when no record is a paper.

    Examples
    --------
    >>> [(p.id, p.authors) for p in read_records([{"id": "p1", "title": "T", "summary": "A.", "authors": "A; B"}])]
    [('p1', ['A', 'B'])]
    """
    try:
        fields = check_field_map(fields)
    except ValueError as exc:
        raise InputError(source, str(exc)) from None
    if isinstance(records, (dict, Paper, str, bytes)):
        records = [records]
    notes, papers = [], []
    for i, record in enumerate(records, 1):
        try:
            if isinstance(record, Paper):
                paper = Paper(**{**record.__dict__, "title": clean_title(record.title),
                                 "authors": split_authors(record.authors)})
                if not paper.title or not str(paper.abstract or "").strip():
                    raise ValueError(f"paper {paper.id!r} has no {'title' if not paper.title else 'abstract'}")
                if not paper.position:
                    paper.position = i
            elif isinstance(record, dict):
                paper = paper_from_record(record, "", i, fields)
            else:
                raise ValueError(f"expected a dict or a Paper, got {type(record).__name__}")
            problem = check_paper(paper)
            if problem:
                raise ValueError(f"record over a limit: {problem}")
        except ValueError as exc:
            error = InputError(source, str(exc), i)
            if strict:
                raise error from None
            notes.append(error)
            continue
        papers.append(paper)
    papers = merge_papers(papers, notes, strict)
    if warnings is not None:
        warnings.extend(notes)
    if not papers:
        error = InputError(source, f"no papers: every record was bad ({len(notes)} skipped; the first: {notes[0]})"
                           if notes else "no records given")
        error.details = notes
        raise error
    return papers
