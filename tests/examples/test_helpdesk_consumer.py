import importlib.util
from types import ModuleType

from schemas.sla import HelpdeskEvent

from ..conftest import REPO


def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "helpdesk_consumer", REPO / "examples" / "helpdesk_consumer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_writes_valid_helpdesk_events() -> None:
    raw = example().helpdesk_event("tk_" + "a" * 24, "status_changed", status="pending")
    event = HelpdeskEvent.model_validate_json(raw)
    assert (event.type, event.status) == ("status_changed", "pending")


def test_a_rerouted_ticket_is_not_dropped_as_a_duplicate() -> None:
    seen = example().SeenIds(size=10)
    assert seen.first_time("tk_a#1") and not seen.first_time("tk_a#1")
    assert seen.first_time("tk_a#2")


def test_the_bootstrap_defaults_to_the_ticketflow_setting() -> None:
    module = example()
    args = module.parse_args(["--queue", "returns"],
                              {"TICKETFLOW_KAFKA_BOOTSTRAP": "kafka-1:9092,kafka-2:9092"})
    assert args.bootstrap == "kafka-1:9092,kafka-2:9092"
    assert module.parse_args(["--queue", "returns"], {}).bootstrap == "127.0.0.1:9092"
    assert module.parse_args(["--queue", "q", "--bootstrap", "b:1"],
                              {"TICKETFLOW_KAFKA_BOOTSTRAP": "x:1"}).bootstrap == "b:1"
