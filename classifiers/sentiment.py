"""Sentiment from multilingual lexicons, explained by the words and signals that moved it.

A lexicon rather than a trained model: we have no labelled sentiment data of our own, and an
agent must be able to see *why* a message scored negative. The scorer is VADER-like:

* each word or phrase of ``classifiers.lexicons`` adds its weight (phrases win over words);
* a negator up to three words before, in the same clause, flips and damps it ("not happy",
  "pas content", "no estoy nada contento"); German may also negate after ("gefällt mir nicht");
  some words only count when negated ("never arrived", "nicht angekommen");
* an intensifier up to two words before scales it ("very", "très", "sehr", "muy");
  a dampener shrinks it ("a bit late");
* a sentiment word in capitals, or a shouted run of three capitalised words, adds emphasis;
* "???" reads as impatience, "!!!" emphasises whichever way the words lean;
* emoji and emoticons have weights of their own.

The sum ``s`` is squashed into [-1, 1] as ``s / sqrt(s² + ALPHA)``. Text is matched case- and
accent-insensitively; drivers quote it as written. One pass over the tokens: linear in the text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from classifiers.lexicons import LANGUAGES, LanguageData
from classifiers.lexicons.emoji import EMOJI
from schemas.classification import SentimentResult

NEGATIVE_AT = -0.25  # score ≤ this: negative
POSITIVE_AT = 0.25  # score ≥ this: positive
ALPHA = 1.0  # squashing constant: a lone -0.4 word scores about -0.37
NEGATION_SCALAR = -0.75  # "not happy" (+0.6) → -0.45; "not bad" (-0.5) → +0.375
NEGATION_WINDOW = 3  # words before the sentiment word, within its clause
INTENSIFIER_WINDOW = 2
POST_NEGATION_WINDOW = 2
CAPS_EMPHASIS = 0.2  # per capitalised sentiment word, and per shouted run
MAX_CAPS_EMPHASIS = 0.4
PUNCT_EMPHASIS = 0.1  # per "!!!" / "???" burst
MAX_PUNCT_EMPHASIS = 0.3
MAX_DRIVERS = 8
MAX_SURFACE = 40
# Entries that mean something else in another language: left out when the language is unknown
# ("mal": Spanish "badly" but a German particle; "kind": English "kind" but German "child";
# "contents": French "happy" but the English contents of a parcel).
AMBIGUOUS_ACROSS_LANGUAGES = frozenset({"mal", "sale", "kind", "mist", "contents"})

Label = Literal["negative", "neutral", "positive"]

# --- folding: lower case, accents stripped, apostrophes straightened — one character for one,
# so that offsets in the folded text are offsets in the original.


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x2000):
        decomposed = unicodedata.normalize("NFD", chr(code))
        if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
            table[code] = decomposed[0]
    for apostrophe in "’‘ʼ´`":
        table[ord(apostrophe)] = "'"
    table[0x130] = "I"  # "İ".lower() is two characters
    return table


_FOLD_TABLE = _fold_table()


def normalize(text: str) -> str:
    """NFC, so that a decomposed "é" (e + combining accent) folds like a composed one."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_char(match: re.Match[str]) -> str:
    char = match.group()
    return _FOLD_TABLE.get(ord(char), char)


def fold(text: str) -> str:
    """Lower case without accents, the same length as ``text`` (after :func:`normalize`)."""
    if text.isascii():
        return text.lower()
    return _NON_ASCII.sub(_fold_char, text).lower()


# --- tokens: words, elisions ("l'", "n'"), emoji and emoticons, punctuation

_WORD, _SYMBOL, _BREAK = 0, 1, 2
_TOKEN_RE = re.compile(
    r"(?:[ldjmtnsc]|qu|jusqu|lorsqu|puisqu)'(?=\w)"  # French elisions: "n'est" → "n'", "est"
    r"|\w+(?:'\w+)*"
    r"|[:;]-?[()](?![\w(])"  # emoticons
    r"|[^\w\s]|\n"
)
_BREAK_TOKENS = frozenset(".!?,;:()\n\u2026")
_BURSTS = re.compile(r"[!?]{2,}")
_CAPITAL = "A-ZÀ-ÖØ-ÞŒ"
# Three or more capitalised words in a row: shouting. (It starts with a character class rather
# than a look-behind, so the regex engine can skip ahead to capitals.)
SHOUTING = re.compile(
    rf"[{_CAPITAL}](?<!\w.)[{_CAPITAL}]+(?:[ \t,;:'’\-]+[{_CAPITAL}]+){{2,}}(?!\w)"
)


def is_shouting(run: str) -> bool:
    """A :data:`SHOUTING` match that is more than a string of acronyms ("DHL UPS DPD")."""
    words = [w for w in re.split(r"[^A-Za-zÀ-ÖØ-öø-ÿŒœ]+", run) if len(w) >= 2]
    return len(words) >= 3 and any(len(w) >= 4 for w in words)


def _tokens(folded: str) -> tuple[list[re.Match[str]], list[str]]:
    matches = list(_TOKEN_RE.finditer(folded))
    norms = list(map(re.Match.group, matches))
    if "ß" in folded:
        norms = [token.replace("ß", "ss") for token in norms]
    return matches, norms


def _key(entry: str) -> tuple[str, ...]:
    """A lexicon entry as the tokenizer sees it in a message."""
    return tuple(_tokens(fold(normalize(entry)))[1])


def _word(entry: str) -> str:
    return fold(normalize(entry)).replace("ß", "ss")


# --- lexicons


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, float]
    # first token → (the following tokens, weight), longest first
    phrases: dict[str, tuple[tuple[list[str], float], ...]]
    negators: frozenset[str]
    intensifiers: dict[str, float]
    negated_only: dict[str, float]
    post_negators: frozenset[str]
    kinds: dict[str, int]  # token → _SYMBOL / _BREAK (contrast words break clauses); else _WORD
    triggers: frozenset[str]  # every token that can start a hit: nothing else is looked at


def _build(sources: Iterable[LanguageData], exclude: frozenset[str] = frozenset()) -> _Lexicon:
    words: dict[str, float] = {}
    phrases: dict[str, dict[tuple[str, ...], float]] = {}
    negators: set[str] = set()
    intensifiers: dict[str, float] = {}
    negated_only: dict[str, float] = {}
    contrast: set[str] = set()
    post_negators: set[str] = set()
    for data in sources:
        for entry, weight in data.words.items():
            first, *rest = _key(entry)
            if rest:
                phrases.setdefault(first, {})[tuple(rest)] = weight
            elif first not in exclude:
                words[first] = weight
        negators.update(map(_word, data.negators))
        intensifiers.update({_word(k): v for k, v in data.intensifiers.items()})
        negated_only.update({_word(k): v for k, v in data.negated_only.items()})
        contrast.update(map(_word, data.contrast))
        post_negators.update(map(_word, data.post_negators))
    kinds = dict.fromkeys(EMOJI, _SYMBOL)
    kinds.update(dict.fromkeys(_BREAK_TOKENS | contrast, _BREAK))
    return _Lexicon(
        words=words,
        phrases={
            first: tuple((list(rest), weight) for rest, weight in sorted(
                options.items(), key=lambda o: -len(o[0])))
            for first, options in phrases.items()
        },
        negators=frozenset(negators),
        intensifiers=intensifiers,
        negated_only=negated_only,
        post_negators=frozenset(post_negators),
        kinds=kinds,
        triggers=frozenset(w for w, weight in words.items() if weight)
        | frozenset(negated_only) | frozenset(phrases) | frozenset(EMOJI),
    )


_LEXICONS: dict[str, _Lexicon] = {code: _build([data]) for code, data in LANGUAGES.items()}
_ALL_LANGUAGES = _build(LANGUAGES.values(), exclude=AMBIGUOUS_ACROSS_LANGUAGES)


@lru_cache(maxsize=64)
def _lexicon(language: str) -> _Lexicon:
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return _LEXICONS.get(code, _ALL_LANGUAGES)


def lexicon_sizes() -> dict[str, int]:
    """Entries (words and phrases) per language, and the shared emoji."""
    sizes = {code: len(data.words) + len(data.negated_only) for code, data in LANGUAGES.items()}
    sizes["emoji"] = len(EMOJI)
    return sizes


# --- drivers: what moved the score, labelled only for the few that are shown


def _fmt(value: float) -> str:
    text = f"{value:+.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _surface(text: str) -> str:
    surface = " ".join(text.split())
    return surface if len(surface) <= MAX_SURFACE else surface[: MAX_SURFACE - 1] + "…"


@dataclass(slots=True)
class _Driver:
    value: float  # summed over repeats
    label: str = ""  # ready-made; else built from the fields below
    start: int = 0
    end: int = 0
    entry: float = 0.0  # lexicon weight
    each: float = 0.0  # after negation and intensifiers
    negation: int = 0  # 0: none, 1: negated, 2: counts only when negated
    boost: float = 0.0
    count: int = 1

    def describe(self, text: str) -> str:
        label = self.label
        if not label:
            if self.negation == 2:
                detail = f"negated → {_fmt(self.each)}"
            elif self.negation == 1:
                negated = self.entry * NEGATION_SCALAR
                detail = f"negated {_fmt(self.entry)} → {_fmt(negated)}"
                if self.boost:
                    detail += f", {_boost_verb(self.boost)} → {_fmt(self.each)}"
            elif self.boost:
                detail = f"{_boost_verb(self.boost)} {_fmt(self.entry)} → {_fmt(self.each)}"
            else:
                detail = _fmt(self.each)
            label = f"{_surface(text[self.start:self.end])} ({detail})"
        return f"{label} ×{self.count}" if self.count > 1 else label


def _boost_verb(boost: float) -> str:
    return "intensified" if boost > 0 else "dampened"


class _Drivers:
    """Contributions to the score, merged when the same one repeats."""

    def __init__(self) -> None:
        self.total = 0.0
        self._by_key: dict[object, _Driver] = {}

    def add(self, key: object, driver: _Driver) -> None:
        self.total += driver.value
        known = self._by_key.get(key)
        if known is None:
            self._by_key[key] = driver
        else:
            known.value += driver.value
            known.count += 1

    def top(self, text: str, limit: int) -> tuple[str, ...]:
        ranked = sorted(self._by_key.values(), key=lambda d: -abs(d.value))[:limit]
        return tuple(d.describe(text) for d in ranked)


# --- scoring


def label_for(score: float) -> Label:
    if score <= NEGATIVE_AT:
        return "negative"
    if score >= POSITIVE_AT:
        return "positive"
    return "neutral"


def analyze_sentiment(text: str, language: str = "und") -> SentimentResult:
    """Label, score in [-1, 1] and the drivers behind it, strongest first.

    ``language`` is an ISO 639-1 code ("en", "fr", "de", "es"); any other ("und", "it", …)
    uses all lexicons together.
    """
    lexicon = _lexicon(language)
    text = normalize(text)
    folded = fold(text)
    matches, norms = _tokens(folded)
    kind_of = lexicon.kinds
    kinds = [kind_of.get(token, _WORD) for token in norms]
    triggers = lexicon.triggers
    hits = [i for i, token in enumerate(norms) if token in triggers]

    drivers = _Drivers()
    caps_words: list[str] = []
    caps = _score_hits(text, folded, matches, norms, kinds, hits, lexicon, drivers, caps_words)
    lexical = drivers.total
    if folded != text:  # there may be capitals
        for match in SHOUTING.finditer(text):
            if is_shouting(match.group()):
                caps -= CAPS_EMPHASIS
                caps_words.append(match.group())
    if caps:
        caps = max(-MAX_CAPS_EMPHASIS, min(MAX_CAPS_EMPHASIS, caps))
        shown = ", ".join(_surface(w) for w in caps_words[:3])
        drivers.add("caps", _Driver(caps, label=f"ALL CAPS: {shown} ({_fmt(caps)})"))
    _add_bursts(text, lexical, drivers)

    total = drivers.total
    score = round(total / math.sqrt(total * total + ALPHA), 3) if total else 0.0
    return SentimentResult(
        label=label_for(score), score=score, drivers=drivers.top(text, MAX_DRIVERS)
    )


def _score_hits(
    text: str, folded: str, matches: list[re.Match[str]], norms: list[str], kinds: list[int],
    hits: list[int], lexicon: _Lexicon, drivers: _Drivers, caps_words: list[str],
) -> float:
    """Add each lexicon hit, with its negation and intensifiers, to ``drivers``; return the
    emphasis from sentiment words written in capitals."""
    negators, intensifiers = lexicon.negators, lexicon.intensifiers
    words, phrases, negated_only = lexicon.words, lexicon.phrases, lexicon.negated_only
    post_negators = lexicon.post_negators
    count = len(norms)
    consumed: set[int] = set()  # negators already used, by a phrase or another word
    check_caps = folded != text and not text.isupper()  # capitals, but not only capitals
    caps = 0.0
    free = 0  # tokens before this one belong to a phrase already scored
    for i in hits:
        if i < free:
            continue
        token = norms[i]
        kind = kinds[i]
        if kind == _SYMBOL:
            weight = EMOJI[token]
            written = text[matches[i].start():matches[i].end()]
            drivers.add(token, _Driver(weight, label=f"{written} ({_fmt(weight)})"))
            continue
        if kind != _WORD:
            continue
        end = i + 1
        entry: float | None = None
        for rest, phrase_weight in phrases.get(token, ()):
            stop = end + len(rest)
            if norms[end:stop] == rest:
                entry, end = phrase_weight, stop
                consumed.update(range(i, stop))
                break
        negation = 0
        if entry is None:
            entry = words.get(token)
            if entry is None:
                entry = negated_only.get(token)
                if entry is None:
                    continue
                negation = 2
        free = end
        if entry == 0.0:  # a blocker: "good morning", "kind regards"
            continue

        first, last = i, end - 1
        negated = False
        boost = 0.0
        if token not in negators:  # "no problem" is a phrase, not a negated "problem"
            for j in range(i - 1, max(-1, i - 1 - NEGATION_WINDOW), -1):
                kind = kinds[j]
                if kind == _BREAK:
                    break
                if kind != _WORD:
                    continue
                previous = norms[j]
                if previous in negators and j not in consumed:
                    negated, first = True, j
                    consumed.add(j)  # one negator, one word: "nicht X und Y nicht"
                elif j >= i - INTENSIFIER_WINDOW and previous in intensifiers:
                    boost += intensifiers[previous]
                    first = min(first, j)
            if not negated and post_negators:
                for j in range(end, min(end + POST_NEGATION_WINDOW, count)):
                    if kinds[j] != _WORD:
                        break
                    if norms[j] in post_negators and j not in consumed:
                        negated, last = True, j
                        consumed.add(j)
                        break
        if negation == 2:
            if not negated:
                continue
            value = entry
        elif negated:
            negation = 1
            value = entry * NEGATION_SCALAR
        else:
            value = entry
        if boost:
            value = max(-1.0, min(1.0, value * (1.0 + boost)))
        start, stop = matches[first].start(), matches[last].end()
        drivers.add(
            (folded[start:stop], negation, entry, boost),
            _Driver(value, "", start, stop, entry, value, negation, boost),
        )
        if check_caps:
            written = text[matches[i].start():matches[end - 1].end()]
            if len(written) > 1 and written.isupper():
                caps += math.copysign(CAPS_EMPHASIS, value)
                caps_words.append(written)
    return caps


def _add_bursts(text: str, lexical: float, drivers: _Drivers) -> None:
    """"???" is impatience; "!!!" pushes whichever way the words lean (down when they don't)."""
    questions: list[str] = []
    exclamations: list[str] = []
    for match in _BURSTS.finditer(text):
        run = match.group()
        (questions if "?" in run else exclamations).append(run)
    budget = MAX_PUNCT_EMPHASIS
    for runs, sign in ((questions, -1.0), (exclamations, 1.0 if lexical > 0 else -1.0)):
        if not runs or budget <= 0:
            continue
        value = sign * min(budget, PUNCT_EMPHASIS * len(runs))
        budget -= abs(value)
        repeat = f" ×{len(runs)}" if len(runs) > 1 else ""
        drivers.add(runs[0][0], _Driver(value, label=f"{runs[0][:5]}{repeat} ({_fmt(value)})"))
