"""Candidate clustering: a union-find over normalised keys that refuses the merges the linker must never make.

Three guards hold for every cluster, whatever rule proposes a merge:

- **numbers**: a cluster holds at most one non-empty number signature, never the same letters with other
  numbers, and a cluster of names without numbers joins one with numbers only through an abbreviation
  ("C4" = "Colossal Clean Crawled Corpus"). GPT-3 / GPT-4, LLaMA-2-7B / LLaMA-2-13B, ResNet-18 / ResNet-50,
  CIFAR-10 / CIFAR-100, GPT / GPT-4 and quantization / 4-bit quantization stay apart.
- **parts**: a name and the same name with a version, size, flavour or part token before or after it never
  end in one cluster: ImageNet / ImageNet-C, SGD / SGD-M, DeiT / DeiT-S, QuIP / QuIP#, CLIP / CLIP score,
  BERT / BERT-large, SAF / DR. SAF (:func:`parts_of`; the tokens are data, :mod:`kg.link.lexicon`).
- **keep apart**: names a curation file keeps apart never end in one cluster.

Near-identical spellings are found by a symmetric-deletion index (every key with one character removed; the
SymSpell idea of Garbe 2012) and confirmed with ``rapidfuzz``'s optimal-string-alignment distance, so the search is
linear in the number of keys.
"""

from collections import defaultdict

from rapidfuzz.distance import OSA

from .lexicon import load_lexicon
from .normalize import is_acronym, normalize, tokens_of

__all__ = ["KeyClusters", "near_duplicates", "plausible_alias", "parts_of"]

#: Shortest key that fuzzy matching considers: below this one edit changes the name (Adam / AdamW, LoRA / DoRA).
FUZZY_MIN_LENGTH = 10
#: Shortest key that a doubled letter may join (rule ``doubled_letter``: "HumaneEval" / "HumanEval", a typo that
#: repeats a letter): one edit of a shorter name is another name (LLaMA / LLaVA, GPT-3 / GPT-4, T5 / T0), one letter
#: written twice in a name of eight or more letters is not.
DOUBLED_MIN_LENGTH = 8


def _part_token(token, lex):
    return token.isalpha() and (len(token) <= 2 or token in lex.part_words)


def parts_of(nf, lexicon=None):
    """``(base key, tag)`` of a form that is another name with a part token after (tag ``"x"``) or before
    (``"^x"``) it; empty for other forms.

    Examples
    --------
    >>> [parts_of(normalize(t)) for t in ("ImageNet-C", "QuIP#", "CLIP score", "DR. SAF", "ImageNet")]
    [{('imagenet', 'c')}, {('quip', 'sharp')}, {('clip', 'score')}, {('saf', '^dr')}, set()]
    """
    lex = lexicon or load_lexicon()
    tokens = tokens_of(nf.spaced.replace(".", " "))
    out = set()
    if len(tokens) >= 2:
        if _part_token(tokens[-1], lex):
            base = normalize(" ".join(tokens[:-1])).key
            if base:
                out.add((base, tokens[-1]))
        if _part_token(tokens[0], lex):
            base = normalize(" ".join(tokens[1:])).key
            if base:
                out.add((base, "^" + tokens[0]))
    return out


class KeyClusters:
    """Union-find over keys with the number and keep-apart guards.

    Parameters
    ----------
    forms : dict of str to NormalForm
        A representative normal form of every key (its numbers and letters feed the guard).
    apart : dict of str to set of tuple, optional
        Key -> ``(group, member)`` tags from the curation file's ``keep_apart`` entries.
    """

    def __init__(self, forms, apart=None):
        self.parent = {}
        self.forms = forms
        self.apart = apart or {}
        self._sig = {}  # root -> {letters: set of number tuples}
        self._tags = {}  # root -> {group: set of members}
        self._keys = {}  # root -> keys of the cluster (for the parts guard)
        self._parts = {}  # root -> {(base key, tag)} of its keys that are a part of another name
        self.merges = defaultdict(int)
        self.refused = defaultdict(int)
        self.log = []  # (rule, key a, key b) of every merge that joined two clusters

    def add(self, key):
        if key not in self.parent:
            self.parent[key] = key
            nf = self.forms.get(key)
            self._sig[key] = {nf.letters: {nf.numbers}} if nf is not None else {}
            tags = defaultdict(set)
            for group, member in self.apart.get(key, ()):
                tags[group].add(member)
            self._tags[key] = dict(tags)
            self._keys[key] = {key}
            self._parts[key] = parts_of(nf) if nf is not None else set()

    def find(self, key):
        self.add(key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def _numbered(self, root):
        return any(n for v in self._sig[root].values() for n in v)

    def _numbers_clash(self, a, b, ka, kb):
        sa, sb = self._sig[a], self._sig[b]
        nums = {n for s in (sa, sb) for v in s.values() for n in v if n}
        if len(nums) > 1:
            return True
        if any(letters in sb and sa[letters] != sb[letters] for letters in sa):
            return True
        if self._numbered(a) != self._numbered(b):
            fa, fb = self.forms.get(ka), self.forms.get(kb)
            short, long = (fa, fb) if fa is not None and fa.numbers else (fb, fa)
            return not (short is not None and long is not None and is_acronym(short.text)
                        and len(tokens_of(long.spaced)) > 1 and short.key[:1] == long.key[:1])
        return False

    def _parts_clash(self, a, b):
        for x, y in ((a, b), (b, a)):
            for base, tag in self._parts[x]:
                if base in self._keys[y] or any(b2 == base and t2 != tag for b2, t2 in self._parts[y]):
                    return True
        return False

    def _apart_clash(self, a, b):
        ta, tb = self._tags[a], self._tags[b]
        return any(g in tb and ta[g] != tb[g] for g in ta)

    def union(self, a, b, rule, force=False, count=True):
        """Merge the clusters of keys `a` and `b` unless a guard forbids it.

        Parameters
        ----------
        a, b : str
        rule : str
            Counted in :attr:`merges` (or :attr:`refused` under ``rule:guard``).
        force : bool
            Skip the number and part guards (a curation ``merge``, a synonym); keep-apart still holds.
        count : bool
            Count the merge in :attr:`merges` (not when `b` is a fresh node that only carries a second key).

        Returns
        -------
        bool
            Whether the keys are now in one cluster.
        """
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self._apart_clash(ra, rb):
            self.refused["keep_apart"] += 1
            return False
        if not force and self._numbers_clash(ra, rb, a, b):
            self.refused["numbers"] += 1
            return False
        if not force and self._parts_clash(ra, rb):
            self.refused["parts"] += 1
            return False
        ra, rb = sorted((ra, rb))  # deterministic root
        self.parent[rb] = ra
        for letters, nums in self._sig.pop(rb).items():
            self._sig[ra].setdefault(letters, set()).update(nums)
        for group, members in self._tags.pop(rb).items():
            self._tags[ra].setdefault(group, set()).update(members)
        self._keys[ra] |= self._keys.pop(rb)
        self._parts[ra] |= self._parts.pop(rb)
        if count:
            self.merges[rule] += 1
        self.log.append((rule, a, b))
        return True

    def groups(self):
        """Dict root -> sorted list of keys."""
        out = defaultdict(list)
        for key in sorted(self.parent):
            out[self.find(key)].append(key)
        return dict(out)


def _deletions(key):
    return {key[:i] + key[i + 1:] for i in range(len(key))}


def _one_word_edit(a, b):
    """The two forms differ in one long word only (never in an abbreviation: "SR" / "ASR")."""
    ta, tb = tokens_of(a.spaced), tokens_of(b.spaced)
    if len(ta) != len(tb):
        return "".join(ta) == "".join(tb)
    diff = [(x, y) for x, y in zip(ta, tb) if x != y]
    return len(diff) == 1 and min(len(diff[0][0]), len(diff[0][1])) >= 5


def _doubled(a, b):
    """One key is the other with one of its letters written twice ("humaneeval", "humaneval")."""
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(
        long[i] == long[i + 1] and long[:i] + long[i + 1:] == short for i in range(len(long) - 1))


def near_duplicates(forms, min_length=FUZZY_MIN_LENGTH):
    """Pairs of keys one edit apart (insertion, deletion, substitution or transposition of neighbours).

    Guards: both keys at least `min_length` characters (or :data:`DOUBLED_MIN_LENGTH` when one is the other with a
    letter written twice: "HumaneEval" / "HumanEval"), the same number blocks, the same first character (an
    edit at the start changes the word: "decoder" / "encoder"), and the edit inside one word of at least five
    letters (never an abbreviation: "SR models" / "ASR models").

    Parameters
    ----------
    forms : dict of str to NormalForm
        Key -> a representative normal form; compare keys of one entity type only.

    Returns
    -------
    list of tuple of str
        Sorted pairs ``(a, b)`` with ``a < b``.

    Examples
    --------
    >>> from kg.link.normalize import normalize
    >>> keys = {normalize(t).key: normalize(t) for t in ["in-context learning", "in-context leaning",
    ...                                                   "intra-class variance", "inter-class variance"]}
    >>> near_duplicates(keys)
    [('incontextleaning', 'incontextlearning')]
    >>> keys = {normalize(t).key: normalize(t) for t in ["HumanEval", "HumaneEval", "LLaMA", "LaMA", "GPT-3", "GPT-4"]}
    >>> near_duplicates(keys)
    [('humaneeval', 'humaneval')]
    """
    shortest = min(min_length, DOUBLED_MIN_LENGTH)
    keys = sorted(k for k in forms if len(k) >= shortest)
    index = defaultdict(set)
    for k in keys:
        index[k].add(k)
        for d in _deletions(k):
            index[d].add(k)
    pairs = set()
    for bucket in index.values():
        if len(bucket) < 2:
            continue
        for a in bucket:
            for b in bucket:
                if min(len(a), len(b)) < min_length and not _doubled(a, b):
                    continue
                if a < b and a[0] == b[0] and forms[a].numbers == forms[b].numbers and OSA.distance(a, b) <= 1:
                    if _one_word_edit(forms[a], forms[b]):
                        pairs.add((a, b))
    return sorted(pairs)


_FUNCTION_WORDS = frozenset("a an and at based by for from in of on or the to via with".split())


def _stem(token):
    return token[:4]


def plausible_alias(a, b, max_words=8):
    """True when a paper's alias `b` of `a` (not an abbreviation of it) can name the same thing: at most
    `max_words` words, no comma, and a content word in common (by its first four letters), or one of them a
    name ("ElasticViT", "SB"), or one edit apart.

    Guards against extraction noise such as "iii" = "in combating label noise".

    Examples
    --------
    >>> from kg.link.normalize import normalize
    >>> plausible_alias(normalize("sub-network"), normalize("subnet")), plausible_alias(normalize("iii"),
    ...     normalize("in combating label noise"))
    (True, False)
    """
    for f in (a, b):
        if "," in f.text or len(tokens_of(f.spaced)) > max_words:
            return False
    sa = {_stem(t) for t in tokens_of(a.spaced) if t not in _FUNCTION_WORDS}
    sb = {_stem(t) for t in tokens_of(b.spaced) if t not in _FUNCTION_WORDS}
    if any(x.startswith(y) or y.startswith(x) for x in sa for y in sb):
        return True
    # a named thing and its description: "ElasticViT" = "Conflict-aware Supernet Training"
    if is_acronym(a.text) or is_acronym(b.text):
        return True
    return OSA.distance(a.key, b.key) <= 1
