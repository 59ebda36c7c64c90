"""Reader of BibTeX databases (``.bib``) whose entries carry an ``abstract`` field, parsed with bibtexparser 2.

BibTeX as documented in Patashnik, "BibTeXing" (1988), with the ``abstract`` field that reference managers
(Zotero, Mendeley, Google Scholar, the arXiv and ACL Anthology exports) write. Each entry with a ``title`` and an
``abstract`` is a paper: LaTeX in its fields is decoded to Unicode (``{\\"o}`` -> ``ö``, braces dropped;
pylatexenc through bibtexparser's middleware), ``author`` is split at ``and``, the date comes from ``date`` or
``year`` and ``month``, the arXiv id from ``eprint`` (with ``archivePrefix = arXiv``), an arXiv ``url`` or ``doi``
``10.48550/arXiv.*``; the url from ``url`` or ``doi``. An entry without an abstract, and a block that does not
parse, is a bad record with its line.
"""

from ..records import Paper, paper_id_for_title
from .fields import MONTHS, arxiv_id, bad_record, clean_title, fold, iso_date

__all__ = ["parse_bibtex"]

#: Entry types that are not publications.
_NOT_ENTRIES = {"string", "preamble", "comment"}


def _library(text):
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

    return bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()])


def _date(fields):
    if fields.get("date"):
        return iso_date(fields["date"])
    year = str(fields.get("year") or "").strip()
    month = str(fields.get("month") or "").strip().lower().rstrip(".")
    if month.isdigit():
        month = int(month)
    else:
        month = MONTHS.get(month[:3]) if month else None
    return iso_date(f"{year}-{month:02d}" if year and month else year or None)


def _arxiv(fields):
    if str(fields.get("archiveprefix", "")).lower() == "arxiv" and fields.get("eprint"):
        found = arxiv_id(str(fields["eprint"]))
        if found:
            return found
    url, doi = str(fields.get("url") or ""), str(fields.get("doi") or "")
    if "arxiv.org/" in url:
        return arxiv_id(url)
    if doi.lower().startswith("10.48550/arxiv."):
        return arxiv_id(doi[len("10.48550/arxiv."):])
    return None


def _entry_paper(entry, source, position):
    """The Paper of one entry; ValueError when it is not a paper with an abstract."""
    fields = {k.lower(): v for k, v in entry.fields_dict.items()}
    fields = {k: f.value for k, f in fields.items()}
    title = clean_title(str(fields.get("title") or ""))
    abstract = str(fields.get("abstract") or "").strip()
    if not title or not abstract:
        raise ValueError(f"entry {entry.key!r} has no {'title' if not title else 'abstract'}")
    authors = fields.get("author") or []
    authors = [fold(str(a)) for a in (authors if isinstance(authors, list) else [authors]) if str(a).strip()]
    doi = str(fields.get("doi") or "").strip()
    url = str(fields.get("url") or "").strip() or (f"https://doi.org/{doi}" if doi else None)
    return Paper(
        id=_arxiv(fields) or paper_id_for_title(title),
        title=title,
        abstract=abstract,
        date=_date(fields),
        source=str(source),
        position=position,
        authors=authors,
        n_authors=len(authors) or None,
        url=url,
    )


def parse_bibtex(text, source="", on_error=None, fields=None):
    """Yield the papers of a BibTeX database.

    Parameters
    ----------
    text : str
    source : str
        The file it was read from (recorded in each Paper and in errors).
    on_error : callable, optional
        Called with an :class:`~kg.errors.InputError` for each entry without a title or abstract and each block
        that does not parse; it is skipped. Default: raise it.
    fields : dict, optional
        Ignored: BibTeX fields have fixed names.

    Yields
    ------
    Paper
        ``position`` is the line where the entry starts.

    Examples
    --------
    >>> bib = '''@article{hu2021lora,
    ...   title = {{LoRA}: Low-Rank Adaptation of Large Language Models},
    ...   author = {Hu, Edward J. and M{\\\\"u}ller, J.}, year = 2021, month = jun,
    ...   eprint = {2106.09685}, archivePrefix = {arXiv},
    ...   abstract = {We propose {LoRA}.}}'''
    >>> [(p.id, p.title, p.authors, p.date, p.abstract) for p in parse_bibtex(bib)]
    [('2106.09685', 'LoRA: Low-Rank Adaptation of Large Language Models', ['Hu, Edward J.', 'Müller, J.'], '2021-06', 'We propose LoRA.')]
    """
    library = _library(text)
    items = [(block.start_line + 1, block) for block in library.entries]
    items += [(block.start_line + 1, block) for block in library.failed_blocks]
    for position, block in sorted(items, key=lambda item: item[0]):
        try:
            if hasattr(block, "error"):
                message = " ".join(str(block.error).split())
                raise ValueError(f"BibTeX block that does not parse ({message})")
            if block.entry_type.lower() in _NOT_ENTRIES:
                continue
            paper = _entry_paper(block, source, position)
        except ValueError as exc:
            bad_record(on_error, source, str(exc), position)
            continue
        yield paper
