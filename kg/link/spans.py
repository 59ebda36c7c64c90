"""Mentions that are a truncated part of a longer name, found from the text around them (rule ``truncated_span``), and
abbreviations a paper defines with a version after them (rule ``defined_version``: "pruning Stable Diffusion (SD)
V2.1" makes that paper's SD Stable Diffusion V2.1).

An extractor may cut a longer name down to a shorter one: "[BERT]-Base", "tiny-[ImageNet]", "[Llama 2] Chat
Drafter 115M", "Vector [Quantized Variational AutoEncoders]", or one conjunct of a coordination whose shared head
follows later: "FID, [CLIP], and CMMD scores", "[few-shot] or even zero-shot learning". Such a mention names the
longer thing, not the short name, and linking it by its own words would put it into the node of the short name.

A mention is *truncated* when the text right around it extends it into

- another name of the same name with a part token (a version, size, flavour or part: :func:`kg.link.cluster.parts_of`)
  or a number after it: "BERT-Base", "tiny-ImageNet", "Llama 2 Chat", "ImageNet 64" (a part word after a space
  only after an abbreviation or a name with a digit: "[Finetuning] large language models" is no size of anything);
- or a name that the corpus writes elsewhere (`known` keys) with a type of the same family: the word before it when
  joined by a hyphen, or capitalised before a name ("Vision Transformer"), the word after a name ("Llama 2 Chat"),
  or the shared head of a coordination whose last conjunct has the shape of the mention (both abbreviations, or
  both hyphenated words with the same last part: "CLIP, and CMMD scores" gives "CLIP scores"; "LoRA and full
  fine-tuning" gives nothing). An ordinary word before a noun is no cut name: annotators mark the "accuracy" of
  "a small accuracy drop" and the "regret" of "regret bounds" as accuracy and regret; nor is a name of another
  family ("[ImageNet] classifier" is a model trained on the dataset). On the annotated spans of 3,118 abstracts
  (``benchmarks/bench_link.py``), where any cut is a mistake, the rule now cuts 6 (it cut 43).

A head word that only says the name's type ("ImageNet dataset", "Transformer architecture") extends nothing. An
entity of a paper whose every mention is truncated links to the longer name the corpus knows, else within its
paper only, or as the longer name when all its mentions agree on one (:func:`truncated_target`).
"""

import re
from collections import Counter

from ..records import Paper
from .cluster import _FUNCTION_WORDS, parts_of
from .forms import local_key
from .lexicon import load_lexicon
from .normalize import DETERMINERS, _singular, is_abbreviation, is_acronym, normalize
from .stems import family_of

__all__ = ["extensions", "coordinated", "defined_version", "matching_mentions", "truncated_target", "relink_truncated"]

_WORD = r"[A-Za-z0-9][A-Za-z0-9.+#]*(?:-[A-Za-z0-9.+#]+)*"
_NUMBER = re.compile(r"\d+(?:x\d+)?")
_COORD = re.compile(r"\s*,?\s*(?:and|or)\b|\s*,")
_STOP = re.compile(r"[.;:()\[\]]\s|[;:()\[\]]|\.$")


def _shape(word):
    if is_acronym(word):
        return "acronym"
    if "-" in word:
        return "-" + word.rsplit("-", 1)[-1].lower()
    return None


def _dangling(text):
    """`text` ends in a word that cannot end a name ("[profit and] loss"): it is cut from a longer one."""
    words = text.split()
    return len(words) > 1 and words[-1].lower() in DETERMINERS | {"and", "or", "of", "for", "with"}


def _name_like_word(text):
    """A capital in some word of `text` ("Llama 2", "Vision Transformer"): a name, not an ordinary phrase."""
    return any(c.isupper() for c in text)


def extensions(text, start, end, lexicon=None, family=None):
    """The longer names the text around the mention ``text[start:end]`` may be cut from.

    Parameters
    ----------
    text : str
    start, end : int
    lexicon : Lexicon, optional
    family : str, optional
        The family of the mention's entity type (:func:`kg.link.stems.family_of`): a word after it that says
        that family extends nothing ("BLEU score" of the metric BLEU is BLEU; "CLIP score" of the model CLIP is
        another thing).

    Returns
    -------
    parts : list of str
        Extensions by a part token or a number ("BERT-Base", "ImageNet 64").
    names : list of str
        Extensions by a neighbouring word or a coordination's shared head, to be looked up among known names.

    Examples
    --------
    >>> t = "in terms of FID, CLIP, and CMMD scores. We train BERT-Base"
    >>> extensions(t, 17, 21)
    ([], ['CLIP scores'])
    >>> extensions(t, t.index("BERT"), t.index("BERT") + 4)
    (['BERT-Base'], ['BERT-Base'])
    """
    lex = lexicon or load_lexicon()
    mention, before, after = text[start:end], text[:start], text[end:]
    heads = lex.name_heads | lex.phrase_heads | lex.descriptor_heads | lex.model_heads | lex.generic_heads
    parts, names = [], []
    m = re.match(r"([-\s])(" + _WORD + ")", after)
    said = lex.head_types.get(_singular(m.group(2).lower())) if m else None
    if m and not (family and said and family_of(said) == family):
        sep, word = m.group(1), m.group(2).rstrip(".")
        ext = mention + sep + word
        tagged = any(tag == word.lower() for _, tag in parts_of(normalize(ext), lex))
        number = _NUMBER.fullmatch(word) and not re.match(r"\s*\\?%", after[m.end():])  # "ChatGLM2 50% faster"
        # a short token after a space is a word ("BERT is"), a part only when joined ("ImageNet-C"); a part word
        # after a space sizes a proper name ("BERT large", "Llama 2 Chat"), not a common word ("Finetuning large
        # language models")
        proper = is_acronym(mention) or any(c.isdigit() for c in mention)
        if (number and (proper or _name_like_word(mention))) or (
                tagged and (sep == "-" or word.lower() in lex.part_words and proper)):
            # rule name_run: a version or part after a space goes on through the name words after it ("[Llama] 2
            # Chat Drafter 115M" is that draft model, not Llama 2), outside the title, whose capitals say nothing
            parts.append(ext + (_name_run(after[m.end():], heads) if sep == " " and Paper.SEPARATOR in before
                                else ""))
        # a word after an ordinary word makes a compound that names something else only when it is a name: the
        # "accuracy" of "accuracy drop", the "regret" of "regret bounds" is the accuracy, the regret
        if _dangling(mention) or _singular(word.lower()) not in heads and (proper or _name_like_word(mention)):
            names.append(ext)
    m = re.search("(" + _WORD + r")([-\s])$", before)
    if m and m.group(1).lower() not in DETERMINERS:
        word, sep = m.group(1), m.group(2)
        ext = word + sep + mention
        if sep == "-" and any(tag == "^" + word.lower() for _, tag in parts_of(normalize(ext), lex)):
            parts.append(ext)
        if sep == "-" or (word[:1].isupper() and _name_like_word(mention)):
            names.append(ext)
    shared = coordinated(text, start, end)
    return parts, names + ([shared] if shared else [])


_RUN_WORD = re.compile(r" (" + _WORD + ")")


def _name_run(after, heads):
    """The words of a name that go on after a version or part (rule ``name_run``): capitalised words that are no
    function word and no head of :func:`extensions`, and words with a digit ("115M"), up to the first other word
    or sign.

    >>> _name_run(" Chat Drafter 115M with speculative decoding", {"model"})
    ' Chat Drafter 115M'
    >>> _name_run(" Models for chat", {"model"}), _name_run(", a draft model", set())
    ('', '')
    """
    run, pos = "", 0
    while True:
        m = _RUN_WORD.match(after, pos)
        if not m:
            return run
        word = m.group(1).rstrip(".")
        low = _singular(word.lower())
        if not (any(c.isdigit() for c in word) or word[:1].isupper() and low not in heads
                and low not in DETERMINERS | _FUNCTION_WORDS):
            return run
        run += " " + word
        if word != m.group(1):  # a full stop ends the sentence
            return run
        pos = m.end()


def coordinated(text, start, end):
    """The mention ``text[start:end]`` with the head that a coordination after it shares ("FID, [CLIP], and CMMD
    scores" -> "CLIP scores"), or None: the last conjunct has the shape of the mention (both abbreviations, or both
    hyphenated words with the same last part) and a lower-case noun follows it ("CIFAR-10/100" shares no "100").

    >>> t = "in terms of FID, CLIP, and CMMD scores; LoRA and full fine-tuning"
    >>> coordinated(t, 17, 21), coordinated(t, t.index("LoRA"), t.index("LoRA") + 4)
    ('CLIP scores', None)
    """
    mention, after = text[start:end], text[end:]
    if not _COORD.match(after):
        return None
    clause = _STOP.split(after, maxsplit=1)[0]
    words = re.findall(_WORD, clause)[:8]
    shape = _shape(mention)
    for last, head in zip(words, words[1:]):
        if (shape and _shape(last) == shape and not _shape(head) and head.isalpha() and head.islower()
                and head not in ("and", "or")):
            return f"{mention} {head}"
    return None


def matching_mentions(entity, text):
    """The mentions of `entity` whose offsets find their own words in `text` (others are not judged)."""
    return [m for m in getattr(entity, "mentions", None) or ()
            if 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text]


def truncated_target(entity, text, known, lexicon=None):
    """The longer name an entity whose every mention is truncated (module docstring) links as, or None.

    Parameters
    ----------
    entity : kg.records.Entity
        With its mentions (offsets into `text`); mentions that do not match `text` are not judged.
    text : str
        The paper's :attr:`kg.records.Paper.text`.
    known : dict of str to str, or set of str
        Keys of the names the corpus writes (linking across papers) -> the family of the type papers give each
        (None: several, or any); a set of keys allows any family.

    Returns
    -------
    tuple of (str, bool) or None
        The longer name and whether it links across papers: the known name most mentions extend into, else
        the one part extension all mentions agree on ("ImageNet 64"), else the entity's own name within its
        paper only (``False``: "BERT" cut from both "BERT-Base" and "BERT-Large"). None when some mention
        stands on its own or none can be judged.

    Examples
    --------
    >>> from kg.records import Entity, Mention
    >>> t = "sparse pre-trained BERT-Base and BERT-Large models"
    >>> e = Entity("BERT", "Model", mentions=[Mention("BERT", 19, 23), Mention("BERT", 33, 37)])
    >>> truncated_target(e, t, set()), truncated_target(e, t, {"bertbase"})
    (('BERT', False), ('BERT-Base', True))
    >>> truncated_target(Entity("BERT", "Model", mentions=[Mention("BERT", 0, 4)]), "BERT is a model", set()) is None
    True
    """
    if not isinstance(known, dict):
        known = dict.fromkeys(known)  # keys without a family: any family
    own, fam = normalize(entity.name).key, family_of(entity.type)
    hits, parts_seen, judged = Counter(), [], 0
    for m in matching_mentions(entity, text):
        judged += 1
        parts, names = extensions(text, m.start, m.end, lexicon, fam)
        # a neighbouring word makes a name of another family no longer name ("[ImageNet] classifier" is a model
        # trained on the dataset); a shared head, or the rest of a cut phrase ("[profit and] loss"), says what the
        # mention is whatever type it was given
        shared, cut = coordinated(text, m.start, m.end), _dangling(m.text)
        found = []
        for x in names:
            key = normalize(x).key
            if key != own and key in known and (x == shared or cut or known[key] in (None, fam)):
                if not (parts and len(parts[0]) > len(x) and parts[0].startswith(x)):  # "Llama 2" of a longer run
                    found.append(x)
        if not parts and not found:
            return None
        hits.update(found[:1])
        parts_seen.append(parts[0] if parts else None)
    if not judged:
        return None
    if hits:
        return min(hits, key=lambda x: (-hits[x], x)), True
    if None not in parts_seen and len({normalize(x).key for x in parts_seen}) == 1:
        return parts_seen[0], True
    return entity.name, False


_DEFINED_VERSION = re.compile(r"\s*\(\s*([A-Za-z][\w-]*)\s*\)\s+([Vv]\d+(?:\.\d+)*|\d+\.\d+)\b")


def defined_version(entity, text):
    """The versioned name of an entity whose paper defines its abbreviation with a version after it (rule
    ``defined_version``): "pruning Stable Diffusion (SD) V2.1" makes the paper's Stable Diffusion and SD that version,
    also where it writes "SD" alone later. Returns ``(name, True)`` or None.

    >>> from kg.records import Entity, Mention
    >>> t = "by pruning Stable Diffusion (SD) V2.1 using COCO. Prompts for SD are hard."
    >>> e = Entity("SD", "Model", mentions=[Mention("Stable Diffusion", 11, 27), Mention("SD", 66, 68)])
    >>> defined_version(e, t)
    ('Stable Diffusion V2.1', True)
    """
    for m in matching_mentions(entity, text):
        found = _DEFINED_VERSION.match(text, m.end)
        if found and is_acronym(found.group(1)) and is_abbreviation(found.group(1), m.text):
            return f"{m.text} {found.group(2)}", True
    return None


def relink_truncated(records, texts, terms, counts):
    """Records whose every mention is cut from a longer name link as that name, or within their paper only; records
    whose paper defines their abbreviation with a version after it link as that version (:func:`defined_version`).

    Parameters
    ----------
    records : list of kg.link.forms.Record
        With their forms, nodes and local flags set; the forms and nodes of a truncated record are replaced.
    texts : dict of str to str
        Paper id -> :attr:`kg.records.Paper.text`; records of papers without a text are left alone.
    terms : set of str
        Keys of the synonym table's names, known names even where no paper writes them.
    counts : collections.Counter
        Counts the records relinked under ``truncated_span`` and ``defined_version`` (the link report's
        ``relinked``).

    Returns
    -------
    list of tuple
        ``(abbreviation key, long-form key)`` of the abbreviations a record relinked by ``defined_version`` defines:
        "SD" still stands for Stable Diffusion where other papers write it bare.
    """
    # the family of the type papers give each known name (None: several, or a name of the synonym table only)
    known = dict.fromkeys(terms)
    for r in records:
        for f, loc in zip(r.forms, r.local):
            if not loc:
                fam = family_of(r.entity.type)
                if f.key not in known:
                    known[f.key] = fam
                elif known[f.key] != fam:
                    known[f.key] = None
    ties = []
    for r in records:
        text = texts.get(r.paper)
        version = None if text is None else defined_version(r.entity, text)
        found = version or (None if text is None else truncated_target(r.entity, text, known))
        if found is None:
            continue
        text, linked = found
        own, nf = r.forms[0].key, normalize(text)
        if version:  # the abbreviation the paper defines still stands for the unversioned name elsewhere
            ties += [(own, f.key) for f in r.forms[1:] if is_abbreviation(r.forms[0].text, f.text)]
        for i, f in enumerate(r.forms):
            if f.key == own:
                r.forms[i] = nf
                r.nodes[i] = nf.key if linked else local_key(nf.key, r.paper)
        counts["defined_version" if version else "truncated_span"] += 1
    return ties
