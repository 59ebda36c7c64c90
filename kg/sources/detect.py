"""Reading an input file as text and detecting its format.

A file must be non-empty UTF-8 text (RFC 3629; a byte-order mark is allowed), optionally compressed with gzip
(RFC 1952), bzip2 or xz (told by their magic bytes, not by the name). Its format comes from its extension (the
one before ``.gz``, ``.bz2`` or ``.xz``) when that is unambiguous, else from its content: ``[`` first -> a JSON
array, ``{`` -> JSON Lines, an XML declaration or ``<feed`` -> arXiv Atom, an ``@type{`` entry -> BibTeX, a header
line naming a title and an abstract column -> CSV, paragraphs of text with abstract-length lines -> Hugging Face
Daily Papers listing text.
"""

import bz2
import gzip
import io
import lzma
import os
import re
import zlib

from ..errors import InputError
from .fields import SYNONYMS

__all__ = ["FORMATS", "EXTENSIONS", "COMPRESSIONS", "MAX_INPUT_BYTES", "read_text", "detect_format", "sniff_format",
           "input_extension", "is_input_name"]

#: Input formats, in the order they are documented.
FORMATS = ("hf", "jsonl", "json", "csv", "arxiv", "bibtex")

#: File extension (lower case) -> format.
EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "csv",
    ".xml": "arxiv", ".atom": "arxiv",
    ".bib": "bibtex", ".bibtex": "bibtex",
    ".txt": "hf",
}

#: Compression suffix -> (magic bytes, decompressor module).
COMPRESSIONS = {".gz": (b"\x1f\x8b", gzip), ".bz2": (b"BZh", bz2), ".xz": (b"\xfd7zXZ\x00", lzma)}

#: An input file larger than this (after decompression) is refused rather than read into memory.
MAX_INPUT_BYTES = 2 << 30

_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)

#: A line at least this long is taken for an abstract when sniffing listing text.
ABSTRACT_MIN = 300

_SNIFF_BYTES = 8192


def _looks_binary(head):
    """True when a byte string has NULs or many control bytes (not text in any 8-bit or UTF-8 encoding)."""
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) // 20


def input_extension(path):
    """The extension that tells the format of `path`: the last one, or the one before a compression suffix.

    >>> input_extension("papers.JSONL.gz"), input_extension("a/b.csv"), input_extension("NOTES")
    ('.jsonl', '.csv', '')
    """
    stem, ext = os.path.splitext(os.path.basename(str(path)))
    if ext.lower() in COMPRESSIONS:
        ext = os.path.splitext(stem)[1]
    return ext.lower()


def is_input_name(path):
    """True when the name of `path` says it is an input file of a known format (see :data:`EXTENSIONS`).

    >>> is_input_name("2024-10-22.txt"), is_input_name("papers.jsonl.gz"), is_input_name("NOTES.md")
    (True, True, False)
    """
    return input_extension(path) in EXTENSIONS


def _decompress(data, path):
    """`data` decompressed when its magic bytes show gzip, bzip2 or xz; at most :data:`MAX_INPUT_BYTES`."""
    for suffix, (magic, module) in COMPRESSIONS.items():
        if data.startswith(magic):
            break
    else:
        return data
    try:
        with module.open(io.BytesIO(data)) as fh:
            out = fh.read(MAX_INPUT_BYTES + 1)
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
        raise InputError(path, f"not a valid {suffix[1:]} file ({exc})") from None
    if len(out) > MAX_INPUT_BYTES:
        raise InputError(path, f"more than {MAX_INPUT_BYTES >> 20} MiB once decompressed; split the input")
    return out


def read_text(path):
    """The text of an input file, refusing files that are missing, empty, binary or not UTF-8.

    Files compressed with gzip, bzip2 or xz are decompressed first (whatever their name).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    str
        The decoded text (without a byte-order mark).

    Raises
    ------
    InputError
        Naming the file, and for undecodable bytes the line where the first one is.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(path, f"more than {MAX_INPUT_BYTES >> 20} MiB; split the input")
    data = _decompress(data, path)
    if not data.strip():
        raise InputError(path, "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "UTF-16 text; convert it to UTF-8")
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise InputError(path, "binary file, expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8", line,
        ) from None
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def sniff_format(text):
    """The format of `text` judged from its content alone, or None when it looks like none of them.

    Examples
    --------
    >>> sniff_format('{"title": "T", "abstract": "A"}\\n')
    'jsonl'
    >>> sniff_format('[{"title": "T", "abstract": "A"}]')
    'json'
    >>> sniff_format('<?xml version="1.0"?><feed/>')
    'arxiv'
    >>> sniff_format('id,Title,Abstract\\n1,T,A\\n'), sniff_format('titles,summaries,terms\\nT,A,x\\n')
    ('csv', 'csv')
    >>> sniff_format('% refs\\n@article{k, title={T}}')
    'bibtex'
    >>> sniff_format('hello') is None
    True
    """
    body = text.lstrip()
    if body.startswith("["):
        return "json"
    if body.startswith("{"):
        return "jsonl"
    if body.startswith(("<?xml", "<feed", "<")):
        return "arxiv"
    if _BIBTEX_ENTRY.search(body[:_SNIFF_BYTES]):
        return "bibtex"
    first = body.split("\n", 1)[0].lower()
    titles, abstracts = {"title", *SYNONYMS["title"]}, {"abstract", *SYNONYMS["abstract"]}
    for sep in (",", "\t", ";"):
        cols = {c.strip().strip('"') for c in first.split(sep)}
        if cols & titles and cols & abstracts:
            return "csv"
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    long_lines = sum(len(ln) >= ABSTRACT_MIN for ln in lines)
    if long_lines and long_lines < len(lines):
        return "hf"
    return None


def detect_format(path, text):
    """The format of one input file: from its extension, else from its content.

    Parameters
    ----------
    path : str or os.PathLike
    text : str
        The file's text (see :func:`read_text`).

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    InputError
        When neither the extension nor the content tells the format.
    """
    ext = input_extension(path)
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    fmt = sniff_format(text)
    if fmt is None:
        raise InputError(
            path, f"cannot detect the input format; name it explicitly, one of: {', '.join(FORMATS)}",
        )
    return fmt
