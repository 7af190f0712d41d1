"""Service KPIs as a pure state machine (first response, resolution, FCR across channels, CSAT):
:mod:`kpi.tracker` holds a ticket's state and the steps, :mod:`kpi.stage` turns messages and
timer ticks into records and table writes. No Kafka here: the faust agent is a thin loop around
:class:`kpi.stage.KpiStage` (next, with the topics, rollups and metrics)."""
