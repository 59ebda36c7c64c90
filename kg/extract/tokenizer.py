"""How scientific prose is cut into tokens: the English tokenizer without its emoticon exceptions, with
LaTeX's non-breaking space "~" as a token of its own, and a setting's "=" between its name and value.

Used wherever a spaCy pipeline is loaded (:func:`kg.extract.load_pipeline`, ``kg train``), so that training and
extraction see the same tokens.
"""

from spacy.util import compile_infix_regex

__all__ = ["prose_tokenizer"]

#: Characters of the tokenizer's emoticon exceptions that papers write as punctuation ("(AdaPT): A ...").
_EMOTICON_CHARS = set("()[]:;=")
#: LaTeX's non-breaking space between words ("Sampler~(DEIS)", "Sanghavi~jns13") and a bracket right after it.
_TILDE_INFIXES = [r"~", r"(?<=~)\("]
#: A closing bracket glued to a hyphenated word: "Monte Carlo (MC)-based", "Token Transition Variation (TTV)-which".
_BRACKET_HYPHEN_INFIXES = [r"(?<=\w)\)(?=-[A-Za-z])", r"(?<=\))-(?=[A-Za-z])"]
#: A setting written as name=value: "CFG=7.5", "NFE=5" are the name, "=" and the value.
_SETTING_INFIXES = [r"(?<=[A-Za-z])=(?=[0-9])"]


def prose_tokenizer(nlp):
    """Drop the tokenizer's emoticon exceptions made of brackets and colons (``"):"``, ``":("``), so that
    "Adaptive Precision Training (AdaPT): A ..." splits into ``)`` and ``:``, and split at a "~" written
    between words, so that "Integrator Sampler~(DEIS)" defines an abbreviation, and at a closing bracket glued to
    a hyphen ("Monte Carlo (MC)-based"), and at the "=" of a setting ("CFG=7.5"); return `nlp`.

    Examples
    --------
    >>> import spacy
    >>> [t.text for t in prose_tokenizer(spacy.blank("en"))("X (Y): Z")]
    ['X', '(', 'Y', ')', ':', 'Z']
    >>> [t.text for t in prose_tokenizer(spacy.blank("en"))("Sampler~(DEIS)")]
    ['Sampler', '~', '(', 'DEIS', ')']
    >>> [t.text for t in prose_tokenizer(spacy.blank("en"))("Monte Carlo (MC)-based")]
    ['Monte', 'Carlo', '(', 'MC', ')', '-', 'based']
    >>> [t.text for t in prose_tokenizer(spacy.blank("en"))("(NFE=5, CFG=7.5)")]
    ['(', 'NFE', '=', '5', ',', 'CFG', '=', '7.5', ')']
    """
    rules = nlp.tokenizer.rules
    nlp.tokenizer.rules = {k: v for k, v in rules.items() if not (k and set(k) <= _EMOTICON_CHARS)}
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + _TILDE_INFIXES +
                                                _BRACKET_HYPHEN_INFIXES + _SETTING_INFIXES).finditer
    return nlp
