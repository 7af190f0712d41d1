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
# ("mal": Spanish "badly" but a German particle; "kind": English "kind" but German "child").
AMBIGUOUS_ACROSS_LANGUAGES = frozenset({"mal", "sale", "kind", "mist"})

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


def fold(text: str) -> str:
    """Lower case without accents, the same length as ``text`` (after :func:`normalize`)."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE).lower()


# --- tokens

_WORD, _SYMBOL, _BREAK = 0, 1, 2
_TOKEN_RE = re.compile(
    r"(?P<w>[^\W\d_]+(?:'[^\W\d_]+)*)"
    r"|(?P<e>[\u2600-\u27bf\u2b50\u2b55\U0001f300-\U0001faff]|(?<![\w:;])[:;]-?[()](?![\w(]))"
    r"|(?P<b>[!?]{2,}|[.!?,;:()\n\u2026])"
)
# French (and Italian) elisions: "j'adore" → "adore", "n'est" → "ne est".
_ELISIONS = frozenset({"l", "d", "j", "m", "t", "n", "s", "c", "qu", "jusqu", "lorsqu", "puisqu"})
# Three or more capitalised words in a row: shouting.
SHOUTING = re.compile(
    r"(?<!\w)[A-ZÀ-ÖØ-ÞŒ]{2,}(?:[ \t,;:'’\-]+[A-ZÀ-ÖØ-ÞŒ]+){2,}(?!\w)"
)


def is_shouting(run: str) -> bool:
    """A :data:`SHOUTING` match that is more than a string of acronyms ("DHL UPS DPD")."""
    words = [w for w in re.split(r"[^A-Za-zÀ-ÖØ-öø-ÿŒœ]+", run) if len(w) >= 2]
    return len(words) >= 3 and any(len(w) >= 4 for w in words)


@dataclass(slots=True)
class _Tokens:
    norms: list[str]
    starts: list[int]
    ends: list[int]
    kinds: list[int]
    bursts: list[tuple[int, int]]


def _tokenize(folded: str, contrast: frozenset[str]) -> _Tokens:
    tokens = _Tokens([], [], [], [], [])
    norms, starts, ends, kinds = tokens.norms, tokens.starts, tokens.ends, tokens.kinds
    for match in _TOKEN_RE.finditer(folded):
        group = match.lastgroup
        start, end = match.span()
        token = match.group()
        if group == "w":
            quote = token.find("'")
            if quote > 0 and token[:quote] in _ELISIONS:
                if quote == 1 and token[0] == "n":
                    norms.append("ne")
                    starts.append(start)
                    ends.append(start + 2)
                    kinds.append(_WORD)
                start += quote + 1
                token = token[quote + 1:]
            if "ß" in token:
                token = token.replace("ß", "ss")
            kind = _BREAK if token in contrast else _WORD
        elif group == "e":
            kind = _SYMBOL
        else:
            kind = _BREAK
            if len(token) > 1:
                tokens.bursts.append((start, end))
        norms.append(token)
        starts.append(start)
        ends.append(end)
        kinds.append(kind)
    return tokens


def _key(text: str) -> list[str]:
    """A lexicon key as the tokenizer would see it in a message."""
    return _tokenize(fold(normalize(text)), frozenset()).norms


# --- lexicons


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, float]
    # first token → (the following tokens, weight), longest first
    phrases: dict[str, tuple[tuple[tuple[str, ...], float], ...]]
    negators: frozenset[str]
    intensifiers: dict[str, float]
    negated_only: dict[str, float]
    contrast: frozenset[str]
    post_negators: frozenset[str]


def _build(sources: Iterable[LanguageData], exclude: frozenset[str] = frozenset()) -> _Lexicon:
    words: dict[str, float] = {}
    phrases: dict[str, dict[tuple[str, ...], float]] = {}
    negators: set[str] = set()
    intensifiers: dict[str, float] = {}
    negated_only: dict[str, float] = {}
    contrast: set[str] = set()
    post_negators: set[str] = set()

    def folded(entries: Iterable[str]) -> set[str]:
        return {" ".join(_key(e)) for e in entries}

    for data in sources:
        for entry, weight in data.words.items():
            first, *rest = _key(entry)
            if rest:
                phrases.setdefault(first, {})[tuple(rest)] = weight
            elif first not in exclude:
                words[first] = weight
        negators |= folded(data.negators)
        intensifiers.update({" ".join(_key(k)): v for k, v in data.intensifiers.items()})
        negated_only.update({" ".join(_key(k)): v for k, v in data.negated_only.items()})
        contrast |= folded(data.contrast)
        post_negators |= folded(data.post_negators)
    return _Lexicon(
        words=words,
        phrases={
            first: tuple(sorted(options.items(), key=lambda o: -len(o[0])))
            for first, options in phrases.items()
        },
        negators=frozenset(negators),
        intensifiers=intensifiers,
        negated_only=negated_only,
        contrast=frozenset(contrast),
        post_negators=frozenset(post_negators),
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


# --- scoring


def label_for(score: float) -> Label:
    if score <= NEGATIVE_AT:
        return "negative"
    if score >= POSITIVE_AT:
        return "positive"
    return "neutral"


def _fmt(value: float) -> str:
    text = f"{value:+.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _surface(text: str, start: int, end: int) -> str:
    surface = " ".join(text[start:end].split())
    return surface if len(surface) <= MAX_SURFACE else surface[: MAX_SURFACE - 1] + "…"


@dataclass(slots=True)
class _Driver:
    label: str
    value: float
    count: int = 1


class _Drivers:
    """Contributions to the score, merged when the same driver repeats."""

    def __init__(self) -> None:
        self.total = 0.0
        self._by_key: dict[str, _Driver] = {}

    def add(self, label: str, value: float) -> None:
        self.total += value
        key = label.casefold()
        driver = self._by_key.get(key)
        if driver is None:
            self._by_key[key] = _Driver(label, value)
        else:
            driver.value += value
            driver.count += 1

    def top(self, limit: int) -> tuple[str, ...]:
        ranked = sorted(self._by_key.values(), key=lambda d: -abs(d.value))[:limit]
        return tuple(f"{d.label} ×{d.count}" if d.count > 1 else d.label for d in ranked)


def analyze_sentiment(text: str, language: str = "und") -> SentimentResult:
    """Label, score in [-1, 1] and the drivers behind it, strongest first.

    ``language`` is an ISO 639-1 code ("en", "fr", "de", "es"); any other ("und", "it", …)
    uses all lexicons together.
    """
    lexicon = _lexicon(language)
    text = normalize(text)
    folded = fold(text)
    tokens = _tokenize(folded, lexicon.contrast)
    norms, starts, ends, kinds = tokens.norms, tokens.starts, tokens.ends, tokens.kinds
    words, phrases, negators = lexicon.words, lexicon.phrases, lexicon.negators
    intensifiers, negated_only = lexicon.intensifiers, lexicon.negated_only
    post_negators = lexicon.post_negators

    drivers = _Drivers()
    consumed: set[int] = set()  # negators already used by a phrase or a post-negation
    caps = 0.0
    caps_words: list[str] = []
    all_caps = text.isupper()
    clause = 0
    count = len(norms)
    i = 0
    while i < count:
        kind = kinds[i]
        token = norms[i]
        if kind == _BREAK:
            clause = i + 1
            i += 1
            continue
        if kind == _SYMBOL:
            weight = EMOJI.get(token)
            if weight:
                drivers.add(f"{text[starts[i]:ends[i]]} ({_fmt(weight)})", weight)
            i += 1
            continue

        end = i + 1
        entry: float | None = None
        options = phrases.get(token)
        if options:
            for rest, phrase_weight in options:
                stop = end + len(rest)
                if stop <= count and all(
                    kinds[end + k] == _WORD and norms[end + k] == part
                    for k, part in enumerate(rest)
                ):
                    entry, end = phrase_weight, stop
                    consumed.update(range(i, stop))
                    break
        only_negated = False
        if entry is None:
            entry = words.get(token)
            if entry is None:
                entry = negated_only.get(token)
                if entry is None:
                    i += 1
                    continue
                only_negated = True
        if entry == 0.0:  # a blocker: "good morning", "kind regards"
            i = end
            continue

        first, last = i, end - 1
        negated = False
        boost = 0.0
        if token not in negators:  # "no problem" is a phrase, not a negated "problem"
            for j in range(i - 1, max(clause, i - NEGATION_WINDOW) - 1, -1):
                if kinds[j] != _WORD:
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
                    if norms[j] in post_negators:
                        negated, last = True, j
                        consumed.add(j)
                        break
        if only_negated and not negated:
            i = end
            continue

        if only_negated:
            value = entry
            detail = f"negated → {_fmt(value)}"
        elif negated:
            value = entry * NEGATION_SCALAR
            detail = f"negated {_fmt(entry)} → {_fmt(value)}"
        else:
            value = entry
            detail = ""
        if boost:
            boosted = max(-1.0, min(1.0, value * (1.0 + boost)))
            verb = "intensified" if boost > 0 else "dampened"
            detail = (f"{detail}, {verb} → {_fmt(boosted)}" if detail
                      else f"{verb} {_fmt(value)} → {_fmt(boosted)}")
            value = boosted
        surface = _surface(text, starts[first], ends[last])
        drivers.add(f"{surface} ({detail or _fmt(value)})", value)

        written = text[starts[i]:ends[end - 1]]
        if not all_caps and len(written) > 1 and written.isupper():
            caps += math.copysign(CAPS_EMPHASIS, value)
            caps_words.append(written)
        i = end

    lexical = drivers.total
    for match in SHOUTING.finditer(text):
        if is_shouting(match.group()):
            caps -= CAPS_EMPHASIS
            caps_words.append(match.group())
    if caps:
        caps = max(-MAX_CAPS_EMPHASIS, min(MAX_CAPS_EMPHASIS, caps))
        shown = ", ".join(_surface(w, 0, len(w)) for w in caps_words[:3])
        drivers.add(f"ALL CAPS: {shown} ({_fmt(caps)})", caps)
    _add_bursts(text, tokens.bursts, lexical, drivers)

    total = drivers.total
    score = round(total / math.sqrt(total * total + ALPHA), 3) if total else 0.0
    return SentimentResult(label=label_for(score), score=score, drivers=drivers.top(MAX_DRIVERS))


def _add_bursts(
    text: str, bursts: list[tuple[int, int]], lexical: float, drivers: _Drivers
) -> None:
    """"???" is impatience; "!!!" pushes whichever way the words lean (down when they don't)."""
    questions: list[str] = []
    exclamations: list[str] = []
    for start, end in bursts:
        (questions if "?" in text[start:end] else exclamations).append(text[start:end])
    budget = MAX_PUNCT_EMPHASIS
    for runs, sign in ((questions, -1.0), (exclamations, 1.0 if lexical > 0 else -1.0)):
        if not runs or budget <= 0:
            continue
        value = min(budget, PUNCT_EMPHASIS * len(runs))
        budget -= value
        label = runs[0][:5] + (f" ×{len(runs)}" if len(runs) > 1 else "")
        drivers.add(f"{label} ({_fmt(sign * value)})", sign * value)

