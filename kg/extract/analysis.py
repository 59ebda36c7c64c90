"""``kg_analysis``: what later components need to know about the whole abstract, computed once.

Runs after the parser and the abbreviation finder and sets ``doc._.kg_analysis`` to a :class:`DocAnalysis`:

* the title: where the abstract starts (:func:`kg.extract.sentences.title_end`) and the title's colon;
* the role scopes (:func:`kg.extract.roles.role_scopes` and :func:`kg.extract.roles.own_scopes`): the tokens
  heading what "we propose", the title's leading name, the first tokens of the sentences about the work itself
  (own vs background sentences), the tokens of what the paper compares against or improves on, of what it uses,
  of what it does without (negated), and the paper's own names in appositions, definitions and claims;
* the abbreviation pairs (``doc._.kg_abbreviations``, from ``kg_abbreviations``).

The mention classifier reads the scopes as features, the entity assembler decides roles from them, the
relation component finds the paper's contribution (its *anchor*) and compared regions in them.
"""

from dataclasses import dataclass, field

from spacy.language import Language

from .extensions import register_extensions
from .role_context import negated_tokens
from .roles import own_scopes, role_scopes
from .sentences import title_colon

__all__ = ["DocAnalysis", "analyse", "make_analysis"]


@dataclass
class DocAnalysis:
    """The analysis of one abstract (see the module docstring).

    Attributes
    ----------
    title_end : int or None
        Index of the first token of the abstract (None: no title).
    title_colon : int or None
        Index of the title's first colon.
    scopes : dict
        Token sets by name (``proposed``, ``title``, ``own``, ``baseline``, ``used``, ``appos``, ``means``,
        ``named``, ``winner``, ``title_def``, ``negated``...), as :func:`kg.extract.roles.mention_role` reads them.
    abbreviations : list of tuple
        ``(short span, long span)`` pairs.
    hits : list of kg.extract.patterns.Hit
        Matches of the named patterns (set by ``kg_patterns``).
    """

    title_end: int = None
    title_colon: int = None
    scopes: dict = field(default_factory=dict)
    abbreviations: list = field(default_factory=list)
    hits: list = field(default_factory=list)


def analyse(doc):
    """The :class:`DocAnalysis` of a parsed doc.

    Examples
    --------
    >>> import spacy
    >>> a = analyse(spacy.blank("en")("SpecDec++: Faster Decoding\\n\\nWe propose it."))
    >>> a.title_end, a.title_colon
    (5, 1)
    """
    register_extensions()
    scopes = role_scopes(doc)
    own_scopes(doc, scopes)
    if "negated" not in scopes:
        scopes["negated"] = negated_tokens(doc) if doc.has_annotation("DEP") else set()
    end = scopes["title_end"]
    return DocAnalysis(end, title_colon(doc, end), scopes, list(doc._.kg_abbreviations or []))


@Language.factory("kg_analysis", assigns=["doc._.kg_analysis"], requires=["doc._.kg_abbreviations"])
def make_analysis(nlp, name):
    """Build the ``kg_analysis`` component (place it after ``kg_abbreviations``)."""
    register_extensions()

    def kg_analysis(doc):
        doc._.kg_analysis = analyse(doc)
        return doc

    return kg_analysis
