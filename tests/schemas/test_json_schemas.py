import json

from schemas import export


def test_committed_json_schemas_are_up_to_date() -> None:
    assert export.stale() == [], "run `make schemas` (ticketflow schemas export) and commit"


def test_schemas_are_versioned_and_name_their_topic() -> None:
    for name, (_model, topic) in export.EXPORTED.items():
        doc = json.loads((export.JSON_DIR / name).read_text())
        assert doc["x-topic"] == topic
        assert doc["x-schema-version"] == 1
        assert "schema_version" in doc["properties"]
        assert doc["$id"].endswith("/v1.json")


def test_stale_detects_a_changed_file(tmp_path) -> None:
    export.write(tmp_path)
    assert export.stale(tmp_path) == []
    (tmp_path / "ticket.json").write_text("{}")
    assert export.stale(tmp_path) == ["ticket.json"]
