"""Measuring one process, and the heartbeat mesh of ../shared/peers as arithmetic.

Used by tools/bench/compare. Two halves:
- run_measured: runs a command and returns its whole-process wall time, CPU time (wait4's
  rusage of that very child, so nothing else on the machine is counted) and peak RSS (GNU time);
- the mesh workload (README.md and raw_loop.cpp of the peers folder): node i beats at
  floor(i * 10ms / N) + k * 10ms to every other node, each message takes a latency (1 ms fixed,
  or uniform in [0.5 ms, 1.5 ms]) and events at time >= D are not run. From this alone the
  message counts and the peak number of messages in flight follow, without running anything.
"""
import os
import subprocess
import tempfile
import time

PERIOD_NS = 10_000_000
LATENCY_NS = {"fixed": (1_000_000, 1_000_000), "rand": (500_000, 1_500_000)}


class RunError(Exception):
    """A measured command failed: its command line, exit status and the end of its stderr."""


# GNU time (Debian package `time`) reports a child's peak RSS truthfully. wait4's own figure
# cannot: Linux carries the high-water mark across fork and exec, so every child of this Python
# process would report at least Python's own RSS (~17 MB). Its grandchild, forked from the small
# `time` process, starts near zero.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_measured(cmd, ok_codes=(0,), cwd=None):
    """Runs cmd; returns {wall_s, cpu_s, peak_rss_kb, stdout, stderr, rc}. wall_s is the time
    from spawn to reaping, i.e. what a user waits for (startup and teardown included); cpu_s is
    the child's user + system time, which other load on the machine disturbs less; peak_rss_kb
    is None without GNU time."""
    assert cmd, "empty command"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rss:
        full = [GNU_TIME, "-f", "%M", "-o", rss.name] + list(cmd) if GNU_TIME else list(cmd)
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)  # includes the grandchild's CPU time
        wall_s = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
        lines = rss.read().split()
        peak_rss_kb = int(lines[-1]) if GNU_TIME and lines and lines[-1].isdigit() else None
    if proc.returncode not in ok_codes:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise RunError(f"{' '.join(cmd)}: exit {proc.returncode}\n{tail}")
    assert wall_s > 0
    return {"wall_s": wall_s, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_kb": peak_rss_kb, "stdout": stdout, "stderr": stderr,
            "rc": proc.returncode}


def tick_offsets_ns(n):
    """Each node's first beat, as raw_loop and protocols/heartbeat compute it (integer ns)."""
    assert n >= 2
    return [PERIOD_NS * i // n for i in range(n)]


def ticks_before(n, end_ns, start_ns=0):
    """How many beats fall in [start_ns, end_ns)."""
    assert end_ns >= start_ns

    def below(t):  # beats at times < t
        return sum((t - off + PERIOD_NS - 1) // PERIOD_NS for off in tick_offsets_ns(n) if off < t)

    return below(end_ns) - below(max(start_ns, 0))


def expected_counts(n, duration_ns, latency):
    """Messages sent before D, and bounds on those delivered before D: exact for a fixed
    latency; for a random one the messages sent in [D - max, D - min) may or may not arrive."""
    lo, hi = LATENCY_NS[latency]
    sent = ticks_before(n, duration_ns) * (n - 1)
    surely = ticks_before(n, max(duration_ns - hi, 0)) * (n - 1)
    maybe = ticks_before(n, max(duration_ns - lo, 0), max(duration_ns - hi, 0)) * (n - 1)
    assert surely + maybe <= sent
    return {"sent": sent, "delivered_min": surely, "delivered_max": surely + maybe}


def _beats_to_scan(n, duration_ns, hi_ns):
    """Beat times < min(D, 2 periods + max latency), sorted: the pattern repeats every period,
    so windows over this span see every distinct in-flight situation of the run."""
    horizon = min(duration_ns, 2 * PERIOD_NS + hi_ns)
    beats = []
    for off in tick_offsets_ns(n):
        t = off
        while t < horizon:
            beats.append(t)
            t += PERIOD_NS
    return sorted(beats)


def peak_in_flight(n, duration_ns, latency):
    """The largest number of messages sent and not yet delivered at one instant (a message sent
    at s with latency l is in flight over [s, s + l)), ignoring the order of same-instant events.
    Fixed latency: exact. Random latency: the expectation (each message counts with the chance
    its latency is still running), whose relative fluctuation is below 1% at these sizes."""
    lo, hi = LATENCY_NS[latency]
    beats = _beats_to_scan(n, duration_ns, hi)
    if not beats:
        return 0.0
    best, first = 0.0, 0
    for last, now in enumerate(beats):  # the count peaks right after a beat
        while beats[first] <= now - hi:
            first += 1
        alive = 0.0
        for s in beats[first:last + 1]:
            age = now - s
            alive += 1.0 if age < lo else (hi - age) / (hi - lo)
        best = max(best, alive)
    return best * (n - 1)


def seconds_arg(duration_ns):
    """D for raw_loop's command line (it reads seconds with atof and multiplies by 1e9); refuses
    a value the double round trip would change, so both programs stop at the same instant."""
    text = repr(duration_ns / 1e9)
    assert int(float(text) * 1e9) == duration_ns, f"{duration_ns} ns does not survive atof"
    return text
