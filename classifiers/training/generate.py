"""Build ``intents.jsonl``, the intent-classifier training corpus, from hand-written phrase banks.

Run ``python -m classifiers.training.generate [OUT_PATH]``. The output is deterministic (one
seeded :class:`random.Random`, no set iteration), so the committed file can be checked against a
fresh run byte for byte.

For every (language, label) the generator first emits each hand-written utterance once (slots
filled), then each template once, then noisy variants until the target count: politeness
openers/closers, realistic misspellings, casing and punctuation noise, and for a fraction an
email wrapper (greeting, context, body, follow-up, closing, signature). Texts are deduplicated
on a normalised key (case and punctuation folded), across labels too, so no text carries two
labels.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path

from classifiers.training import phrases_de, phrases_en, phrases_es, phrases_fr
from classifiers.training.bank import LanguageBank, lines

SEED = 20260421
DEFAULT_OUT = Path(__file__).resolve().parent / "intents.jsonl"

LABELS: tuple[str, ...] = (
    "order_status", "delivery_info", "shipping_address", "order_change", "order_cancel",
    "return_exchange", "refund", "damaged_or_wrong_item", "payment_billing", "invoice",
    "product_question", "account", "complaint", "feedback", "human_agent", "other",
)
# Labels with a solid foreign-language share; the rest get a smaller one.
COMMON_LABELS: tuple[str, ...] = (
    "order_status", "delivery_info", "shipping_address", "order_cancel", "return_exchange",
    "refund", "damaged_or_wrong_item", "payment_billing", "invoice", "account", "human_agent",
    "complaint",
)
# Labels whose emails may open with "I'm writing about order #…".
ORDER_LABELS: tuple[str, ...] = (
    "order_status", "shipping_address", "order_change", "order_cancel", "return_exchange",
    "refund", "damaged_or_wrong_item", "payment_billing", "invoice", "complaint",
)
BANKS: tuple[LanguageBank, ...] = (
    phrases_en.BANK, phrases_fr.BANK, phrases_de.BANK, phrases_es.BANK,
)
ENGLISH_TARGET = 230
FOREIGN_TARGET_COMMON = 52
FOREIGN_TARGET_OTHER = 24

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")
_WORD = re.compile(r"[^\W\d_]{5,}")
_TYPO_PATTERNS: dict[str, re.Pattern[str]] = {}


def target_for(language: str, label: str) -> int:
    if language == "en":
        return ENGLISH_TARGET
    return FOREIGN_TARGET_COMMON if label in COMMON_LABELS else FOREIGN_TARGET_OTHER


def dedupe_key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" +([,.])", r"\1", text)
    text = re.sub(r",([,.?!])", r"\1", text)
    return text.strip()


def expand(
    template: str, bank: LanguageBank, rng: random.Random, chosen: dict[str, str] | None = None
) -> str:
    """Resolve ``[a|b]`` choices (innermost first) and ``{slot}`` values.

    ``chosen`` carries slot values between the parts of one message, so an email's context
    and body talk about the same product and order number.
    """
    text = template
    while (match := _CHOICE.search(text)) is not None:
        option = rng.choice(match.group(1).split("|"))
        text = text[: match.start()] + option + text[match.end() :]
    if chosen is None:
        chosen = {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in chosen:
            return chosen[name]
        if name == "n":
            upper = 9999999 if rng.random() < 0.2 else 999999
            chosen["n"] = str(rng.randint(100000, upper))
            return chosen["n"]
        base = name[:-1] if name.endswith("2") else name
        values = bank.slots[base]
        if base != name and base in chosen:
            values = [v for v in values if v != chosen[base]] or values
        value = _SLOT.sub(fill, rng.choice(values))
        chosen[name] = value
        return value

    return _tidy(_SLOT.sub(fill, text))


def _match_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _char_typo(text: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    word = match.group(0)
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("swap", "drop", "double"))
    if op == "swap":
        new = word[: i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == "drop":
        new = word[:i] + word[i + 1 :]
    elif word[i].lower() not in "aeiouyäöüéèà":
        new = word[:i] + word[i] + word[i:]
    else:  # doubled vowels look machine-made; drop a letter instead
        new = word[:i] + word[i + 1 :]
    return text[: match.start()] + new + text[match.end() :]


def strip_accents(text: str, language: str, transliterate: bool = False) -> str:
    """Typing without accents; German either drops umlauts or writes them ``ae``/``oe``/``ue``."""
    if language == "de":
        text = text.replace("ß", "ss")
        if transliterate:
            for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"),
                                  ("Ö", "Oe"), ("Ü", "Ue")):
                text = text.replace(umlaut, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if language == "es":
        plain = plain.replace("¿", "").replace("¡", "")
    return plain


def add_typos(text: str, bank: LanguageBank, rng: random.Random) -> str:
    changes = 0
    for key, replacements in bank.typos.items():
        if changes >= 3:
            break
        pattern = _TYPO_PATTERNS.get(key)
        if pattern is None:
            pattern = re.compile(
                r"(?<![\w'’])" + re.escape(key) + r"(?![\w'’])", re.IGNORECASE
            )
            _TYPO_PATTERNS[key] = pattern
        found = pattern.search(text)
        if found and rng.random() < 0.5:
            new = _match_case(rng.choice(replacements), found.group(0))
            text = text[: found.start()] + new + text[found.end() :]
            changes += 1
    if rng.random() < (0.5 if changes == 0 else 0.15):
        text = _char_typo(text, rng)
    return text


def _is_question(text: str, bank: LanguageBank) -> bool:
    lowered = text.lower().lstrip("¿")
    first = re.split(r"[\s,'’]+", lowered, maxsplit=1)[0]
    return text.startswith("¿") or first in bank.question_starts or "-vous" in lowered[:40]


def sentence(text: str, bank: LanguageBank) -> str:
    """Capitalise and punctuate a bare utterance for use inside an email."""
    text = text.strip()
    if not text:
        return text
    lead = len(text) - len(text.lstrip("¿¡"))
    text = text[:lead] + text[lead : lead + 1].upper() + text[lead + 1 :]
    if text[-1] not in ".?!":
        if "?" not in text and _is_question(text, bank):
            if bank.code == "es" and not text.startswith("¿"):
                text = "¿" + text
            text += "?"
        else:
            text += "."
    return text


def _join_opener(opener: str, text: str) -> str:
    if opener.endswith((".", "!", "?", ":")):
        return f"{opener} {text[:1].upper()}{text[1:]}"
    if text[:2] in ("I ", "I'") or opener.endswith(("so", "hi")):
        return f"{opener} {text}"
    return f"{opener} {text[:1].lower()}{text[1:]}"


def chat_noise(text: str, label: str, bank: LanguageBank, rng: random.Random) -> str:
    if rng.random() < 0.22:
        text = _join_opener(rng.choice(bank.openers), text)
    if rng.random() < 0.14:
        text = f"{text} {rng.choice(bank.closers)}"
    if rng.random() < bank.typo_rate:
        text = add_typos(text, bank, rng)
    if bank.accent_strip_rate and rng.random() < bank.accent_strip_rate:
        text = strip_accents(text, bank.code, transliterate=rng.random() < 0.5)
    roll = rng.random()
    caps_rate = 0.12 if label == "complaint" else 0.02
    if roll < caps_rate and len(text) < 90:
        text = text.upper()
    elif roll < 0.35:
        text = text.lower()
    elif roll < 0.6:
        text = text[:1].upper() + text[1:]
    roll = rng.random()
    if roll < 0.3:
        text = text.rstrip(".?! ")
    elif roll < 0.36:
        text = text.rstrip(".?! ") + rng.choice(("??", "!!", "?!", "...", " !!!"))
    return text


def email(
    body: str, label: str, bank: LanguageBank, rng: random.Random, chosen: dict[str, str]
) -> str:
    parts: list[str] = []
    if label in ORDER_LABELS and rng.random() < 0.55:
        parts.append(expand(rng.choice(bank.order_contexts), bank, rng, chosen))
    elif label != "other" and rng.random() < 0.3:
        parts.append(expand(rng.choice(bank.generic_contexts), bank, rng, chosen))
    parts.append(sentence(body, bank))
    if rng.random() < 0.3:
        extra = expand(rng.choice(lines(bank.core[label])), bank, rng, chosen)
        if len(extra.split()) >= 4 and dedupe_key(extra) != dedupe_key(body):
            parts.append(sentence(extra, bank))
    followups = bank.followups.get(label, bank.followups["_default"])
    if rng.random() < 0.6:
        parts.append(rng.choice(followups))
    paragraph = " ".join(p for p in parts if p)
    if rng.random() < 0.12:
        paragraph = add_typos(paragraph, bank, rng)
    greeting = rng.choice(bank.greetings)
    closing = rng.choice(bank.closings)
    name = rng.choice(bank.names)
    if rng.random() < 0.35:  # web-form style: all on one line
        text = f"{greeting} {paragraph} {closing} {name}"
    else:
        text = f"{greeting}\n\n{paragraph}\n\n{closing}\n{name}"
        if rng.random() < 0.1:
            text += "\n\n" + rng.choice(bank.extra.get("signoffs", ["Sent from my iPhone"]))
    return text


def variant(source: str, label: str, bank: LanguageBank, rng: random.Random) -> str:
    chosen: dict[str, str] = {}
    body = expand(source, bank, rng, chosen)
    # Terse fragments ("human please") are chat, not email.
    if len(body.split()) >= 4 and rng.random() < bank.email_rate:
        return email(body, label, bank, rng, chosen)
    return chat_noise(body, label, bank, rng)


def build(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    owner: dict[str, str] = {}

    def add(text: str, label: str, language: str) -> bool:
        text = text.strip()
        key = dedupe_key(text)
        if not key or key in owner:
            return False
        owner[key] = label
        rows.append({"text": text, "intent": label, "language": language})
        return True

    for bank in BANKS:
        for label in LABELS:
            core = lines(bank.core.get(label, ""))
            templates = lines(bank.templates.get(label, ""))
            if not core:
                raise ValueError(f"no phrases for {bank.code}/{label}")
            target = target_for(bank.code, label)
            count = 0
            for source in core + templates:
                if count >= target:
                    break
                count += add(expand(source, bank, rng), label, bank.code)
            attempts = 0
            while count < target and attempts < target * 60:
                attempts += 1
                pool = templates if templates and rng.random() < 0.4 else core
                count += add(variant(rng.choice(pool), label, bank, rng), label, bank.code)
    return rows


def write(rows: list[dict[str, str]], out_path: Path) -> None:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(out_path: Path | str | None = None) -> Path:
    path = Path(out_path) if out_path is not None else DEFAULT_OUT
    write(build(), path)
    return path


def _cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_path", nargs="?", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    path = main(args.out_path)
    print(f"wrote {path}")


if __name__ == "__main__":
    _cli()
