"""The linker's word lists, read from ``kg/link/data/lexicon.toml`` (rules as data: what a word does to a name).

:func:`load_lexicon` reads the file once per path; every list is lower-case and singular.
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import InputError

__all__ = ["Lexicon", "load_lexicon", "LEXICON_PATH"]

#: The lexicon shipped with the linker.
LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.toml"


@dataclass(frozen=True)
class Lexicon:
    """Word lists of ``lexicon.toml``; see the comments there for what each does.

    Attributes
    ----------
    name_heads : frozenset of str
    head_types : dict of str to str
        Name head -> the entity type it says the name has.
    acronym_heads : dict of str to str
        Head -> the letters an abbreviation must end with for the head to be dropped.
    phrase_heads, adjective_endings, modifiers, model_heads, quantities, vague, evaluative, rated_terms : tuple or frozenset of str
    title_id, title_cues, role_cue_prefix : str, frozenset of str, str
        Rule ``title_role`` (:func:`kg.link.forms.release_title_terms`): the provenance of the role cues that
        look at the title only, and the prefix every role cue's provenance starts with.
    qualified_id, qualified_heads, qualified_splits, qualified_words : str, frozenset, frozenset, int
        Rule ``task_qualifier`` (:func:`kg.link.heads.qualified_rest`): dataset heads, the words that make a split
        or a derived set of a dataset, and the most lower-case words between the name and the head.
    phase_id, phase_prepositions, phase_heads, ratio_id, ratio_heads
        Rules ``phase_word`` and ``ratio_metric`` (:mod:`kg.link.context`).
    compound_modifiers : tuple of str
        Rule ``model_compound`` (:func:`kg.link.stems.stem_key`): modifiers dropped before a compound of two nouns.
    spelled_id, spelled_words : str, int
        Rule ``spelled_head`` (:func:`kg.link.heads.spelled_rest`).
    gloss_id : str
        Rule ``gloss_mention`` (:mod:`kg.link.context`).
    optimizer_id, optimizer_acts, optimizer_cues, optimizer_markers, optimizer_window
        Rule ``optimizer_act`` (:mod:`kg.link.context`).
    elided_id : str
        Rule ``elided_head`` (:func:`kg.link.context.relink_elided_heads`).
    instance_id : str
        Rule ``instance_phrase`` (:func:`kg.link.context.instance_mention`).
    anaphor_id : str
        Rule ``anaphor_head`` (:func:`kg.link.context.anaphor_mention`).
    function_heads : dict of str to frozenset of str
        Rule ``function_head`` (:func:`kg.link.stems.stem_key`): a head word dropped after the words it maps to
        ("cross-entropy loss function" is the cross-entropy loss).
    word_variants : dict of str to str
        Rule ``word_variant`` (:func:`kg.link.stems.stem`): a word -> the word whose stem it takes ("net" ->
        "network", "imagery" -> "image").
    agent_acts : frozenset of str
        Rule ``agent_act`` (:func:`kg.link.stems.stem`): agent nouns whose stem key is the act's ("straight-through
        estimator" is straight-through estimation).
    version_words : frozenset of str
        Rule ``version_of`` (:func:`kg.link.normalize.normalize`): "<modifier> <word> of <name>" is "<modifier>
        <name>" ("memory-augmented version of Adam").
    checkpoint_words : frozenset of str
        Rule ``base_checkpoint`` (:func:`kg.link.normalize.normalize`): words after a parameter count that mark the
        pretrained checkpoint ("LLaMA2-7B-base").
    based_id, based_heads : str, frozenset of str
        Rule ``based_model`` (:func:`kg.link.heads.based_rest`): the heads of "<model>-based <head>".
    shortened_id : str
        Rule ``shortened_rate`` (:func:`kg.link.context.relink_shortened_rates`), which reads ``ratio_heads``.
    descent_id, optimizer_kinds, optimizer_kind_words : str, frozenset, int
        Rule ``descent_method`` (:mod:`kg.link.context`): last words that make a method an optimizer by what
        they say, and the most words of such a method before its act word.
    dimension_id, dimension_papers : str, int
        Rule ``written_dimension`` (:func:`kg.link.forms.build_records`).
    measure_heads : frozenset of str
        Rule ``cost_head``: heads a measure may carry or drop (:func:`kg.link.heads.stem_nodes`).
    measure_modifiers : tuple of str
        Rule ``measure_modifier``: leading words a measure may carry or drop (:func:`kg.link.heads.stem_nodes`).
    gerund_objects : frozenset of str
        Rule ``gerund_object`` (:func:`kg.link.stems.stem_key`): plural objects after a gerund that make the
        phrase the compound in the other order.
    model_said_by : frozenset of str
        Heads that make an ordinary phrase the name of a model whatever type a paper gives it (rule
        ``model_head``: :func:`kg.link.heads.stem_nodes`).
    part_words : frozenset of str
    generic_heads : frozenset of str
    descriptor_heads : frozenset of str
        Heads of the rule ``descriptor_id`` (:func:`kg.link.heads.descriptor_rest`); its merges are counted
        under that id.
    common_papers : int
    sure_role : float
        Rule ``sure_role`` of the specificity gate (:func:`kg.link.forms._is_local`): the least role confidence at
        which a rare phrase a paper proposes stays in that paper.
    minority_share : float
        Rule ``type_vote`` (:func:`kg.link.forms.acronym_kinds`): the least share of the papers writing an
        abbreviation that must give it a kind for that kind to be a second sense.
    """

    name_heads: frozenset
    head_types: dict
    acronym_heads: dict
    phrase_heads: frozenset
    adjective_endings: tuple
    modifiers: tuple
    model_heads: frozenset
    quantities: frozenset
    vague: frozenset
    evaluative: frozenset
    rated_terms: frozenset
    part_words: frozenset
    generic_heads: frozenset = frozenset()
    common_papers: int = 5
    sure_role: float = 0.0
    descriptor_heads: frozenset = frozenset()
    descriptor_id: str = "descriptor_head"
    minority_share: float = 0.1
    model_said_by: frozenset = frozenset()
    gerund_objects: frozenset = frozenset()
    measure_heads: frozenset = frozenset()
    title_id: str = "title_role"
    qualified_id: str = "task_qualifier"
    phase_id: str = "phase_word"
    phase_prepositions: frozenset = frozenset()
    phase_heads: frozenset = frozenset()
    ratio_id: str = "ratio_metric"
    ratio_heads: tuple = ()
    compound_modifiers: tuple = ()
    measure_modifiers: tuple = ()
    spelled_id: str = "spelled_head"
    spelled_words: int = 2
    gloss_id: str = "gloss_mention"
    optimizer_id: str = "optimizer_act"
    optimizer_acts: frozenset = frozenset()
    optimizer_cues: frozenset = frozenset()
    optimizer_markers: frozenset = frozenset()
    optimizer_window: int = 60
    descent_id: str = "descent_method"
    shortened_id: str = "shortened_rate"
    elided_id: str = "elided_head"
    instance_id: str = "instance_phrase"
    anaphor_id: str = "anaphor_head"
    based_id: str = "based_model"
    checkpoint_words: frozenset = frozenset()
    version_words: frozenset = frozenset()
    agent_acts: frozenset = frozenset()
    function_heads: dict = field(default_factory=dict)
    word_variants: dict = field(default_factory=dict)
    based_heads: frozenset = frozenset()
    optimizer_kinds: frozenset = frozenset()
    optimizer_kind_words: int = 3
    dimension_id: str = "written_dimension"
    dimension_papers: int = 3
    qualified_heads: frozenset = frozenset()
    qualified_splits: frozenset = frozenset()
    qualified_words: int = 3
    title_cues: frozenset = frozenset()
    role_cue_prefix: str = "roles."


def _word_table(path, data, *keys):
    """A table of word -> words at `keys` (``{ function = ["loss", "objective"] }``), empty when absent."""
    table = _get(data, keys) or {}
    if not (isinstance(table, dict) and all(isinstance(v, list) for v in table.values())):
        raise InputError(path, f"{'.'.join(keys)} must map words to lists of words")
    return {str(k).lower(): frozenset(str(w).lower() for w in v) for k, v in table.items()}


def _get(data, keys):
    for k in keys:
        data = data.get(k) if isinstance(data, dict) else None
    return data


def _words(path, data, *keys):
    value = _get(data, keys)
    if not (isinstance(value, list) and all(isinstance(w, str) for w in value)):
        raise InputError(path, f"{'.'.join(keys)} must be a list of words")
    return [w.lower() for w in value]


def _integer(path, data, *keys):
    value = _get(data, keys)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(path, f"{'.'.join(keys)} must be a whole number")
    return value


def _share(path, data, *keys):
    value = _get(data, keys)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise InputError(path, f"{'.'.join(keys)} must be a number from 0 to 1")
    return float(value)


@cache
def load_lexicon(path=LEXICON_PATH):
    """Read a lexicon file (cached per path).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    Lexicon

    Raises
    ------
    InputError
        When the file is missing, not TOML, or a list is malformed.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> "dataset" in lex.name_heads, "score" in lex.name_heads, lex.acronym_heads["autoencoder"]
    (True, False, 'ae')
    """
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(path, "lexicon file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not a valid TOML lexicon ({exc})") from None
    acronym = data.get("acronym_heads", {})
    if not (isinstance(acronym, dict) and all(isinstance(v, str) for v in acronym.values())):
        raise InputError(path, "[acronym_heads] must map head words to letters")
    head_types = data.get("head_types", {})
    if not (isinstance(head_types, dict) and all(isinstance(v, str) for v in head_types.values())):
        raise InputError(path, "[head_types] must map head words to entity types")
    return Lexicon(
        name_heads=frozenset(_words(path, data, "name_heads")),
        head_types={k.lower(): v for k, v in head_types.items()},
        acronym_heads={k.lower(): v.lower() for k, v in acronym.items()},
        phrase_heads=frozenset(_words(path, data, "phrase", "heads")),
        adjective_endings=tuple(_words(path, data, "phrase", "adjective_endings")),
        modifiers=tuple(_words(path, data, "phrase", "modifiers")),
        model_heads=frozenset(_words(path, data, "phrase", "model_heads")),
        quantities=frozenset(_words(path, data, "phrase", "quantities")),
        vague=frozenset(w.replace("-", "") for w in _words(path, data, "phrase", "vague")),
        evaluative=frozenset(_words(path, data, "phrase", "evaluative")),
        rated_terms=frozenset(_words(path, data, "phrase", "rated_terms")),
        part_words=frozenset(_words(path, data, "part_words")),
        generic_heads=frozenset(_words(path, data, "gate", "generic_heads")),
        common_papers=_integer(path, data, "gate", "common_papers"),
        sure_role=_share(path, data, "gate", "sure_role"),
        descriptor_heads=frozenset(_words(path, data, "descriptor", "heads")),
        descriptor_id=str(_get(data, ("descriptor", "id")) or "descriptor_head"),
        minority_share=_share(path, data, "types", "minority_share"),
        model_said_by=frozenset(_words(path, data, "phrase", "model_said_by")),
        gerund_objects=frozenset(_words(path, data, "phrase", "gerund_objects")),
        measure_heads=frozenset(_words(path, data, "phrase", "measure_heads")),
        title_id=str(_get(data, ("title", "id")) or "title_role"),
        qualified_id=str(_get(data, ("qualified", "id")) or "task_qualifier"),
        phase_id=str(_get(data, ("phase", "id")) or "phase_word"),
        phase_prepositions=frozenset(_words(path, data, "phase", "prepositions")),
        phase_heads=frozenset(_words(path, data, "phase", "heads")),
        ratio_id=str(_get(data, ("ratio", "id")) or "ratio_metric"),
        ratio_heads=tuple(_words(path, data, "ratio", "heads")),
        compound_modifiers=tuple(_words(path, data, "phrase", "compound_modifiers")),
        measure_modifiers=tuple(_words(path, data, "phrase", "measure_modifiers")),
        spelled_id=str(_get(data, ("spelled", "id")) or "spelled_head"),
        spelled_words=_integer(path, data, "spelled", "max_words"),
        optimizer_id=str(_get(data, ("optimizer", "id")) or "optimizer_act"),
        optimizer_acts=frozenset(_words(path, data, "optimizer", "acts")),
        optimizer_cues=frozenset(_words(path, data, "optimizer", "cues")),
        optimizer_markers=frozenset(_words(path, data, "optimizer", "markers")),
        optimizer_window=_integer(path, data, "optimizer", "window"),
        descent_id=str(_get(data, ("descent", "id")) or "descent_method"),
        shortened_id=str(_get(data, ("shortened", "id")) or "shortened_rate"),
        elided_id=str(_get(data, ("elided", "id")) or "elided_head"),
        instance_id=str(_get(data, ("instance", "id")) or "instance_phrase"),
        anaphor_id=str(_get(data, ("anaphor", "id")) or "anaphor_head"),
        based_id=str(_get(data, ("based", "id")) or "based_model"),
        checkpoint_words=frozenset(_words(path, data, "checkpoint", "words")),
        version_words=frozenset(_words(path, data, "version", "words")),
        agent_acts=frozenset(_words(path, data, "phrase", "agent_acts")),
        function_heads=_word_table(path, data, "phrase", "function_heads"),
        word_variants={v: k for k, vs in _word_table(path, data, "phrase", "word_variants").items() for v in vs},
        based_heads=frozenset(_words(path, data, "based", "heads")),
        optimizer_kinds=frozenset(_words(path, data, "descent", "kinds")),
        optimizer_kind_words=_integer(path, data, "descent", "max_words"),
        gloss_id=str(_get(data, ("gloss", "id")) or "gloss_mention"),
        dimension_id=str(_get(data, ("dimension", "id")) or "written_dimension"),
        dimension_papers=_integer(path, data, "dimension", "min_papers"),
        qualified_heads=frozenset(_words(path, data, "qualified", "heads")),
        qualified_splits=frozenset(w.replace("-", "") for w in _words(path, data, "qualified", "splits")),
        qualified_words=_integer(path, data, "qualified", "max_words"),
        title_cues=frozenset(_words(path, data, "title", "cues")),
        role_cue_prefix=str(_get(data, ("title", "cue_prefix")) or "roles."),
    )
