"""``kg_title``: make the title a sentence of its own, before the parser runs.

:attr:`kg.records.Paper.text` is ``title + "\\n\\n" + abstract``. Titles have no final full stop, so the
parser would otherwise glue the title to the first sentence of the abstract. spaCy's parser respects
sentence starts that are already set, so this component marks them.
"""

from spacy.language import Language

__all__ = ["title_end", "title_colon", "sentences", "mark_title", "make_title"]


def title_end(doc):
    """Index of the first token of the abstract (the token after the first blank-line token), or None.

    Examples
    --------
    >>> import spacy
    >>> title_end(spacy.blank("en")("A title\\n\\nAn abstract."))
    3
    """
    for tok in doc:
        if tok.is_space and "\n\n" in tok.text and tok.i + 1 < len(doc):
            return tok.i + 1
    return None


def title_colon(doc, end=None):
    """Index of the first ":" of the title (before token `end`, the first of the abstract), or None.

    Examples
    --------
    >>> import spacy
    >>> title_colon(spacy.blank("en")("CBQ: Cross-Block Quantization\\n\\nWe quantize."), 5)
    1
    """
    return next((t.i for t in doc[:len(doc) if end is None else end] if t.text == ":"), None)


def sentences(doc):
    """The sentences of `doc`, or the whole doc as one when nothing set sentence boundaries (a tokenizer-only doc).

    Examples
    --------
    >>> import spacy
    >>> [s.text for s in sentences(spacy.blank("en")("One. Two."))]
    ['One. Two.']
    """
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return list(doc.sents)
    return [doc[:]]


def mark_title(doc):
    """Set ``is_sent_start`` so that the title is exactly one sentence; return `doc`."""
    end = title_end(doc)
    if end is None:
        return doc
    for tok in doc[1:end]:
        tok.is_sent_start = False
    doc[end].is_sent_start = True
    return doc


@Language.factory("kg_title")
def make_title(nlp, name):
    """Build the ``kg_title`` component (place it before the parser)."""
    return mark_title
