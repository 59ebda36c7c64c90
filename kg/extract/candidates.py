"""``kg_candidates``: candidate entity mentions from gazetteers, name shapes, abbreviations and noun chunks.

Sources, strongest first (overlaps are resolved in that order, then by length):

1. ``title``: a short name opening the title before ":" ("SpecDec++: Boosting ...");
2. ``long``/``short``: both sides of an abbreviation definition from ``kg_abbreviations``;
3. ``ner``: mentions tagged by the trained ``kg_ner`` component (``doc.ents``), trimmed to noun phrases;
4. ``gazetteer``: a curated or learned term of :mod:`kg.extract.lexicon` (PhraseMatcher; terms with capitals
   match case-sensitively, others on the lower-cased text); ``known``: only those shaped like names
   ("WikiText-2", "MMLU"), which are rarely anything else;
5. ``proposal``: the object of "we propose ..." and the parts of it ("our method performs X") as stripped noun
   chunks (:mod:`kg.extract.proposals`); it takes in the common terms it contains ("a ... adversarial
   training loss", :func:`~kg.extract.proposals.absorb_into_proposals`), otherwise it only fills what nothing above covers;
   ``name``: a token run shaped like a name (CamelCase, acronym, letters with digits: GPT-4, LLaMA-2-7B),
   extended over a following size or version ("llama-2-chat 7B");
6. ``chunk``: a noun chunk of the parse whose head word types it ("inference latency", "vector quantization"),
   stripped of determiners and evaluative modifiers; beside the tagger (``ner`` without ``chunk``) only task
   phrases such as "multi-label classification" (:func:`kg.extract.boundaries.task_phrase`), which it misses.

Span boundaries follow :mod:`kg.extract.boundaries` ("the method X" -> X, "DPO strategies" -> DPO); a
hyphenated modifier opening the title joins the term after it ("Oscillation-free Quantization for ...",
:func:`extend_title_modifiers`).

Then broad classes are flagged (:func:`kg.extract.entity_types.is_generic`), junk and the phrases annotators
rarely mark (``rejected.txt``, learned by ``kg train``) are dropped, and a listed term keeps its listed type.
:func:`kg.extract.load_pipeline` chooses the sources (``TRAINED_SOURCES`` or, without a trained model,
``RULE_SOURCES``).

Sets ``doc._.kg_candidates``: list of :class:`Candidate`, in text order, non-overlapping.
"""

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher

from .boundaries import (descriptive_phrase, name_after_descriptor, name_before_class, name_spans, strip_span,
                         task_phrase, to_word_bounds, trim_span)
from .extensions import register_extensions
from .entity_types import (following_type, head_type, is_generic, is_junk, is_name_like, name_type, strong_type,
                           type_span)
from .analysis import analyse
from .lexicon import DATA_DIR, load_lexicon
from .mentions import choose, phrase_spans, span_features, stat_features
from .models import Classifier
from .termstats import TermStats
from .proposals import absorb_into_proposals, proposal_spans
from .roles import title_names
from .sentences import title_colon, title_end
from .ner import GENERIC_LABEL

__all__ = ["Candidate", "CandidateFinder", "make_candidates", "name_spans", "chunk_spans", "strip_span",
           "resolve_overlaps", "trim_span", "proposal_spans", "name_after_descriptor", "absorb_into_proposals",
           "name_before_class", "extend_title_modifiers"]

#: Priority of each source (lower wins an overlap).
PRIORITY = {"title": 0, "short": 1, "long": 1, "ner": 2, "known": 3, "gazetteer": 3, "proposal": 4, "name": 4,
            "chunk": 5, "phrase": 6}
#: Confidence of each source.
CONFIDENCE = {"title": 0.85, "short": 0.85, "long": 0.85, "ner": 0.8, "known": 0.9, "gazetteer": 0.9,
              "proposal": 0.6, "name": 0.75, "chunk": 0.55, "phrase": 0.5}
#: All sources, in the order above.
SOURCES = tuple(PRIORITY)


@dataclass
class Candidate:
    """One candidate mention: token offsets, type (None when only other mentions can tell), how it was
    found, whether it is a broad class; when the mention classifier chose it, every source that proposed the
    span (``sources``) and the classifier's probability that it is a mention (``score``)."""

    start: int
    end: int
    type: str
    source: str
    generic: bool = False
    sources: tuple = ()
    score: float = None

    @property
    def confidence(self):
        return CONFIDENCE[self.source] if self.score is None else self.score


def noun_chunks(doc):
    """``doc.noun_chunks`` as a list (empty without a parse): walked once per document and shared by
    :func:`chunk_spans`, :func:`proposal_spans` and :func:`kg.extract.mentions.phrase_spans`."""
    return list(doc.noun_chunks) if doc.has_annotation("DEP") else []


def chunk_spans(doc, lexicon, chunks=None):
    """Noun chunks (stripped) whose head word types them, as ``(span, type)`` pairs (`chunks`: the doc's noun
    chunks when already listed, :func:`noun_chunks`)."""
    out = []
    if not doc.has_annotation("DEP"):
        return out
    for chunk in doc.noun_chunks if chunks is None else chunks:
        span = strip_span(chunk, lexicon.modifiers)
        if not len(span) or any(t.is_space for t in span):
            continue
        type_ = head_type(span, lexicon)
        if type_ is None:
            continue
        if len(span) == 1 and span[0].lower_ in lexicon.stopwords:
            continue
        out.append((span, type_))
    return out


def _hyphen_modifier(toks, modifiers):
    """True for a run of words joined by hyphens ("Oscillation-free", "Asymmetrically-powered") that is not an
    evaluative modifier ("state-of-the-art")."""
    if len(toks) < 3 or not all((t.text == "-") == (k % 2 == 1) for k, t in enumerate(toks)):
        return False
    if any(t.whitespace_ for t in toks[:-1]):
        return False
    text = "".join(t.text for t in toks).lower()
    return text not in modifiers and all(t.is_alpha for t in toks[::2])


def extend_title_modifiers(doc, cands, modifiers):
    """Extend a candidate that a hyphenated modifier precedes at the start of the title over it: the title
    "Oscillation-free Quantization for ..." names "Oscillation-free Quantization", not quantization."""
    end = title_end(doc)
    if not end:
        return
    colon = title_colon(doc, end)
    starts = {0} | ({colon + 1} if colon else set())
    taken = {i for c in cands for i in range(c.start, c.end)}
    for c in cands:
        if c.end > end or c.start in starts:
            continue
        for s in starts:
            toks = list(doc[s:c.start])
            if s < c.start and not any(t.i in taken for t in toks) and _hyphen_modifier(toks, modifiers):
                c.start, c.source = s, "proposal"  # no longer the listed term
                break


def resolve_overlaps(cands):
    """Keep non-overlapping candidates: lower source priority first, then longer spans; in text order."""
    taken = set()
    kept = []
    for c in sorted(cands, key=lambda c: (PRIORITY[c.source], -(c.end - c.start), c.start)):
        if any(i in taken for i in range(c.start, c.end)):
            continue
        taken.update(range(c.start, c.end))
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)


class CandidateFinder:
    """The ``kg_candidates`` component (see the module docstring).

    Parameters
    ----------
    nlp : spacy.Language
    name : str
    lexicon : kg.extract.lexicon.Lexicon, optional
        Default: :func:`kg.extract.lexicon.load_lexicon`.
    """

    def __init__(self, nlp, name="kg_candidates", lexicon=None, sources=SOURCES, classifier=None, stats=None):
        register_extensions()
        self.name = name
        self.sources = set(sources)
        self.lexicon = lexicon or load_lexicon()
        self.classifier = classifier
        self.stats = stats
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.types = {}
        self.term_types = {t.lower(): type_ for t, type_ in self.lexicon.terms.items()}
        make = nlp.make_doc
        for term, type_ in self.lexicon.terms.items():
            self._add(term, type_, False, make)
        for term, type_ in self.lexicon.generic.items():
            self._add(term, type_, True, make)

    def _add(self, term, type_, generic, make):
        key = f"{'G' if generic else 'T'}|{type_}"
        self.types.setdefault(key, (type_, generic))
        has_upper = any(c.isupper() for c in term)
        if has_upper and (term.isupper() or len(term) < 5):
            self.exact.add(key, [make(term)])
        else:
            self.lower.add(key, [make(term.lower())])

    def _rejected(self, span, cand, text=None):
        """A phrase annotators rarely mark ("training"); names ("BASE", "GPT-4") and definitions are kept
        (`text`: ``span.text`` when already read)."""
        if cand.source in ("title", "short", "long"):
            return False
        text = span.text if text is None else text
        return not is_name_like(text) and text.lower() in self.lexicon.rejected

    def _title_word(self, span):
        """A lone capitalised common word of the title ("Vision", "Speech") that no list names."""
        if len(span) != 1 or is_name_like(span.text) or span.text in self.lexicon.terms:
            return False
        end = title_end(span.doc)
        return end is not None and span.start < end and span[0].text[:1].isupper()

    def gazetteer(self, doc):
        """Gazetteer candidates of `doc`."""
        out = []
        for match_id, start, end in list(self.exact(doc)) + list(self.lower(doc)):
            type_, generic = self.types[doc.vocab.strings[match_id]]
            # a match inside a longer word run ("GPT-4o" vs "GPT-4") is not a mention
            if end < len(doc) and not doc[end - 1].whitespace_ and doc[end].is_alpha:
                continue
            out.append(Candidate(start, end, type_, "gazetteer", generic))
        return out

    def __call__(self, doc):
        generic_of = {}  # is_generic per span, shared by generate and the classifier's features
        cands = self.generate(doc, generic_of)
        if self.classifier is not None:
            doc._.kg_candidates = self.choose(doc, cands, generic_of)
        else:
            doc._.kg_candidates = self.select(doc, cands)
        return doc

    def features(self, doc, cands, exclude=None, generic_of=None):
        """Spans and feature rows of the mention classifier (:mod:`kg.extract.mentions`); `generic_of` as in
        :meth:`generate`."""
        analysis = doc._.kg_analysis or analyse(doc)
        spans, rows = span_features(doc, cands, self.lexicon, analysis, generic_of=generic_of)
        if self.stats is not None:
            for row, extra in zip(rows, stat_features(doc, spans, self.stats, exclude)):
                row.update(extra)
        return spans, rows

    def choose(self, doc, cands, generic_of=None):
        """The mentions the trained classifier keeps (:func:`kg.extract.mentions.choose`); `generic_of` as in
        :meth:`generate`."""
        if not cands:
            return []
        spans, rows = self.features(doc, cands, generic_of=generic_of)
        probs = self.classifier.predict(rows)
        return choose(cands, spans, probs, self.classifier.classes, self.classifier.threshold("mention"))

    def generate(self, doc, generic_of=None):
        """Every candidate of every source, overlapping ones included (junk and rejected phrases dropped).

        Parameters
        ----------
        doc : spacy.tokens.Doc
        generic_of : dict, optional
            The caller's ``(start, end) -> is_generic`` memo, to which the spans tested here are added (the
            classifier's features read it again, :meth:`features`).

        Returns
        -------
        list of Candidate
        """
        lex = self.lexicon
        use = self.sources
        cands = self.gazetteer(doc) if "gazetteer" in use else []
        if "known" in use and "gazetteer" not in use:
            cands = [c for c in self.gazetteer(doc) if is_name_like(doc[c.start:c.end].text)]
            for c in cands:
                c.source = "known"
        if "title" in use:
            prefix = title_names(doc, title_end(doc))
            if len(prefix):
                span = doc[prefix.start:prefix.stop]
                cands.append(Candidate(span.start, span.end, type_span(span, lex, "name"), "title"))
        if "ner" in use:
            for ent in doc.ents:
                label = ent.label_
                generic = label == GENERIC_LABEL
                ent = name_after_descriptor(trim_span(to_word_bounds(ent), lex.modifiers), lex.descriptors)
                ent = name_before_class(ent, lex.generic_heads)
                if not len(ent) or self._title_word(ent):
                    continue
                type_ = type_span(ent, lex, "chunk") if generic else label
                # "... dataset/benchmark", "... models/networks" and plural acronyms ("KANs") outvote the tagger
                type_ = strong_type(ent, lex) or type_
                cands.append(Candidate(ent.start, ent.end, type_, "ner", generic))
        for short, long in doc._.kg_abbreviations or [] if "long" in use else []:
            if is_junk(short, lex):  # "key-value (KV)", "state-of-the-art (SOTA)": vague either way
                continue
            # None: no evidence of its own, the entity takes the type of its other mentions
            type_ = head_type(long, lex) or following_type(short) or name_type(short.text)
            gen = long.text.lower() in lex.generic
            cands.append(Candidate(long.start, long.end, type_, "long", gen))
            cands.append(Candidate(short.start, short.end, type_, "short", gen))
        chunks = noun_chunks(doc)
        scopes = doc._.kg_analysis.scopes if doc._.kg_analysis is not None else None
        for span in proposal_spans(doc, lex, chunks=chunks, scopes=scopes) if "proposal" in use else []:
            cands.append(Candidate(span.start, span.end, head_type(span, lex) or "Method", "proposal"))
        for span in name_spans(doc, lex.stopwords) if "name" in use else []:
            cands.append(Candidate(span.start, span.end, type_span(span, lex, "name"), "name"))
        junk = {}  # per span (start, end): is_junk, computed once (several sources propose the same span)
        for span in phrase_spans(doc, lex, chunks=chunks, junk=junk) if "phrase" in use else []:
            cands.append(Candidate(span.start, span.end, None, "phrase"))
        for span, type_ in chunk_spans(doc, lex, chunks) if "chunk" in use or "ner" in use else []:
            # beside a tagger, only phrases headed by a task noun ("text-to-image generation"), which it misses
            if "chunk" in use or task_phrase(span) or descriptive_phrase(span):
                cands.append(Candidate(span.start, span.end, type_, "chunk", span.text.lower() in lex.generic))
        generic_of = {} if generic_of is None else generic_of
        spans, texts = {}, {}
        for c in cands:
            key = (c.start, c.end)
            span = spans[key] = spans.get(key) or doc[c.start:c.end]
            if not c.generic:
                if key not in generic_of:
                    generic_of[key] = is_generic(span, lex)
                c.generic = generic_of[key]
        out = []
        for c in cands:
            key = (c.start, c.end)
            if key not in junk:
                junk[key] = is_junk(spans[key], lex)
            if junk[key]:
                continue
            if key not in texts:
                texts[key] = spans[key].text
            if not self._rejected(spans[key], c, texts[key]):
                out.append(c)
        return out

    def select(self, doc, cands):
        """The candidates kept: non-overlapping, by source priority."""
        lex = self.lexicon
        # a listed name inside a broad class ("large Transformer models") is the mention worth keeping
        listed = [c for c in cands if c.source in ("gazetteer", "known") and not c.generic]
        cands = [c for c in cands if not (c.generic and c.source == "ner" and any(
            c.start <= g.start and g.end <= c.end and (g.start, g.end) != (c.start, c.end) for g in listed))]
        kept = resolve_overlaps(absorb_into_proposals(doc, cands, lex.stopwords | lex.descriptors))
        extend_title_modifiers(doc, kept, lex.modifiers)
        for c in kept:  # a listed term keeps its listed type whichever source found it
            c.type = self.term_types.get(doc[c.start:c.end].text.lower(), c.type)
        return kept


@Language.factory("kg_candidates", assigns=["doc._.kg_candidates"], requires=["doc._.kg_abbreviations"],
                  default_config={"sources": list(SOURCES), "lexicon_dir": "", "model_dir": ""})
def make_candidates(nlp, name, sources, lexicon_dir, model_dir):
    """Build the ``kg_candidates`` component with the lexicon shipped in the package.

    Parameters
    ----------
    sources : list of str
        Which candidate sources to use (see :data:`SOURCES`); ``ner`` reads ``doc.ents`` (set by the trained
        ``kg_ner`` component when the pipeline has it).
    lexicon_dir : str
        Directory of the curated lexicon files; empty for the package's own.
    model_dir : str
        Directory of the trained models (``kg train``); its mention classifier (``mention.lgb``/``.json``) and
        term statistics (``termstats.json``), when there, decide which candidates are mentions, and its learned
        lexicon (``learned.tsv``, ``rejected.txt``) replaces the package's. Without a classifier the
        candidates are chosen by source priority (:meth:`CandidateFinder.select`).
    """
    classifier = stats = None
    if model_dir and (Path(model_dir) / "mention.json").is_file():
        classifier = Classifier.from_disk(Path(model_dir) / "mention")
        stats = TermStats.from_disk(Path(model_dir) / "termstats.json")
    lexicon = load_lexicon(lexicon_dir or DATA_DIR, model_dir or None)
    return CandidateFinder(nlp, name, lexicon=lexicon, sources=sources, classifier=classifier, stats=stats)
