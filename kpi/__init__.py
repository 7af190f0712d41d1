"""Service KPIs as a pure state machine (first response, resolution, FCR across channels, CSAT):
:mod:`kpi.tracker` holds a ticket's state and the steps, :mod:`kpi.stage` turns messages and
timer ticks into records, facts, commands and table writes. No Kafka here: the faust agent
(``streams/kpi_worker.py``) is a thin loop around :class:`kpi.stage.KpiStage`."""
