"""The pure parts of ``ticketflow bench pipeline``: workload variants, expected ticket ids,
percentiles, rates, /proc parsing; and the dependency-free PNG writer."""

from __future__ import annotations

import json
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

import corpus
from channels.base import RawRecord
from channels.dispatch import normalize
from schemas import DeadLetter, Source
from ticketflow.pipeline_bench import (
    Arrivals,
    BaseMessage,
    VariantError,
    Workload,
    cores,
    cpu_seconds,
    growth_pct,
    latency_summary,
    load_bases,
    make_variant,
    not_done_report,
    offset_ranges,
    percentile,
    status_mb,
    throughput,
    variant_suffix,
)
from ticketflow.png_plot import Series, line_plot, log_ticks

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bases() -> list[BaseMessage]:
    return load_bases((f.channel, f.read_bytes()) for f in corpus.load_manifest())


def normalized_ids(channel: str, value: bytes) -> tuple[str, ...] | None:
    record = RawRecord(channel=channel, value=value, timestamp=NOW,
                       source=Source(topic=f"inbound.{channel}", partition=0, offset=7))
    result = normalize(record, NOW)
    if isinstance(result, DeadLetter):
        return None
    return tuple(dict.fromkeys(t.ticket_id for t in result))


# --- variants


def test_bases_cover_every_channel_and_know_each_files_tickets(bases: list[BaseMessage]) -> None:
    files = corpus.load_manifest()
    assert {b.channel for b in bases} == {f.channel for f in files}
    for base, file in zip(bases, files, strict=True):
        if file.broken:
            assert base.provider_ids == ()
        else:
            assert len(base.provider_ids) == file.expected_tickets


def test_every_variant_normalizes_to_the_ticket_ids_computed_for_it(
    bases: list[BaseMessage]
) -> None:
    for index, base in enumerate(bases):
        for suffix in (variant_suffix("ab12", index), variant_suffix("ab12", index + 5000)):
            variant = make_variant(base, suffix)
            ids = normalized_ids(base.channel, variant.value)
            if base.provider_ids:
                assert ids == variant.ticket_ids, base.channel
            else:
                assert ids is None and variant.ticket_ids == ()


def test_variants_make_new_tickets_and_keep_the_rest_of_the_ticket(
    bases: list[BaseMessage]
) -> None:
    base = next(b for b in bases if b.channel == "whatsapp" and len(b.provider_ids) == 2)
    original = normalized_ids(base.channel, base.raw)
    variant = make_variant(base, "-x1")
    assert original is not None
    assert not set(original) & set(variant.ticket_ids)
    assert len(variant.ticket_ids) == 2
    assert variant.value.replace(b"-x1", b"") == base.raw


def test_a_workload_has_unique_ticket_ids_over_many_rounds_of_the_corpus(
    bases: list[BaseMessage]
) -> None:
    workload = Workload(bases, "t0")
    variants = workload.records(0, 3 * len(bases) + 11)
    ids = [t for v in variants for t in v.ticket_ids]
    assert len(ids) == len(set(ids))
    assert {v.channel for v in variants} == {b.channel for b in bases}
    assert workload.record(5) == variants[5]  # the same record, the same bytes and ids
    assert Workload(bases, "t1").record(5).ticket_ids != variants[5].ticket_ids


def test_a_not_done_report_says_how_far_each_ticket_got_and_where_it_came_from(
    bases: list[BaseMessage]
) -> None:
    variants = Workload(bases, "t0").records(0, len(bases))
    first, second = [v for v in variants if v.ticket_ids][:2]
    seen = Arrivals(routed={second.ticket_ids[0]: 1.0})
    pending = {first.ticket_ids[0], second.ticket_ids[0], "tk_not_in_the_workload"}
    report = not_done_report(pending, seen, variants)
    assert [line["ticket_id"] for line in report] == sorted(pending)
    by_id = {line["ticket_id"]: line for line in report}
    assert by_id[first.ticket_ids[0]] == {
        "ticket_id": first.ticket_ids[0], "routed": False, "sla_applied": False,
        "channel": first.channel, "value": first.value.decode("utf-8", "replace")}
    assert (by_id[second.ticket_ids[0]]["routed"], by_id[second.ticket_ids[0]]["sla_applied"]) == (
        True, False)
    assert by_id["tk_not_in_the_workload"]["channel"] is None
    json.dumps(report)  # what write_not_done writes, a line each


def test_tickets_per_record_is_the_corpus_average(bases: list[BaseMessage]) -> None:
    workload = Workload(bases, "t")
    expected = sum(f.expected_tickets for f in corpus.load_manifest() if not f.broken)
    assert workload.tickets_per_record == pytest.approx(expected / len(bases))


def test_a_provider_id_missing_from_its_payload_is_an_error() -> None:
    base = BaseMessage("chat", b'{"transcript_id": "A"}', ("B",))
    with pytest.raises(VariantError):
        make_variant(base, "-1")


def test_ids_are_replaced_only_where_written_as_ids() -> None:
    sms = BaseMessage("sms", b"SmsSid=SM1&Body=SM1+is+fine&MessageSid=SM1", ("SM1",))
    assert make_variant(sms, "-v").value == b"SmsSid=SM1-v&Body=SM1+is+fine&MessageSid=SM1-v"
    chat = BaseMessage("chat", b'{"transcript_id": "T1", "messages": [{"id": "T1_1"}]}', ("T1",))
    assert make_variant(chat, "-v").value == (
        b'{"transcript_id": "T1-v", "messages": [{"id": "T1_1"}]}')
    email = BaseMessage("email", b"Message-ID: <a@b>\r\n\r\nsee a@b", ("a@b",))
    assert make_variant(email, "-v").value == b"Message-ID: <a@b-v>\r\n\r\nsee a@b"


# --- figures


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def test_throughput_counts_between_first_and_last_output() -> None:
    assert throughput(1000, 10.0, 12.0) == 500
    assert throughput(1000, 10.0, 10.0) is None
    assert throughput(0, 1.0, 2.0) is None
    assert throughput(5, None, 2.0) is None


def test_latency_summary_in_ms_over_what_arrived() -> None:
    published = {f"t{i}": 100.0 for i in range(100)}
    arrived = {f"t{i}": 100.0 + (i + 1) / 1000 for i in range(100)}
    summary = latency_summary(published, arrived)
    assert summary["p50_ms"] == 50.0
    assert summary["p99_ms"] == 99.0
    assert summary["max_ms"] == 100.0
    assert summary["missing"] == 0


def test_latency_percentiles_that_fall_among_missing_arrivals_are_unknown() -> None:
    published = {f"t{i}": 0.0 for i in range(100)}
    arrived = {f"t{i}": 0.010 for i in range(98)}
    summary = latency_summary(published, arrived)
    assert summary["p50_ms"] == 10.0
    assert summary["p99_ms"] is None  # rank 99 is one of the two that never arrived
    assert summary["missing"] == 2
    assert summary["max_ms"] is None
    assert latency_summary({}, {})["p50_ms"] is None


def test_growth_pct() -> None:
    assert growth_pct(400.0, 440.0) == 10.0
    assert growth_pct(None, 440.0) is None
    assert growth_pct(0.0, 1.0) is None


def test_offset_ranges_span_what_landed_per_partition() -> None:
    landed = [("inbound.sms", 0, 5), ("inbound.sms", 0, 3), ("inbound.chat", 1, 0),
              ("inbound.sms", 0, 4)]
    assert offset_ranges(landed) == {("inbound.sms", 0): (3, 6), ("inbound.chat", 1): (0, 1)}


def test_cores_are_each_process_cpu_seconds_over_the_wall_time() -> None:
    before = {"worker": 10.0, "worker_children": 4.0, "broker": None, "harness": 2.0}
    after = {"worker": 19.0, "worker_children": 7.5, "broker": 3.0, "harness": 3.0}
    assert cores(before, after, 10.0) == {"worker": 0.9, "worker_children": 0.35,
                                          "broker": None, "harness": 0.1, "total": 1.35}
    # a process gone by the second reading, no time elapsed: unknown, never a division by 0
    assert cores({"worker": 1.0}, {}, 5.0) == {"worker": None, "total": None}
    assert cores({"worker": 1.0}, {"worker": 2.0}, 0.0) == {"worker": None, "total": None}


def test_proc_parsing() -> None:
    # the command name may hold spaces and parentheses
    stat = "1234 (python -m (x)) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 9 0 100 1000 2000"
    assert cpu_seconds(stat, 100) == 3.0
    status = "Name:\tpython\nVmHWM:\t  524288 kB\nVmRSS:\t  262144 kB\n"
    assert status_mb(status, "VmRSS") == 256.0
    assert status_mb(status, "VmHWM") == 512.0
    assert status_mb(status, "VmSwap") is None


# --- the PNG writer


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i:i + 4])
        kind, data = png[i + 4:i + 8], png[i + 8:i + 8 + length]
        (crc,) = struct.unpack(">I", png[i + 8 + length:i + 12 + length])
        assert crc == zlib.crc32(kind + data)
        out.append((kind, data))
        i += 12 + length
    return out


def test_line_plot_is_a_valid_png_of_the_asked_size_with_the_series_colours() -> None:
    png = line_plot([Series("p50", [200, 500], [600.0, 35000.0], (31, 119, 180)),
                     Series("p99", [200, 500], [1292.0, None], (214, 39, 40))],
                    "offered load msg/s", "latency ms", width=320, height=200)
    parts = chunks(png)
    assert [k for k, _ in parts] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour = struct.unpack(">IIBB", parts[0][1][:10])
    assert (width, height, depth, colour) == (320, 200, 8, 2)
    raw = zlib.decompress(parts[1][1])
    assert len(raw) == height * (1 + 3 * width)
    assert bytes((31, 119, 180)) in raw and bytes((214, 39, 40)) in raw


def test_line_plot_without_points_still_draws() -> None:
    assert chunks(line_plot([Series("p99", [200], [None], (0, 0, 0))], "x", "y"))


def test_log_ticks() -> None:
    assert log_ticks(100, 10_000) == [100, 200, 500, 1000, 2000, 5000, 10_000]


def test_worker_metrics_reads_what_the_soak_waits_for() -> None:
    from prometheus_client import CollectorRegistry, start_http_server

    from streams.handoff import Handoff
    from streams.metrics import HandoffCollector, SlaMetrics, kpi_metrics
    from ticketflow.broker import free_port
    from ticketflow.pipeline_bench import (
        FORGOTTEN,
        HANDOFF_PARSED,
        HANDOFF_TAKEN,
        KPI_TRACKED,
        worker_metrics,
    )

    registry = CollectorRegistry()
    SlaMetrics(registry).forgotten.inc(42)
    kpi_metrics(registry).kpi_states.set(7)
    handoff: Handoff[str] = Handoff()
    handoff.put([(b"a", "A")])
    handoff.take(b"a"), handoff.take(b"b"), handoff.take(b"c")
    registry.register(HandoffCollector(handoff))
    port = free_port()
    server, thread = start_http_server(port, registry=registry)
    try:
        assert worker_metrics(port, FORGOTTEN, KPI_TRACKED) == {FORGOTTEN: 42, KPI_TRACKED: 7}
        # labelled samples by their name and labels, as the bench reads the handoff's
        assert worker_metrics(port, HANDOFF_TAKEN, HANDOFF_PARSED) == {
            HANDOFF_TAKEN: 1, HANDOFF_PARSED: 2}
        assert worker_metrics(port, "ticketflow_no_such_metric") == {}
    finally:
        server.shutdown()
        thread.join()
    assert worker_metrics(port, FORGOTTEN) is None and worker_metrics(None, FORGOTTEN) is None


def test_proc_stats_sum_the_worker_and_the_processes_below_it() -> None:
    import subprocess
    import sys

    from ticketflow.pipeline_bench import ProcStats

    # a child holding 64 MB, and a grandchild of its own that has used 0.1 s of CPU
    grandchild_code = ("import time\nwhile time.process_time() < 0.1: pass\n"
                       "print(flush=True)\ntime.sleep(60)")
    code = ("import subprocess, sys, time; b = bytearray(64 << 20); "
            f"p = subprocess.Popen([sys.executable, '-c', {grandchild_code!r}], "
            "stdout=subprocess.PIPE); p.stdout.readline(); "
            "print(p.pid, flush=True); time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        grandchild = int(child.stdout.readline())
        stats = ProcStats(child.pid)
        assert set(stats.pids()) == {child.pid, grandchild}
        alone = ProcStats(grandchild)
        # (the grandchild may still be starting: its figures only grow)
        assert stats.rss_mb() >= 64 + alone.rss_mb()  # type: ignore[operator]
        assert stats.peak_mb() >= 64 + alone.rss_mb()  # type: ignore[operator]
        assert stats.cpu_s() >= alone.cpu_s()  # type: ignore[operator]
        # the worker's own process without what runs below it (the child sleeps by now)
        own = stats.own_cpu_s()
        assert own is not None and own == cpu_seconds(
            Path(f"/proc/{child.pid}/stat").read_text(), stats.ticks)
        # and the tree's sum has the grandchild's 0.1 s besides
        assert stats.cpu_s() - own >= 0.05  # type: ignore[operator]
    finally:
        child.kill()
        child.wait()
    assert ProcStats(None).pids() == [] and ProcStats(None).rss_mb() is None
    assert ProcStats(None).own_cpu_s() is None and ProcStats(child.pid).own_cpu_s() is None
