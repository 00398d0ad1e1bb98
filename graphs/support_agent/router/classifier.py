"""A scoring classifier for the offline router: naive Bayes over normalised words and word pairs, pure Python.

Normalising is what makes a few examples per intent generalise: values (emails, ids, amounts, codes) become
placeholders; phrases and words map onto canonical words (English and Dutch, abbreviations, plurals) from
``vocabulary.yaml``; unknown words are corrected to a known word within a small edit distance; case and politeness
disappear. Word order matters only through adjacent pairs, so "points for jane" and "jane's points" score alike.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STOPWORDS = frozenset(
    """a an the and or of to for in on at by with from about into onto as is are was were be been being am do does did
    you your yours he him his she her hers it its we us our they them their this that these those there
    here please pls plz thanks thank thx kindly could would can will shall should may might must just now again also
    hi hello hey dear sir madam ok okay yes yeah so then but if not no too very really quite some any one already
    still want wants like need needs wanted let tell know wondering mind able what which wat welke welk
    de het een en of van voor op in aan met bij is zijn was je jij jouw u uw hij zij ze haar hem wij we
    ons onze jullie dit dat deze die er om te tot graag alsjeblieft alstublieft even kun kunt kan wil wilt mag zou
    nog al ook maar dan""".split()
)
IDF_POWER = 1.0
# Word pairs add word order but are seen in few examples; they count less than words, so one unseen pair cannot
# outweigh the words themselves.
BIGRAM_WEIGHT = 0.5
# Words shorter than this are not typo-corrected (too many short words are one edit apart).
MIN_CORRECT = 4
_PLACEHOLDER = re.compile(r"x(?:email|uuid|money|num|code|date|time)")
_TOKEN = re.compile(r"x(?:email|uuid|money|num|code|date|time)\b|[a-zà-ÿ]+")


@dataclass(frozen=True)
class Vocabulary:
    """Phrase and word mappings onto canonical words (see vocabulary.yaml)."""

    phrases: re.Pattern[str]
    phrase_of: Mapping[str, str]
    words: Mapping[str, str]

    @classmethod
    def from_data(cls, data: Mapping[str, Mapping[str, list[str]]]) -> Vocabulary:
        phrases = data.get("phrases", {})
        phrase_of = {variant.lower(): canon for canon, variants in phrases.items() for variant in variants}
        alternatives = "|".join(re.escape(v) for v in sorted(phrase_of, key=len, reverse=True))
        pattern = re.compile(r"(?<![a-zà-ÿ])(?:" + alternatives + r")(?![a-zà-ÿ])")
        words = {v.lower(): canon for canon, variants in data.get("words", {}).items() for v in variants or []}
        words.update({canon: canon for canon in data.get("words", {})})
        return cls(pattern, phrase_of, words)


def mask_values(text: str) -> str:
    """Replace the values in a message by placeholders; a code also says what it is (voucher, giftcard, card, order)."""
    from graphs.support_agent.parsing import CODE, EMAIL, MONEY_ANY, UUID, code_kind

    text = EMAIL.sub(" xemail ", text)
    text = UUID.sub(" xuuid ", text)
    text = CODE.sub(lambda m: f" xcode {code_kind(m.group(0), text)} ", text)
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?\b", " xdate ", text)
    text = re.sub(r"\b\d{1,2}:\d{2}\b", " xtime ", text)
    text = MONEY_ANY.sub(" xmoney ", text)
    return re.sub(r"\d+", " xnum ", text)


class Classifier:
    """Multinomial naive Bayes over canonical unigrams and bigrams, trained on the intents' examples."""

    def __init__(self, examples: Mapping[str, Iterable[str]], vocabulary: Vocabulary, *, alpha: float = 0.2) -> None:
        self.vocabulary = vocabulary
        self.alpha = alpha
        self.known: set[str] = set(vocabulary.words) | set(vocabulary.words.values())
        # Canonical words of phrases ("howmany", "signout") are words as written: never split nor "corrected".
        self.phrase_words = frozenset(w for canon in vocabulary.phrase_of.values() for w in canon.split())
        for texts in examples.values():
            for text in texts:
                self.known.update(_TOKEN.findall(text.lower()))
        self.known -= STOPWORDS
        # Words of phrases ("postal code", "date of birth") are targets for typo correction too (see ``spell``).
        # Long stopwords too ("shuold" -> should), so a misspelt one is dropped rather than left as an unknown word.
        self.spelled = (
            self.known
            | ({w for v in vocabulary.phrase_of for w in _TOKEN.findall(v)} - STOPWORDS)
            | {w for w in STOPWORDS if len(w) >= 5}
        )
        # Deletion neighbourhoods (as in SymSpell): two words within edit distance d share a string made by deleting
        # at most d letters from each, so candidates are dictionary look-ups, not a scan of the vocabulary.
        self._neighbours: dict[str, set[str]] = {}
        for word in self.spelled:
            for variant in _deletions(word, _limit(word)):
                self._neighbours.setdefault(variant, set()).add(word)
        self.counts: dict[str, Counter[str]] = {}
        self.sizes: dict[str, int] = {}
        for intent, texts in examples.items():
            counter: Counter[str] = Counter()
            items = list(texts)
            for text in items:
                counter.update(set(self.features(text)))
            self.counts[intent] = counter
            self.sizes[intent] = len(items)
        self.features_known = set().union(*self.counts.values())
        size = len(self.features_known) + 1
        totals = {i: sum(c.values()) for i, c in self.counts.items()}
        self.log_missing = {i: math.log(alpha / (totals[i] + alpha * size)) for i in self.counts}
        self.log_prob = {
            i: {f: math.log((n + alpha) / (totals[i] + alpha * size)) for f, n in c.items()}
            for i, c in self.counts.items()
        }
        # How telling a feature is: words most intents use ("list", "show") count less than ones few use ("history").
        spread = Counter(f for c in self.counts.values() for f in c)
        intents = len(self.counts)
        self.idf = {f: math.log(1 + intents / n) ** IDF_POWER for f, n in spread.items()}

    def tokens(self, text: str) -> list[str]:
        """Canonical words of a message: values masked, phrases and words mapped, typos fixed, stopwords dropped."""
        lowered = mask_values(text).lower().replace("’", "'")
        lowered = re.sub(r"'s\b", "", lowered)
        lowered = self._join_particle(lowered)
        phrase_of = self.vocabulary.phrase_of
        lowered = self.vocabulary.phrases.sub(lambda m: f" {phrase_of[m.group(0)]} ", lowered)
        out = []
        for raw in _TOKEN.findall(lowered):
            for word in self._parts(raw):
                if word and word not in STOPWORDS:
                    out.append(word)
        return out

    def spell(self, text: str) -> str:
        """The message with its misspelt lower-case words corrected as written ("brithday" -> "birthday",
        "posatl code" -> "postal code"), so slot rules read the words they expect. Values, capitalised or shouted
        words (names, places) and words the router knows are left alone."""
        return _SPELLABLE.sub(lambda m: self._respell(m.group(0)), text)

    def _respell(self, word: str) -> str:
        lower = word.lower()
        if len(word) < MIN_CORRECT or word[0].isupper() or lower in STOPWORDS:
            return word  # capitalised or shouted: maybe a name or a place ("LEIDEN" is not a typo of "leden")
        if lower in self.spelled or lower in self.vocabulary.words or any(s in self.spelled for s in _stems(lower)):
            return word
        return _correct_cached(self, lower) or word

    def _join_particle(self, lowered: str) -> str:
        """A Dutch separable verb split over the sentence ("meld hem af", "schrijf x in als lid", "zeg het op") as
        the one word the vocabulary knows ("afmelden", "inschrijven", "opzeggen")."""
        end = _PARTICLE_AT_END.search(lowered)
        if not end:
            return lowered
        particle, head = end.group(1), lowered[: end.start()]
        for hit in _WORD.finditer(head):
            for verb in _infinitives(hit.group(0)):
                joined = particle + verb
                if joined in self.vocabulary.phrase_of or joined in self.vocabulary.words:
                    return head[: hit.start()] + joined + head[hit.end() :]
        return lowered

    def _parts(self, raw: str) -> list[str]:
        """The canonical word of a token; an unknown compound ("klantenlijst", "puntenoverzicht") as its two parts."""
        word = self._canonical(raw)
        if word != raw or raw in self.known or raw in self.phrase_words or len(raw) < 7 or _PLACEHOLDER.fullmatch(raw):
            return [word]
        split = _split_cached(self, raw)
        return list(split) if split else [word]

    def exact(self, word: str) -> str | None:
        """The canonical form of a word known as written or through an inflection, without typo correction."""
        words = self.vocabulary.words
        if word in words:
            return words[word]
        if word in self.known:
            return word
        for stem in _stems(word):
            if stem in words:
                return words[stem]
            if stem in self.known:
                return stem
        return None

    def features(self, text: str) -> list[str]:
        words = self.tokens(text)
        return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]

    def scores(self, text: str) -> dict[str, float]:
        """Log-likelihood per intent of the message's known features (higher is better)."""
        return self.scores_of([f for f in self.features(text) if f in self.features_known])

    def scores_of(self, feats: list[str]) -> dict[str, float]:
        weights = [(f, self.idf[f] * (BIGRAM_WEIGHT if "_" in f else 1.0)) for f in feats]
        return {i: sum(w * probs.get(f, self.log_missing[i]) for f, w in weights) for i, probs in self.log_prob.items()}

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Intents best first, with the number of known features as a tie-free secondary signal."""
        return sorted(self.scores(text).items(), key=lambda kv: -kv[1])

    def known_features(self, text: str) -> int:
        return sum(1 for f in self.features(text) if f in self.features_known)

    def _canonical(self, word: str) -> str:
        return _canonical(self, word)

    def correct(self, word: str) -> str | None:
        """The known word within edit distance 1 (2 for long words) of an unknown one, if there is exactly one best."""
        limit = _limit(word)
        candidates: set[str] = set()
        for variant in _deletions(word, limit):
            candidates |= self._neighbours.get(variant, set())
        best: list[tuple[int, str]] = []
        for candidate in candidates:
            distance = _distance(word, candidate, limit)
            if distance <= limit:
                best.append((distance, candidate))
        if not best:
            return None
        best.sort()
        top = [c for d, c in best if d == best[0][0]]
        mapped = {self.vocabulary.words.get(c, c) for c in top}
        return top[0] if len(mapped) == 1 else None


def _canonical(classifier: Classifier, word: str) -> str:
    words = classifier.vocabulary.words
    if _PLACEHOLDER.fullmatch(word) or word in STOPWORDS or word in classifier.phrase_words:
        return word
    if word in words:
        return words[word]
    for stem in _stems(word):
        if stem in words:
            return words[stem]
        if stem in classifier.known:
            return stem
    if word in classifier.known:
        return word
    if len(word) >= MIN_CORRECT:
        fixed = _correct_cached(classifier, word)
        if fixed:
            return words.get(fixed, fixed)
    return word


_CORRECTIONS: dict[tuple[int, str], str | None] = {}
_SPLITS: dict[tuple[int, str], tuple[str, str] | None] = {}
# Linking letters between the parts of a Dutch compound (klant-en-lijst, verjaardag-s-bonus).
_LINKS = ("", "s", "en", "e")


def _split_cached(classifier: Classifier, word: str) -> tuple[str, str] | None:
    """Two known words a compound is made of (Dutch writes "puntenoverzicht", "klantenlijst" as one word)."""
    key = (id(classifier), word)
    if key not in _SPLITS:
        if len(_SPLITS) > 50_000:
            _SPLITS.clear()
        best: tuple[int, tuple[str, str]] | None = None
        for i in range(3, len(word) - 2):
            right = classifier.exact(word[i:])
            if right is None or right in STOPWORDS:
                continue
            for link in _LINKS:
                head = word[:i]
                if link and not head.endswith(link):
                    continue
                left = classifier.exact(head[: len(head) - len(link)] if link else head)
                if left is None or left in STOPWORDS or len(head) - len(link) < 3:
                    continue
                balance = min(i, len(word) - i)
                if best is None or balance > best[0]:
                    best = (balance, (left, right))
        _SPLITS[key] = best[1] if best else None
    return _SPLITS[key]


def _correct_cached(classifier: Classifier, word: str) -> str | None:
    key = (id(classifier), word)
    if key not in _CORRECTIONS:
        if len(_CORRECTIONS) > 50_000:
            _CORRECTIONS.clear()
        _CORRECTIONS[key] = classifier.correct(word)
    return _CORRECTIONS[key]


def _limit(word: str) -> int:
    return 1 if len(word) < 7 else 2


def _deletions(word: str, depth: int) -> set[str]:
    """The word and every string made by deleting up to ``depth`` of its letters."""
    out, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


_SPELLABLE = re.compile(r"(?<![\w@.\-/])[A-Za-zà-ÿ]{4,}(?![\w@\-/]|\.\w)")
_PARTICLE_AT_END = re.compile(r"\s(af|aan|in|op|uit|terug|bij|om|toe|weg|na)\s*[.!?]*\s*$")
_WORD = re.compile(r"(?<![\w@.-])[a-z]{2,}(?![\w@.-])")


def _infinitives(word: str) -> list[str]:
    """Dutch infinitives a present-tense form may come from: meld(t) -> melden, zeg -> zeggen, haal -> halen,
    schrijf -> schrijven, draai -> draaien."""
    base = word[:-1] if word.endswith("t") and len(word) > 3 else word
    out = [base, base + "en", base + "n", base + base[-1] + "en"]
    if base.endswith("f"):
        out.append(base[:-1] + "ven")
    if base.endswith("s"):
        out.append(base[:-1] + "zen")
    if len(base) > 3 and base[-3] == base[-2] and base[-2] in "aeou":
        out.append(base[:-2] + base[-1] + "en")
    return out


def _stems(word: str) -> list[str]:
    """Candidate singulars / bases: English plurals and -ed/-ing, Dutch plurals."""
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        out.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        out.append(word[:-1])
    if word.endswith("en") and len(word) > 4:
        out.append(word[:-2])
    if word.endswith("ed") and len(word) > 4:
        out += [word[:-2], word[:-1]]
    if word.endswith("ing") and len(word) > 5:
        out += [word[:-3], word[:-3] + "e"]
    if word.endswith("t") and len(word) > 4:
        out.append(word[:-1])  # Dutch present tense: koppelt -> koppel
    if word.startswith("ge") and word[-1] in "dt" and len(word) > 6:
        out += [word[2:-1], word[2:-1] + "en"]  # Dutch participle: gekoppeld -> koppel(en)
    return out


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent swaps count one), stopping early beyond ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
