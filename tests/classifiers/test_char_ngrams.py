"""The numpy char n-grams must be scikit-learn's char_wb TF-IDF, entry for entry."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.char_ngrams import CharNgrams

TRAINING = [
    "Where is my order? It was due on Monday.",
    "I want a refund for the broken kettle",
    "Wo ist meine Bestellung? Lieferung überfällig!",
    "Je voudrais être remboursé, la commande est arrivée cassée",
    "¿Dónde está mi pedido? Necesito cambiar la dirección",
    "refund refund refund please",
    "cancel my subscription, ça suffit",
    "x y z a b",
    "ﬁnal notice: İstanbul office, straße",
    "返金してください 注文番号 12345",
]

HARD = [
    "",
    "   \t\n ",
    "a",
    "I",
    "Where is my ORDER?? Où est ma commande",
    "Überfällig!  Lieferung\u00a0 überfällig\u2028\u2028done",
    "tabs\tand\x1cfile separators\x1funit",
    "ﬁ ligatures and İ dotted capitals",
    "emoji 👍🏽 and 返金 mixed with refund",
    "averyveryverylongwordwithoutanyspacesatallthatkeepsgoingandgoing " * 3,
    "refund " * 40,
]


def fitted(**options: object) -> TfidfVectorizer:
    params: dict[str, object] = {"analyzer": "char_wb", "ngram_range": (2, 5),
                                 "sublinear_tf": True, "strip_accents": "unicode"}
    params.update(options)
    return TfidfVectorizer(**params).fit(TRAINING)  # type: ignore[arg-type]


@pytest.mark.parametrize("options", [{}, {"min_df": 2}, {"strip_accents": None},
                                     {"lowercase": False}, {"ngram_range": (1, 3)}])
def test_same_matrix_as_scikit_learn(options: dict[str, object]) -> None:
    vectorizer = fitted(**options)
    fast = CharNgrams.from_vectorizer(vectorizer)
    assert fast is not None
    texts = HARD + TRAINING
    expected = vectorizer.transform(texts).tocsr()
    expected.sort_indices()
    got = fast.transform(texts)
    got.sort_indices()
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.allclose(got.data, expected.data, rtol=1e-12, atol=0)


def test_one_text_at_a_time_equals_the_batch() -> None:
    fast = CharNgrams.from_vectorizer(fitted())
    assert fast is not None
    batch = fast.transform(HARD).toarray()
    for i, text in enumerate(HARD):
        assert np.allclose(fast.transform([text]).toarray()[0], batch[i], rtol=1e-12, atol=0)


def test_a_batch_of_nothing_gives_empty_rows() -> None:
    fast = CharNgrams.from_vectorizer(fitted())
    assert fast is not None
    assert fast.transform(["", " "]).nnz == 0
    assert fast.transform(["", " "]).shape == (2, len(fitted().vocabulary_))
    assert fast.transform(["qqqq"]).nnz == 0  # no n-gram of it was in training


@pytest.mark.parametrize("options", [
    {"analyzer": "char"}, {"analyzer": "word"}, {"norm": None}, {"sublinear_tf": False},
    {"strip_accents": "ascii"}, {"binary": True}, {"use_idf": False},
])
def test_configurations_it_does_not_reproduce_are_left_to_scikit_learn(
        options: dict[str, object]) -> None:
    assert CharNgrams.from_vectorizer(fitted(**options)) is None


def test_an_unfitted_vectorizer_is_left_alone() -> None:
    assert CharNgrams.from_vectorizer(TfidfVectorizer(analyzer="char_wb")) is None


def test_the_intent_model_predicts_as_its_scikit_learn_pipeline(intent_model) -> None:  # type: ignore[no-untyped-def]
    from classifiers.intent import prepare

    assert intent_model._chars is not None  # the shipped model takes the numpy path
    texts = [prepare(t) for t in HARD + TRAINING]
    union = intent_model.pipeline.named_steps["features"]
    expected = union.transform(texts).toarray()
    assert np.allclose(intent_model._features(texts).toarray(), expected, rtol=1e-12, atol=0)
    fast = intent_model.predict(texts)
    intent_model._chars = None
    try:
        slow = intent_model.predict(texts)
    finally:
        intent_model._chars = CharNgrams.from_vectorizer(union.transformer_list[1][1])
    assert fast == slow
