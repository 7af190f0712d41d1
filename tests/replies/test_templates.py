"""`replies check`'s template problems, each with the file and the line of its first use, and
the rendering rules: sandbox, strict variables, tidy text, every documented variable given."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError

from replies import Replies
from replies.templates import KINDS, VARIABLES, Templates, check_sources, read_sources, tidy
from tests.replies.conftest import order, routed
from tests.sla.conftest import paris

TEMPLATES = Path("replies/templates")


def minimal(languages: tuple[str, ...] = ("en",)) -> dict[str, str]:
    return {f"{k}.{lang}.j2": "{{ shop }}" for k in KINDS for lang in languages}


def problems(sources: dict[str, str], languages: tuple[str, ...] = ("en",)) -> list[str]:
    return [str(p) for p in check_sources(Path("tpl"), sources, languages)]


def test_the_shipped_templates_are_clean() -> None:
    sources = read_sources(TEMPLATES)
    assert len(sources) == len(KINDS) * 4 + 4  # and one macro file per language
    assert check_sources(TEMPLATES, sources, ("en", "fr", "de", "es")) == []


def test_an_unknown_variable_names_the_line_of_its_first_use() -> None:
    sources = minimal()
    sources["order_status.en.j2"] = "Hi\n{{ order.number }}\n{{ ordr.number }}\n{{ ordr }}"
    (problem,) = problems(sources)
    assert problem.startswith("tpl/order_status.en.j2:3: unknown variable 'ordr' (this "
                              "template has: channel, customer, language, order, promise, ")


def test_a_variable_of_another_kind_is_unknown() -> None:
    sources = minimal()
    sources["acknowledge.en.j2"] = "\n\n{% if order %}{{ order.number }}{% endif %}"
    (problem,) = problems(sources)
    assert problem.startswith("tpl/acknowledge.en.j2:3: unknown variable 'order'")


def test_an_unknown_attribute_is_an_error_too() -> None:
    sources = minimal()
    sources["return.en.j2"] = "{{ returns.days_left }}\n{{ returns.days_remaining }}"
    assert problems(sources) == [
        "tpl/return.en.j2:2: unknown variable 'returns.days_remaining' (returns has: "
        "days_left, last_day, refund_days, url, window_days, window_open)"]
    sources["return.en.j2"] = "{{ shop.upper }}"
    assert problems(sources) == [
        "tpl/return.en.j2:1: unknown variable 'shop.upper' (shop has: no attributes)"]


def test_a_syntax_error_names_its_line() -> None:
    sources = minimal()
    sources["invoice.en.j2"] = "Hello\n{% if order %}\nno end"
    assert problems(sources) == [
        "tpl/invoice.en.j2:3: template syntax: Unexpected end of template. Jinja was looking "
        "for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs "
        "to be closed is 'if'."]


def test_a_missing_language_names_the_file_to_write() -> None:
    sources = minimal(("en", "fr"))
    del sources["return.fr.j2"]
    assert problems(sources, ("en", "fr")) == [
        "tpl/return.fr.j2: missing: every kind needs a template in every configured "
        "language (fr)"]


def test_unknown_kinds_names_and_imports() -> None:
    sources = minimal()
    sources["orderstatus.en.j2"] = "x"
    sources["notes.txt.j2"] = "x"
    sources["invoice.en.j2"] = '{% import "_words.en.j2" as w %}{{ w.hello() }}'
    assert problems(sources) == [
        "tpl/invoice.en.j2: imports '_words.en.j2', which is not in tpl",
        "tpl/notes.txt.j2: not a template name: <kind>.<language>.j2, e.g. order_status.fr.j2",
        "tpl/orderstatus.en.j2: unknown kind 'orderstatus' (known: acknowledge, order_status, "
        "return, address_change, invoice)",
    ]


def test_a_macro_file_sees_only_its_arguments() -> None:
    sources = minimal()
    sources["_words.en.j2"] = "{% macro hello(name) %}Hi {{ name }} from {{ shop }}{% endmacro %}"
    (problem,) = problems(sources)
    assert problem.startswith("tpl/_words.en.j2:1: unknown variable 'shop'")


def test_a_language_not_configured_is_a_warning() -> None:
    sources = minimal()
    sources["invoice.it.j2"] = "{{ shop }}"
    (problem,) = check_sources(Path("tpl"), sources, ("en",))
    assert problem.severity == "warning"
    assert str(problem) == ("tpl/invoice.it.j2: warning: language 'it' is not configured "
                            "(languages: en): never used")


def test_loading_refuses_templates_with_errors(tmp_path: Path) -> None:
    from replies.errors import RepliesError

    for name, text in minimal().items():
        (tmp_path / name).write_text(text)
    (tmp_path / "invoice.en.j2").write_text("{{ invoice_link }}")
    with pytest.raises(RepliesError, match=r"invoice\.en\.j2:1: unknown variable "
                                           r"'invoice_link'"):
        Templates.load(tmp_path, ("en",))
    with pytest.raises(RepliesError, match="no templates folder here"):
        Templates.load(tmp_path / "nope", ("en",))


def test_strict_variables_at_render_time() -> None:
    t = Templates(Path("tpl"), {"acknowledge.en.j2": "{{ customer.nickname }}"})
    with pytest.raises(UndefinedError):
        t.render("acknowledge", "en", {"customer": {"first_name": "Ana"}})


def test_tidy() -> None:
    assert tidy("\n\nHi,  \n\n\n\nText.\t\n\n\n") == "Hi,\n\nText."


@pytest.mark.parametrize("kind", KINDS)
def test_the_context_gives_every_documented_variable(demo: Replies, kind: str) -> None:
    # a template that reads every variable and attribute its kind documents renders with
    # StrictUndefined: the documentation (VARIABLES) and the context cannot drift apart
    reads = []
    for name, attributes in VARIABLES[kind].items():
        reads += [f"{{{{ {name}.{a} }}}}" for a in sorted(attributes)] if attributes else \
            [f"{{{{ {name} }}}}"]
    sources = dict(demo.templates.sources)
    for lang in demo.config.languages:
        sources[f"{kind}.{lang}.j2"] = "\n".join(reads)
    assert check_sources(TEMPLATES, sources, demo.config.languages) == []
    engine = Replies(demo.config, Templates(TEMPLATES, sources), demo.policies)
    intent = {"acknowledge": "order_status", "order_status": "order_status",
              "return": "return_exchange", "address_change": "shipping_address",
              "invoice": "invoice"}[kind]
    s = engine.suggest(routed(paris(2026, 11, 18, 11), channel="email",
                              classification__intent=intent, order_numbers=["100000"],
                              **order(number="100000", status="delivered",
                                      delivered_at="2026-11-10T12:00:00+00:00",
                                      days_since_delivery=8, in_return_window=True)))
    assert s.suppressed == ()
    text = s.acknowledgement.text if kind == "acknowledge" else s.answer.text
    assert "100000" in text or kind == "acknowledge"
