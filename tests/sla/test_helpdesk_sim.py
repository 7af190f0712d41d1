from collections import Counter
from datetime import UTC, datetime, timedelta

from ticketflow.helpdesk_sim import csat_of, plan, story_of

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def routed(n: int, attempt: int = 1) -> dict:
    return {"ticket": {"ticket_id": f"tk_{n:024x}"}, "attempt": attempt}


def test_stories_are_deterministic_and_all_occur() -> None:
    stories = Counter(story_of(f"tk_{n:024x}") for n in range(1000))
    assert set(stories) == {"answered", "declined", "on_hold", "solved", "resolved", "ignored"}
    assert 100 < stories["answered"] < 200 and 150 < stories["resolved"] < 250
    assert stories["ignored"] > 250
    assert story_of("tk_" + "a" * 24) == story_of("tk_" + "a" * 24)


def test_plans_are_in_time_order_for_their_ticket() -> None:
    for n in range(200):
        events = plan(routed(n), NOW)
        times = [when for when, _ in events]
        assert times == sorted(times) and all(t > NOW for t in times)
        assert all(e.ticket_id == f"tk_{n:024x}" and e.at == when for when, e in events)
        story = story_of(f"tk_{n:024x}")
        kinds = [e.type for _, e in events if e.type != "csat_submitted"]
        solve = ["status_changed"]
        expected = {"answered": [["assigned", "agent_replied"]], "declined": [["declined"]],
                    "on_hold": [["assigned", "agent_replied", "status_changed"]],
                    "solved": [["assigned", "agent_replied", *solve]],
                    "resolved": [["assigned", "agent_replied", *solve],
                                 ["assigned", "agent_replied", "customer_replied",
                                  "agent_replied", *solve]],
                    "ignored": [[]]}[story]
        assert kinds in expected
        surveys = [e for _, e in events if e.type == "csat_submitted"]
        solved_at = [w for w, e in events if e.type == "status_changed" and e.status == "solved"]
        if surveys:  # only after a solve, once, with the ticket's own score
            assert solved_at and surveys[0].at > solved_at[0] and len(surveys) == 1
            assert surveys[0].score == csat_of(f"tk_{n:024x}")
        else:
            assert not solved_at or csat_of(f"tk_{n:024x}") is None


def test_about_half_the_tickets_are_solved_and_most_solved_ones_answer_the_survey() -> None:
    plans = [plan(routed(n), NOW) for n in range(1000)]
    solved = [p for p in plans if any(e.status == "solved" for _, e in p)]
    twice = [p for p in solved if sum(e.type == "agent_replied" for _, e in p) == 2]
    surveyed = [e.score for p in solved for _, e in p if e.type == "csat_submitted"]
    assert 250 < len(solved) < 400 and 30 < len(twice) < 120
    assert 0.45 < len(surveyed) / len(solved) < 0.75
    assert set(surveyed) == {1, 2, 3, 4, 5} and 3.5 < sum(surveyed) / len(surveyed) < 4.5
    assert [csat_of(f"tk_{n:024x}") for n in range(50)] == [
        csat_of(f"tk_{n:024x}") for n in range(50)]


def test_a_rerouted_ticket_is_taken_by_another_agent() -> None:
    declined = next(n for n in range(100) if story_of(f"tk_{n:024x}") == "declined")
    decliner = plan(routed(declined), NOW)[0][1].agent_id
    events = plan(routed(declined, attempt=2), NOW + timedelta(seconds=5))
    kinds = [e.type for _, e in events]
    assert kinds[:3] == ["assigned", "agent_replied", "status_changed"]
    assert all(e.agent_id != decliner for _, e in events if e.agent_id)
