"""``ticketflow kpi --plot FILE.png``: the picture a manager looks at instead of the table.

Top: tickets received per hour by intent (the hourly rollups' ``received``; the busiest
intents drawn, the others summed), each volume spike (``kpi.alerts``) marked where its window
starts with its intent and ratio. Bottom: first response p50 and p90 per channel (the same
figures as ``--by channel``), on a log scale since chat answers in minutes and e-mail in hours.

matplotlib, imported here only (so the rest of the CLI does not pay for it): dates on the axis,
real fonts, a legend and annotations are what this chart needs, and ``ticketflow.png_plot``
(the benchmark's dependency-free plot: one log-scale line chart, a 3×5 pixel font without
capitals or ``_``) would have to grow into a charting library to draw them. See
ARCHITECTURE.md "Dependencies and why".
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from ticketflow.kpi_report import (
    KpiRecords,
    Period,
    duration_label,
    group_rows,
    hourly_volume,
    spikes,
    ticket_views,
)

TOP_INTENTS = 6
TIME_TICKS = {1: "1s", 10: "10s", 30: "30s", 60: "1m", 300: "5m", 900: "15m", 3600: "1h",
              4 * 3600: "4h", 12 * 3600: "12h", 86400: "1d", 3 * 86400: "3d", 7 * 86400: "7d",
              30 * 86400: "30d"}
# matplotlib's default colours without its red: red is for the spikes only
COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:pink",
          "tab:olive", "tab:cyan")


def volume_series(records: KpiRecords, period: Period,
                  top: int = TOP_INTENTS) -> tuple[list[datetime], dict[str, list[int]]]:
    """Every hour from the first to the last with traffic, and per drawn intent its count in
    each (0 when none): the ``top`` busiest intents, plus ``other intents`` summed."""
    by_intent = hourly_volume(records, period)
    if not by_intent:
        return [], {}
    start = min(min(hours) for hours in by_intent.values())
    end = max(max(hours) for hours in by_intent.values())
    axis = [start + timedelta(hours=n) for n in range(int((end - start).total_seconds()
                                                          // 3600) + 1)]
    totals = sorted(by_intent, key=lambda i: (-sum(by_intent[i].values()), i))
    # an intent with a spike is always drawn, whatever its total
    spiking = {a.intent for a in spikes(records, period)} & set(by_intent)
    drawn = [i for i in totals if i in spiking]
    drawn += [i for i in totals if i not in spiking][:max(top - len(drawn), 0)]
    series = {intent: [by_intent[intent].get(hour, 0) for hour in axis] for intent in drawn}
    rest = [i for i in totals if i not in drawn]
    if rest:
        series["other intents"] = [sum(by_intent[i].get(hour, 0) for i in rest)
                                   for hour in axis]
    return axis, series


def plot_png(records: KpiRecords, period: Period, title: str) -> bytes:
    """The two charts as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 9), dpi=100,
                                      gridspec_kw={"height_ratios": [3, 2]})
    try:
        fig.suptitle(title, fontsize=13)
        _volume(top, records, period, mdates)
        _first_response(bottom, records, period)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _volume(ax: Any, records: KpiRecords, period: Period, mdates: Any) -> None:
    axis, series = volume_series(records, period)
    ax.set_title("Tickets received per hour, by intent (spikes marked)")
    ax.set_ylabel("tickets / hour")
    if not axis:
        ax.text(0.5, 0.5, "no hourly rollups in the period", ha="center", va="center",
                transform=ax.transAxes)
        return
    for n, (intent, counts) in enumerate(series.items()):
        color = "lightgrey" if intent == "other intents" else COLORS[n % len(COLORS)]
        ax.plot(axis, counts, label=intent, linewidth=1.2, color=color)
    for alert in spikes(records, period):
        hour = alert.window_start
        ax.plot([hour], [alert.count], marker="v", color="red", markersize=11,
                linestyle="none")
        facts = ", ".join(f"{f.field}={f.value}" for f in alert.top_order_facts[:2])
        ax.annotate(f"{alert.intent} ×{alert.ratio:.1f}" + (f"\n{facts}" if facts else ""),
                    (hour, alert.count), textcoords="offset points", xytext=(8, 4),
                    color="red", fontsize=9)
    highest = max([max(c) for c in series.values()] + [a.count for a in spikes(records, period)])
    ax.set_ylim(0, highest * 1.3 + 1)  # room for the spike labels
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d\n%H:%M"))
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    ax.grid(alpha=0.3)


def _first_response(ax: Any, records: KpiRecords, period: Period) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    rows = [r for r in group_rows(ticket_views(records, period), "channel")[:-1]
            if r.first_response_p50_s is not None]
    ax.set_title("First response by channel (solved tickets)")
    if not rows:
        ax.text(0.5, 0.5, "no solved ticket with a first response in the period",
                ha="center", va="center", transform=ax.transAxes)
        return
    rows.sort(key=lambda r: r.group)
    xs = range(len(rows))
    # at least a second: a log scale has no 0
    p50 = [max(r.first_response_p50_s or 0, 1.0) for r in rows]
    p90 = [max(r.first_response_p90_s or 0, 1.0) for r in rows]
    ax.bar([x - 0.2 for x in xs], p50, width=0.4, label="p50", color=COLORS[0])
    ax.bar([x + 0.2 for x in xs], p90, width=0.4, label="p90", color=COLORS[1])
    ax.set_xticks(list(xs), [f"{r.group}\n({r.tickets})" for r in rows])
    ax.set_ylabel("first response (log scale)")
    ax.set_yscale("log")
    ax.set_ylim(min(p50) / 3, max(p90) * 3)  # a few labelled ticks around the bars
    ax.yaxis.set_major_locator(FixedLocator(list(TIME_TICKS)))
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _: TIME_TICKS.get(round(v)) or duration_label(v)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="y")
