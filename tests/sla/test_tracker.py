from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sla.clock import ClockState
from sla.events import HelpdeskEvent, SlaEvent
from sla.policies import PolicySet
from sla.tracker import SlaConfig, Step, TicketSla, on_helpdesk, on_routed, on_tick, wake_at
from tests.sla.conftest import RECEIVED, ROUTED, TID, Router, hd

S = timedelta(seconds=1)
M = timedelta(minutes=1)
# With the short policies (first response 2m, resolution 1h, warnings 75 % / 90 %) and clocks
# starting at RECEIVED:
FR_WARN_75 = RECEIVED + 90 * S
FR_WARN_90 = RECEIVED + 108 * S
FR_DEADLINE = RECEIVED + 2 * M
RES_WARN_75 = RECEIVED + 45 * M
RES_DEADLINE = RECEIVED + 60 * M
ASSIGN_WITHIN = 10 * M


def config(policies: PolicySet, **kw: Any) -> SlaConfig:
    return SlaConfig(policies=policies, **kw)


def kinds(events: list[SlaEvent]) -> list[tuple[str, str, float | None]]:
    return [(e.type, e.metric, e.threshold) for e in events]


def clock(state: TicketSla, metric: str) -> ClockState:
    return next(c for c in state.clocks if c.metric == metric)


def opened(policies: PolicySet, router: Router, now: datetime = ROUTED,
           **kw: Any) -> Step:
    cfg = config(policies, **kw)
    return on_routed(None, router.routed(), 0, cfg, router, now)


def test_routed_ticket_opens_clocks(short_policies: PolicySet, router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    step = on_routed(None, router.routed(), 3, cfg, router, ROUTED)
    assert kinds(step.events) == [("sla.applied", "first_response", None),
                                  ("sla.applied", "resolution", None)]
    assert all(e.ticket_id == TID and e.emitted_at == ROUTED for e in step.events)
    assert step.reroutes == [] and router.calls == []
    state = step.state
    assert [(c.metric, c.status) for c in state.clocks] == [
        ("first_response", "running"), ("next_response", "idle"), ("resolution", "running")]
    assert clock(state, "first_response").deadline == FR_DEADLINE
    assert clock(state, "resolution").deadline == RES_DEADLINE
    assert clock(state, "next_response").deadline is None
    assert (state.ticket_id, state.partition, state.attempt, state.queue) == (TID, 3, 1, "general")
    assert state.assign_by == ROUTED + ASSIGN_WITHIN and state.assigned_to is None
    assert state.early_events == () and not state.closed
    assert wake_at(state) == FR_WARN_75


def test_redelivered_routed_message_changes_nothing(short_policies: PolicySet,
                                                    router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    message = router.routed()
    state = on_routed(None, message, 0, cfg, router, ROUTED).state
    for now in (ROUTED + S, RECEIVED + 2 * 60 * M):  # even long past every deadline
        again = on_routed(state, message, 0, cfg, router, now)
        assert again.state is state
        assert again.events == [] and again.reroutes == []
    assert router.calls == []


def test_deadline_already_past_breaches_at_once(short_policies: PolicySet,
                                                router: Router) -> None:
    late = RECEIVED + 2 * 60 * M  # e.g. the SLA worker was down for two hours
    step = opened(short_policies, router, now=late)
    assert kinds(step.events) == [("sla.applied", "first_response", None),
                                  ("sla.applied", "resolution", None),
                                  ("sla.breached", "first_response", None),
                                  ("sla.breached", "resolution", None)]
    assert [e.emitted_at for e in step.events] == [late] * 4
    assert [c.status for c in step.state.clocks] == ["breached", "idle", "breached"]
    assert wake_at(step.state) is None
    again = on_tick(step.state, config(short_policies), router, late)
    assert again.events == [] and again.reroutes == []


def test_tick_warns_once_then_breaches_once(short_policies: PolicySet, router: Router) -> None:
    cfg = config(short_policies)
    state = opened(short_policies, router).state
    step = on_tick(state, cfg, router, FR_WARN_75 - S)
    assert step.events == []
    assert step.state.clocks == state.clocks
    state = step.state

    step = on_tick(state, cfg, router, FR_WARN_75)
    assert kinds(step.events) == [("sla.warning", "first_response", 0.75)]
    assert step.events[0].deadline == FR_DEADLINE and step.events[0].emitted_at == FR_WARN_75
    state = step.state
    assert on_tick(state, cfg, router, FR_WARN_75).events == []
    assert wake_at(state) == FR_WARN_90

    step = on_tick(state, cfg, router, FR_WARN_90 + S)
    assert kinds(step.events) == [("sla.warning", "first_response", 0.9)]
    state = step.state
    assert on_tick(state, cfg, router, FR_DEADLINE - S).events == []
    assert wake_at(state) == FR_DEADLINE

    step = on_tick(state, cfg, router, FR_DEADLINE)
    assert kinds(step.events) == [("sla.breached", "first_response", None)]
    assert step.events[0].previous_state == "running"
    assert step.events[0].current_state == "breached"
    state = step.state
    assert wake_at(state) == RES_WARN_75
    for now in (FR_DEADLINE, FR_DEADLINE + S, RES_WARN_75 - S):
        again = on_tick(state, cfg, router, now)
        assert again.events == [] and again.reroutes == []


def test_event_ids_are_the_same_when_rederived(short_policies: PolicySet,
                                               router: Router) -> None:
    def run() -> tuple[TicketSla, list[str]]:
        cfg = config(short_policies)
        step = on_routed(None, router.routed(), 0, cfg, router, ROUTED)
        for now in (FR_WARN_75, FR_DEADLINE, RES_DEADLINE):
            step = step.then(on_tick(step.state, cfg, router, now))
        return step.state, [e.event_id for e in step.events]

    first_state, first = run()
    second_state, second = run()
    assert first == second
    # 2 applied, the 75 % warning, 2 breaches (the breaches overtake the other warnings)
    assert len(first) == 5 and len(set(first)) == 5
    assert first_state == second_state

    # a restart between publishing and storing: the state read back from the table (JSON)
    # derives the same events again
    cfg = config(short_policies)
    stored = opened(short_policies, router).state
    restored = TicketSla.model_validate_json(stored.model_dump_json())
    assert restored == stored.model_copy(update={"ticket": None})  # the ticket is stored apart
    before = on_tick(stored, cfg, router, FR_DEADLINE + 5 * S).events
    after = on_tick(restored, cfg, router, FR_DEADLINE + 9 * S).events
    assert kinds(before) == [("sla.breached", "first_response", None)]
    assert [e.event_id for e in after] == [e.event_id for e in before]


def test_helpdesk_events_before_routed_are_kept_then_applied(short_policies: PolicySet,
                                                            router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    replied = hd("agent_replied", RECEIVED + 40 * S, agent_id="a1")
    assigned = hd("assigned", RECEIVED + 30 * S, agent_id="a1")
    step = on_helpdesk(None, replied, 2, cfg, router, RECEIVED + 41 * S)
    assert step.events == [] and step.reroutes == []
    waiting = step.state
    assert (waiting.ticket_id, waiting.partition, waiting.ticket) == (TID, 2, None)
    assert waiting.early_events == (replied,) and waiting.clocks == ()
    assert wake_at(waiting) is None
    waiting = on_helpdesk(waiting, assigned, 2, cfg, router, RECEIVED + 42 * S).state
    assert waiting.early_events == (replied, assigned)
    redelivered = on_helpdesk(waiting, assigned, 2, cfg, router, RECEIVED + 43 * S)
    assert redelivered.state is waiting and redelivered.events == []

    step = on_routed(waiting, router.routed(), 2, cfg, router, ROUTED)
    assert kinds(step.events) == [("sla.applied", "first_response", None),
                                  ("sla.applied", "resolution", None),
                                  ("sla.fulfilled", "first_response", None)]
    state = step.state
    assert state.early_events == ()
    assert state.assigned_to == "a1"
    assert clock(state, "first_response").status == "fulfilled"
    assert clock(state, "next_response").agent_replied
    assert wake_at(state) == RES_WARN_75  # assigned: no assignment deadline any more


def survey(type_: str, at: datetime, score: int, comment: str | None = None) -> HelpdeskEvent:
    return HelpdeskEvent.model_validate({"ticket_id": TID, "type": type_, "at": at,
                                         "score": score, "comment": comment})


def test_a_survey_result_changes_no_state(short_policies: PolicySet, router: Router) -> None:
    """CSAT / NPS are not agent or customer actions: every state (waiting, open, paused,
    solved) comes back as it was, with no event; a survey for an unknown ticket is a step that
    stores nothing (``forget``), so a caller storing it creates no state."""
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    csat = survey("csat_submitted", RECEIVED + 70 * S, 1, "Nobody answered, call me")
    nps = survey("nps_submitted", RECEIVED + 70 * S, 0)
    waiting = on_helpdesk(None, hd("assigned", RECEIVED + 10 * S, agent_id="a1"), 0, cfg,
                          router, RECEIVED + 11 * S).state
    opened = on_routed(None, router.routed(), 0, cfg, router, ROUTED).state
    paused = on_helpdesk(opened, hd("status_changed", RECEIVED + 60 * S, status="pending"), 0,
                         cfg, router, RECEIVED + 61 * S).state
    solved = on_helpdesk(opened, hd("status_changed", RECEIVED + 60 * S, status="solved"), 0,
                         cfg, router, RECEIVED + 61 * S).state
    for state in (waiting, opened, paused, solved):
        for event in (csat, nps):
            step = on_helpdesk(state, event, 0, cfg, router, RECEIVED + 71 * S)
            assert step.state is state
            assert (step.events, step.reroutes, step.forget) == ([], [], False)
    assert waiting.early_events and all(e.type == "assigned" for e in waiting.early_events)
    step = on_helpdesk(None, csat, 3, cfg, router, RECEIVED + 71 * S)
    assert step.forget and step.state.early_events == () and step.events == []


def test_early_reply_counts_even_when_routed_message_is_late(short_policies: PolicySet,
                                                             router: Router) -> None:
    """The agent replied 40 s after receipt; the routed message is processed 5 minutes late
    (after the first-response deadline). The reply was in time: fulfilled, not breached."""
    cfg = config(short_policies)
    waiting = on_helpdesk(None, hd("agent_replied", RECEIVED + 40 * S), 0, cfg, router,
                          RECEIVED + 41 * S).state
    late = RECEIVED + 5 * M
    step = on_routed(waiting, router.routed(), 0, cfg, router, late)
    assert kinds(step.events) == [("sla.applied", "first_response", None),
                                  ("sla.applied", "resolution", None),
                                  ("sla.fulfilled", "first_response", None)]
    assert clock(step.state, "first_response").status == "fulfilled"
    assert wake_at(step.state) == RES_WARN_75


def test_early_events_do_not_hide_a_breach_due_by_now(short_policies: PolicySet,
                                                      router: Router) -> None:
    cfg = config(short_policies)
    waiting = on_helpdesk(None, hd("assigned", RECEIVED + 10 * S, agent_id="a1"), 0, cfg,
                          router, RECEIVED + 11 * S).state
    late = RECEIVED + 5 * M
    step = on_routed(waiting, router.routed(), 0, cfg, router, late)
    assert kinds(step.events) == [("sla.applied", "first_response", None),
                                  ("sla.applied", "resolution", None),
                                  ("sla.breached", "first_response", None)]
    assert step.state.assigned_to == "a1"
    assert on_tick(step.state, cfg, router, late).events == []


def test_declined_reroutes_excluding_the_agent(short_policies: PolicySet,
                                               router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    state = opened(short_policies, router, assign_within=ASSIGN_WITHIN).state
    state = on_helpdesk(state, hd("assigned", RECEIVED + 70 * S, agent_id="a1"), 0, cfg,
                        router, RECEIVED + 70 * S).state
    assert state.assigned_to == "a1"
    now = RECEIVED + 80 * S
    step = on_helpdesk(state, hd("declined", now, agent_id="a1"), 0, cfg, router, now)
    assert step.events == []
    assert len(step.reroutes) == 1
    rerouted = step.reroutes[0]
    assert rerouted.attempt == 2
    assert rerouted.exclude_agents == ("a1",)
    assert rerouted.routed_at == now
    assert rerouted.ticket.ticket_id == TID
    routing = rerouted.ticket.routing
    assert routing is not None
    assert routing.reason == "declined" and routing.attempt == 2
    assert routing.declined_by == ("a1",)
    assert routing.previous_queues == ("general",)
    assert router.calls == [rerouted.ticket]  # routed again by the injected function
    assert rerouted.decision == router.ruleset.route(rerouted.ticket)
    assert rerouted.decision.queue == "general"

    after = step.state
    assert after.attempt == 2 and after.ticket == rerouted.ticket
    assert after.queue == "general" and after.previous_queues == ("general",)
    assert after.declined_by == ("a1",) and after.assigned_to is None
    assert after.assign_by == now + ASSIGN_WITHIN
    assert after.clocks == state.clocks  # the clocks keep running across a re-route

    # our own re-route coming back on tickets.routed is a redelivery
    echo = on_routed(after, rerouted, 0, cfg, router, now + S)
    assert echo.state is after and echo.events == [] and echo.reroutes == []


def test_no_reroute_after_max_attempts(short_policies: PolicySet, router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN, max_attempts=3)
    state = opened(short_policies, router, assign_within=ASSIGN_WITHIN).state
    at = RECEIVED + 70 * S
    step = on_helpdesk(state, hd("declined", at, agent_id="a1"), 0, cfg, router, at)
    assert [r.attempt for r in step.reroutes] == [2]
    step = on_helpdesk(step.state, hd("declined", at + S, agent_id="a2"), 0, cfg, router,
                       at + S)
    assert [r.attempt for r in step.reroutes] == [3]
    third = step.reroutes[0]
    assert third.exclude_agents == ("a1", "a2")
    assert third.ticket.routing is not None
    assert third.ticket.routing.previous_queues == ("general", "general")
    assert third.decision.queue == "escalations"  # demo-shop: routing.attempt >= 3
    assert step.state.queue == "escalations"
    assert step.state.assign_by == at + S + ASSIGN_WITHIN

    step = on_helpdesk(step.state, hd("declined", at + 2 * S, agent_id="a3"), 0, cfg, router,
                       at + 2 * S)
    assert step.reroutes == [] and step.events == []
    final = step.state
    assert final.attempt == 3 and final.queue == "escalations"
    assert final.assign_by is None
    assert final.declined_by == ("a1", "a2", "a3")
    assert len(router.calls) == 2
    # only the clocks wake it up now, not an assignment timer
    assert wake_at(final) == FR_WARN_75
    late = on_tick(final, cfg, router, at + 2 * ASSIGN_WITHIN)
    assert late.reroutes == []
    assert len(router.calls) == 2


def test_unassigned_within_time_reroutes_on_tick(short_policies: PolicySet,
                                                 router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    state = opened(short_policies, router, assign_within=ASSIGN_WITHIN).state
    deadline = ROUTED + ASSIGN_WITHIN
    state = on_tick(state, cfg, router, FR_DEADLINE).state  # the first response breached
    assert wake_at(state) == deadline  # before the resolution warning
    step = on_tick(state, cfg, router, deadline - S)
    assert step.reroutes == [] and step.events == []

    step = on_tick(state, cfg, router, deadline)
    assert step.events == []
    assert len(step.reroutes) == 1
    rerouted = step.reroutes[0]
    assert rerouted.attempt == 2 and rerouted.exclude_agents == ()
    assert rerouted.routed_at == deadline
    assert rerouted.ticket.routing is not None
    assert rerouted.ticket.routing.reason == "unassigned"
    assert rerouted.ticket.routing.previous_queues == ("general",)
    assert step.state.attempt == 2
    assert step.state.assign_by == deadline + ASSIGN_WITHIN
    assert wake_at(step.state) == deadline + ASSIGN_WITHIN
    again = on_tick(step.state, cfg, router, deadline)
    assert again.reroutes == [] and again.events == []


def test_assigned_cancels_the_assignment_timeout(short_policies: PolicySet,
                                                 router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    state = opened(short_policies, router, assign_within=ASSIGN_WITHIN).state
    at = RECEIVED + 85 * S
    state = on_helpdesk(state, hd("agent_replied", at), 0, cfg, router, at).state
    assert wake_at(state) == ROUTED + ASSIGN_WITHIN
    step = on_helpdesk(state, hd("assigned", at + S, agent_id="a7"), 0, cfg, router, at + S)
    assert step.events == [] and step.reroutes == []
    assert step.state.assigned_to == "a7"
    assert wake_at(step.state) == RES_WARN_75
    tick = on_tick(step.state, cfg, router, ROUTED + ASSIGN_WITHIN)
    assert tick.reroutes == [] and tick.events == []
    assert router.calls == []


def test_solved_stops_clocks_and_assignment_timeout(short_policies: PolicySet,
                                                    router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    state = opened(short_policies, router, assign_within=ASSIGN_WITHIN).state
    at = RECEIVED + 80 * S
    step = on_helpdesk(state, hd("status_changed", at, status="solved"), 0, cfg, router, at)
    assert kinds(step.events) == [("sla.fulfilled", "resolution", None)]
    solved = step.state
    assert solved.closed
    assert [c.status for c in solved.clocks] == ["stopped", "stopped", "fulfilled"]
    assert wake_at(solved) is None
    later = on_tick(solved, cfg, router, RECEIVED + 5 * 60 * M)
    assert later.events == [] and later.reroutes == []
    declined = on_helpdesk(solved, hd("declined", at + S, agent_id="a1"), 0, cfg, router, at + S)
    assert declined.reroutes == [] and declined.state.assign_by is None
    assert router.calls == []


def test_clock_start_received_at_or_routed_at(short_policies: PolicySet,
                                              router: Router) -> None:
    routed_at = ROUTED + 4 * M  # routed five minutes after receipt
    message = router.routed(routed_at=routed_at)
    by_receipt = on_routed(None, message, 0, config(short_policies), router, routed_at)
    assert clock(by_receipt.state, "first_response").deadline == FR_DEADLINE
    assert kinds(by_receipt.events)[-1] == ("sla.breached", "first_response", None)

    by_routing = on_routed(None, message, 0, config(short_policies, clock_start="routed_at"),
                           router, routed_at)
    assert clock(by_routing.state, "first_response").deadline == routed_at + 2 * M
    assert clock(by_routing.state, "resolution").deadline == routed_at + 60 * M
    assert clock(by_routing.state, "first_response").started_at == routed_at
    assert kinds(by_routing.events) == [("sla.applied", "first_response", None),
                                        ("sla.applied", "resolution", None)]


def test_sla_policy_of_the_decision_and_unknown_fallback(short_policies: PolicySet,
                                                         router: Router) -> None:
    cfg = config(short_policies)
    urgent = on_routed(None, router.routed(sla_policy="urgent"), 0, cfg, router, ROUTED).state
    assert clock(urgent, "first_response").policy == "urgent"
    assert clock(urgent, "first_response").deadline == RECEIVED + 1 * M

    unknown = on_routed(None, router.routed(sla_policy="platinum"), 0, cfg, router, ROUTED)
    assert [e.policy for e in unknown.events] == ["standard", "standard"]
    assert clock(unknown.state, "first_response").deadline == FR_DEADLINE
    assert clock(unknown.state, "resolution").deadline == RES_DEADLINE


def test_later_attempt_on_tickets_routed_is_adopted(short_policies: PolicySet,
                                                    router: Router) -> None:
    cfg = config(short_policies, assign_within=ASSIGN_WITHIN)
    first = router.routed()
    state = on_routed(None, first, 0, cfg, router, ROUTED).state
    state = on_helpdesk(state, hd("assigned", RECEIVED + 70 * S, agent_id="a1"), 0, cfg,
                        router, RECEIVED + 70 * S).state
    moved_at = ROUTED + 3 * M
    second = router.routed(attempt=2, routed_at=moved_at, queue="vip", topic="queue.vip")
    step = on_routed(state, second, 0, cfg, router, moved_at)
    assert step.events == [] and step.reroutes == []
    adopted = step.state
    assert adopted.attempt == 2 and adopted.ticket == second.ticket
    assert adopted.queue == "vip"
    assert adopted.assigned_to is None
    assert adopted.assign_by == moved_at + ASSIGN_WITHIN
    assert adopted.clocks == state.clocks  # same ticket, same clocks
    # the older attempt, redelivered afterwards, is ignored
    stale = on_routed(adopted, first, 0, cfg, router, moved_at + S)
    assert stale.state is adopted and stale.events == []
    assert router.calls == []
