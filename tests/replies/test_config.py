"""The replies configuration: every problem at once, with file:line and what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from replies.config import DEFAULT_CONFIG_PATH, load_config, parse_config
from replies.errors import RepliesError

GOOD = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")


def errors(text: str) -> list[str]:
    with pytest.raises(RepliesError) as info:
        parse_config(text, "shop.yaml")
    return info.value.problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_demo_shop_loads_and_is_the_default_setting() -> None:
    config = load_config(DEFAULT_CONFIG_PATH)
    assert config.languages == ("en", "fr", "de", "es") and config.fallback_language == "en"
    assert Settings().replies_file == DEFAULT_CONFIG_PATH.resolve()
    assert config.answers["delivery_info"] == "order_status"


def test_an_unknown_key_says_where_and_what_was_meant() -> None:
    text = GOOD.replace("refund_days: 10", "refund_dayz: 10")
    assert errors(text) == [f"shop.yaml:{line_of(text, 'refund_dayz')}: unknown key "
                            "'refund_dayz' (did you mean 'refund_days'?)"]


def test_a_tracking_link_without_its_placeholder() -> None:
    text = GOOD.replace("track?tracknum={tracking_number}", "track?tracknum={number}")
    (problem,) = errors(text)
    assert problem == (f"shop.yaml:{line_of(text, 'UPS:')}: tracking_urls.UPS: the link must "
                       "contain {tracking_number}")


def test_a_link_must_be_https() -> None:
    text = GOOD.replace("returns: https://", "returns: http://")
    (problem,) = errors(text)
    assert problem.startswith(f"shop.yaml:{line_of(text, 'returns: http')}: links.returns: ")
    assert "is not an https:// link" in problem


def test_languages_sign_offs_and_the_fallback_agree() -> None:
    text = GOOD.replace("fallback_language: en", "fallback_language: it") \
        .replace("  es: El equipo de Demo Shop\n", "")
    problems = errors(text)
    assert any("fallback_language: 'it' is not one of the languages" in p for p in problems)
    assert any("sign_off: none for ['es']; write one per language" in p for p in problems)


def test_a_locale_of_another_language() -> None:
    (problem,) = errors(GOOD.replace("fr: fr_FR", "fr: de_DE"))
    assert "locales: fr: locale 'de_DE' is of language 'de'" in problem


def test_unknown_intent_and_answer_kind() -> None:
    text = GOOD.replace("  refund: return\n", "  refunds: return\n").replace(
        "  invoice: invoice\n", "  invoice: invoices\n")
    problems = errors(text)
    assert len(problems) == 2
    assert problems[0].startswith(f"shop.yaml:{line_of(text, 'refunds: return')}: answers.")
    assert problems[1].startswith(f"shop.yaml:{line_of(text, 'invoice: invoices')}: answers.")


def test_invalid_yaml_names_its_line() -> None:
    text = GOOD.replace("refund_days: 10", "refund_days: [10")
    (problem,) = errors(text)
    assert problem.startswith("shop.yaml:") and "invalid YAML" in problem


def test_a_missing_file_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(RepliesError, match="TICKETFLOW_REPLIES_FILE"):
        load_config(tmp_path / "shop.yaml")


def test_tracking_links_match_carriers_loosely_and_quote_the_number() -> None:
    config = load_config(DEFAULT_CONFIG_PATH)
    assert config.tracking_url("royal mail", "AB 1") == \
        "https://www.royalmail.com/track-your-item#/tracking-results/AB%201"
    assert config.tracking_url("MondialRelay", "9") == \
        "https://www.mondialrelay.fr/suivi-de-colis?numeroExpedition=9"
    assert config.tracking_url("Pigeon Post", "1") is None
    assert config.tracking_url("DHL", None) is None
