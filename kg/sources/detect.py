"""Reading an input file as text and detecting its format.

A file must be non-empty UTF-8 text (RFC 3629; a byte-order mark is allowed). Its format comes from its
extension when that is unambiguous, else from its content: ``{`` or ``[`` first -> JSON Lines, an XML
declaration or ``<feed`` -> arXiv Atom, a header line naming ``title`` and ``abstract`` -> CSV, paragraphs of
text with abstract-length lines -> Hugging Face Daily Papers listing text.
"""

import os

from ..errors import InputError

__all__ = ["FORMATS", "EXTENSIONS", "read_text", "detect_format", "sniff_format"]

#: Input formats, in the order they are documented.
FORMATS = ("hf", "jsonl", "csv", "arxiv")

#: File extension (lower case) -> format.
EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".xml": "arxiv", ".atom": "arxiv",
    ".txt": "hf",
}

#: A line at least this long is taken for an abstract when sniffing listing text.
ABSTRACT_MIN = 300

_SNIFF_BYTES = 8192


def _looks_binary(head):
    """True when a byte string has NULs or many control bytes (not text in any 8-bit or UTF-8 encoding)."""
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) // 20


def read_text(path):
    """The text of an input file, refusing files that are missing, empty, binary or not UTF-8.

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
    >>> sniff_format('<?xml version="1.0"?><feed/>')
    'arxiv'
    >>> sniff_format('id,Title,Abstract\\n1,T,A\\n')
    'csv'
    >>> sniff_format('hello') is None
    True
    """
    body = text.lstrip()
    if body.startswith(("{", "[")):
        return "jsonl"
    if body.startswith(("<?xml", "<feed", "<")):
        return "arxiv"
    first = body.split("\n", 1)[0].lower()
    for sep in (",", "\t", ";"):
        cols = [c.strip().strip('"') for c in first.split(sep)]
        if "title" in cols and "abstract" in cols:
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
    ext = os.path.splitext(str(path))[1].lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    fmt = sniff_format(text)
    if fmt is None:
        raise InputError(
            path, f"cannot detect the input format; name it explicitly, one of: {', '.join(FORMATS)}",
        )
    return fmt
