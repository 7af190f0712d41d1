from collections import Counter
from datetime import UTC, datetime, timedelta

from ticketflow.helpdesk_sim import plan, story_of

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def routed(n: int, attempt: int = 1) -> dict:
    return {"ticket": {"ticket_id": f"tk_{n:024x}"}, "attempt": attempt}


def test_stories_are_deterministic_and_all_occur() -> None:
    stories = Counter(story_of(f"tk_{n:024x}") for n in range(1000))
    assert set(stories) == {"answered", "declined", "on_hold", "solved", "ignored"}
    assert 250 < stories["answered"] < 450 and stories["ignored"] > 250
    assert story_of("tk_" + "a" * 24) == story_of("tk_" + "a" * 24)


def test_plans_are_in_time_order_for_their_ticket() -> None:
    for n in range(200):
        events = plan(routed(n), NOW)
        times = [when for when, _ in events]
        assert times == sorted(times) and all(t > NOW for t in times)
        assert all(e.ticket_id == f"tk_{n:024x}" and e.at == when for when, e in events)
        story = story_of(f"tk_{n:024x}")
        kinds = [e.type for _, e in events]
        expected = {"answered": ["assigned", "agent_replied"], "declined": ["declined"],
                    "on_hold": ["assigned", "agent_replied", "status_changed"],
                    "solved": ["assigned", "agent_replied", "status_changed"],
                    "ignored": []}[story]
        assert kinds == expected


def test_a_rerouted_ticket_is_taken_by_another_agent() -> None:
    declined = next(n for n in range(100) if story_of(f"tk_{n:024x}") == "declined")
    decliner = plan(routed(declined), NOW)[0][1].agent_id
    events = plan(routed(declined, attempt=2), NOW + timedelta(seconds=5))
    assert [e.type for _, e in events] == ["assigned", "agent_replied"]
    assert all(e.agent_id != decliner for _, e in events)
