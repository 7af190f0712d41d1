"""Products that burn, melt or shock are damaged items, not billing questions, whatever the
character n-grams of "charger" and "charged" share."""

from __future__ import annotations

import pytest

MESSAGES = [
    "the charger caught fire!!",
    "my charger caught fire",
    "the charger melted",
    "the power bank started smoking",
    "le chargeur a pris feu",
    "das Ladegerät hat Feuer gefangen",
    "el cargador se prendió fuego",
]


@pytest.mark.parametrize("text", MESSAGES)
def test_a_product_that_burns_is_a_damaged_item(intent_model, text: str) -> None:
    prediction = intent_model.predict([text])[0]
    assert prediction.intent.value == "damaged_or_wrong_item"
    assert prediction.evidence  # decided on words it knows, not on pieces of them


@pytest.mark.parametrize("text", ["I was charged twice", "why was my card charged"])
def test_being_charged_is_still_billing(intent_model, text: str) -> None:
    assert intent_model.predict([text])[0].intent.value == "payment_billing"
