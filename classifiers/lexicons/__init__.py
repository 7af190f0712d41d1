"""Word lists for the lexicon-based sentiment and urgency passes, one module per language.

Each language module (``en``, ``fr``, ``de``, ``es``) holds plain data:

* ``WORDS`` — word or phrase → weight in [-1, 1], written naturally (accents and all); the
  sentiment pass folds keys the way it folds text, so "déçue" and "decue" are one entry;
* ``NEGATORS``, ``INTENSIFIERS`` (word → boost; negative dampens), ``NEGATED_ONLY`` (neutral
  alone, negative when negated: "never arrived"), ``CONTRAST`` (clause breaks: "but"),
  ``POST_NEGATORS`` (negation after the word, as in German);
* ``URGENCY`` — urgency kind → regular expressions over folded text.

``emoji.EMOJI`` is shared by all languages. Adding a language is adding a module here and an
entry in ``LANGUAGES``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType

from classifiers.lexicons import de, en, es, fr


@dataclass(frozen=True, slots=True)
class LanguageData:
    words: Mapping[str, float]
    negators: frozenset[str]
    intensifiers: Mapping[str, float]
    negated_only: Mapping[str, float]
    contrast: frozenset[str]
    post_negators: frozenset[str]
    urgency: Mapping[str, tuple[str, ...]]


def _data(module: ModuleType) -> LanguageData:
    return LanguageData(
        words=module.WORDS, negators=module.NEGATORS, intensifiers=module.INTENSIFIERS,
        negated_only=module.NEGATED_ONLY, contrast=module.CONTRAST,
        post_negators=module.POST_NEGATORS, urgency=module.URGENCY,
    )


LANGUAGES: dict[str, LanguageData] = {
    code: _data(module) for code, module in (("en", en), ("fr", fr), ("de", de), ("es", es))
}
