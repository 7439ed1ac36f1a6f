import sys

import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation import bench

HOLD_200_MB = (
    "import time; x = bytearray(200 * 2**20); x[::4096] = b'1' * (len(x) // 4096); time.sleep(0.3)"
)


def test_child_process_memory_is_measured_for_that_child_alone():
    # this test process is far bigger than a bare interpreter: it must not count
    small = bench.run_child([sys.executable, "-c", "import time; time.sleep(0.3)"], env={})
    big = bench.run_child([sys.executable, "-c", HOLD_200_MB], env={})
    assert small.peak_mb < 50
    assert 200 < big.peak_mb < 250


def test_a_failing_child_is_an_error_with_its_message():
    with pytest.raises(HealthqaError, match="boom"):
        bench.run_child([sys.executable, "-c", "raise SystemExit('boom')"], env={})


def result(seconds: float) -> bench.ConfigResult:
    run = bench.ProcessRun(seconds, 100.0)
    return bench.ConfigResult(run, 1.0, 10.0, 20.0, 300.0, [run, run, run], 4.0)


def test_table_has_both_configurations_and_their_ratio():
    report = bench.BenchReport(
        {"load": "0", "cpu": "x", "cores": "2", "memory": "1 GiB", "python": "3", "os": "y"}, 52, 3
    )
    report.results = {"pipeline": result(30.0), "bm25": result(10.0)}
    rows = {row[0]: row[1:] for row in report.rows()}
    assert rows["index build time (s)"] == ("30.0", "10.0", "3.00")
    assert rows["cold CLI ask (s, median of 3)"] == ("30.00", "10.00", "3.00")
    text = report.markdown("healthqa bench")
    assert "Machine: x, 2 cores" in text and "`healthqa bench`" in text


def test_markdown_section_is_replaced_between_markers(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nQuality figures.\n")
    bench.write_section(path, "first")
    bench.write_section(path, "second")
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\nQuality figures.")
    assert "second" in text and "first" not in text
    assert text.count(bench.MARK_BEGIN) == 1
