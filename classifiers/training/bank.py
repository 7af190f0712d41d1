"""The shape of one language's hand-written phrase bank.

Phrase text is written as one utterance per line inside a triple-quoted string, so the banks
read like the lists of messages they are. Two tiny notations keep them compact:

* ``[a|b|c]`` picks one alternative (an empty alternative, ``[please |]``, makes it optional);
  groups may nest.
* ``{slot}`` is replaced by a value from :attr:`LanguageBank.slots` (``{colour2}`` picks a
  value different from ``{colour}``; ``{n}`` is a random order number).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LanguageBank:
    code: str
    # label -> utterances, one per line ("#" starts a comment line).
    core: dict[str, str]
    # label -> slot/choice templates, one per line.
    templates: dict[str, str]
    slots: dict[str, list[str]]
    # Chat-style additions.
    openers: list[str]
    closers: list[str]
    # Email wrappers.
    greetings: list[str]
    order_contexts: list[str]
    generic_contexts: list[str]
    followups: dict[str, list[str]]
    closings: list[str]
    names: list[str]
    # Realistic misspellings: lower-case word or phrase -> replacements.
    typos: dict[str, list[str]]
    # Words that open a question, for punctuating bare utterances inside emails.
    question_starts: tuple[str, ...] = ()
    # Probabilities of the noise steps.
    email_rate: float = 0.14
    typo_rate: float = 0.3
    accent_strip_rate: float = 0.0
    extra: dict[str, list[str]] = field(default_factory=dict)


def lines(block: str) -> list[str]:
    """The non-empty, non-comment lines of a phrase block, stripped."""
    out: list[str] = []
    for raw in block.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out
