"""`ticketflow replies check | test | preview | replay` through click, as a person runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from replies.config import DEFAULT_CONFIG_PATH
from tests.replies.conftest import order, routed
from tests.sla.conftest import paris, tid
from ticketflow.cli import cli


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["replies", *args], catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the demo shop's configuration, templates and test cases to break."""
    for name in ("demo-shop.yaml", "demo-shop.tests.yaml"):
        shutil.copy(DEFAULT_CONFIG_PATH.with_name(name), tmp_path / name)
    shutil.copytree(DEFAULT_CONFIG_PATH.with_name("templates"), tmp_path / "templates")
    return tmp_path / "demo-shop.yaml"


def test_the_group_is_registered() -> None:
    assert set(cli.commands["replies"].commands) == {"check", "test", "preview", "replay"}


def test_check_the_demo_shop() -> None:
    code, out, err = run("check")
    assert code == 0, err
    assert out.startswith(f"{DEFAULT_CONFIG_PATH.resolve()}: ok (24 templates in en, fr, de, "
                          "es; version ")


def test_check_reports_file_and_line_and_fails(shop: Path) -> None:
    template = shop.parent / "templates" / "invoice.de.j2"
    template.write_text(template.read_text().replace("{{ invoice_url }}", "{{ invoice_link }}",
                                                     1))
    (shop.parent / "templates" / "return.es.j2").unlink()
    code, out, err = run("check", str(shop))
    assert code == 1 and out == ""
    assert f"{template}:4: unknown variable 'invoice_link'" in err  # the SMS line, first
    assert f"{shop.parent / 'templates' / 'return.es.j2'}: missing: " in err
    assert err.rstrip().endswith(f"{shop}: 2 error(s)")


def test_check_a_broken_configuration(shop: Path) -> None:
    shop.write_text(shop.read_text().replace("shop_name: Demo Shop", "shop_nme: Demo Shop"))
    code, _, err = run("check", str(shop))
    assert code == 1
    assert f"{shop}:6: unknown key 'shop_nme' (did you mean 'shop_name'?)" in err


def test_test_runs_the_demo_cases() -> None:
    code, out, _ = run("test")
    assert code == 0
    assert out.rstrip().endswith(" passed, 0 failed")
    assert "ok   late parcel, French SMS, two segments at most, a person follows up" in out


def test_test_fails_a_case_and_says_where(shop: Path) -> None:
    cases = shop.with_name("demo-shop.tests.yaml")
    cases.write_text(cases.read_text().replace('["Hi Ana,", "by 16:00 today"]',
                                               '["Hi Ana,", "by 17:00 today"]'))
    code, out, _ = run("test", str(shop))
    assert code == 1
    failed = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert len(failed) == 1
    assert failed[0].startswith(f"FAIL e-mail in opening hours is answered the same afternoon "
                                f"({cases}:8): acknowledgement lacks 'by 17:00 today'")
    assert out.rstrip().endswith("1 failed")


def test_preview_a_routed_message_after_hours(tmp_path: Path) -> None:
    r = routed(paris(2026, 11, 18, 11), channel="email", language="fr",
               classification__intent="order_status", customer__display_name="Julien Moreau",
               **order(status="shipped", carrier="Colissimo", tracking_number="6A1",
                       promised_delivery_at="2026-11-24T12:00:00+00:00"))
    file = tmp_path / "routed.json"
    file.write_text(r.model_dump_json())
    code, out, _ = run("preview", str(file), "--at", "2026-11-20T20:00:00+01:00")
    assert code == 0
    assert "promise: first reply by 2026-11-21T14:00:00+01:00 (standard; closed when the " \
           "clock started)" in out
    assert "acknowledgement (acknowledge.fr.j2, " in out
    assert "    Bonjour Julien," in out and "demain avant 14:00" in out
    assert "answer (order_status.fr.j2, " in out and "est en route avec Colissimo" in out
    assert "  fact order.carrier = Colissimo" in out
    # the demo rules let the orders queue send answers (auto_reply: answer)
    assert "can_auto_resolve: true; auto_send: answer" in out
    code, out, _ = run("preview", str(file), "--json")
    data = json.loads(out)
    assert data["answer_kind"] == "order_status" and data["promise"]["open_now"] is True


def test_preview_a_bare_ticket_routes_it_first(tmp_path: Path) -> None:
    r = routed(paris(2026, 11, 18, 11), channel="chat", classification__intent="refund",
               classification__confidence=0.6, **order(status="delivered"))
    file = tmp_path / "ticket.json"
    file.write_text(r.ticket.model_dump_json())
    code, out, _ = run("preview", str(file))
    assert code == 0
    assert "queue returns" in out
    assert "answer: none (return withheld)" in out
    assert "  suppressed: low_confidence: confidence 0.60 < 0.80 for refund" in out


def test_preview_refuses_what_is_not_a_ticket(tmp_path: Path) -> None:
    file = tmp_path / "x.json"
    file.write_text('{"hello": 1}')
    code, _, err = run("preview", str(file))
    assert code == 1 and err.startswith("error: not a ticket or a routed message: ")


def test_replay_a_jsonl_file(tmp_path: Path) -> None:
    rows = [routed(paris(2026, 11, 18, 11), ticket_id=tid(n), channel="email",
                   classification__intent="order_status",
                   **order(status="shipped", promised_delivery_at="2026-11-24T12:00:00+00:00"))
            for n in range(3)]
    file = tmp_path / "routed.jsonl"
    file.write_text("".join(r.model_dump_json() + "\n" for r in rows))
    code, out, _ = run("replay", "--from", str(file), "--json")
    assert code == 0
    figures = json.loads(out.splitlines()[-1])
    assert (figures["tickets"], figures["answered"], figures["answerable_share"]) == (3, 3, 1.0)
    code, out, _ = run("replay", "--from", str(file))
    assert out.startswith("3 tickets: 3 acknowledged, 3 answered (100% of the 3")


def test_replay_from_a_topic_needs_a_broker() -> None:
    code, _, err = run("replay", env={"TICKETFLOW_KAFKA_BOOTSTRAP": ""})
    assert code == 1 and "No Kafka to talk to" in err
