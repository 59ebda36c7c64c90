"""How scientific prose is cut into tokens: the English tokenizer without its emoticon exceptions.

Used wherever a spaCy pipeline is loaded (:func:`kg.extract.load_pipeline`, ``kg train``), so that training and
extraction see the same tokens.
"""

__all__ = ["prose_tokenizer"]

#: Characters of the tokenizer's emoticon exceptions that papers write as punctuation ("(AdaPT): A ...").
_EMOTICON_CHARS = set("()[]:;=")


def prose_tokenizer(nlp):
    """Drop the tokenizer's emoticon exceptions made of brackets and colons (``"):"``, ``":("``), so that
    "Adaptive Precision Training (AdaPT): A ..." splits into ``)`` and ``:``; return `nlp`.

    Examples
    --------
    >>> import spacy
    >>> [t.text for t in prose_tokenizer(spacy.blank("en"))("X (Y): Z")]
    ['X', '(', 'Y', ')', ':', 'Z']
    """
    rules = nlp.tokenizer.rules
    nlp.tokenizer.rules = {k: v for k, v in rules.items() if not (k and set(k) <= _EMOTICON_CHARS)}
    return nlp
