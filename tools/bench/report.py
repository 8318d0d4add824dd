"""tools/bench/compare's output: issue 14's targets judged against the figures, and Markdown."""

# (workload, the largest slowdown against the ceiling that meets issue 14)
MESH_TARGETS = [("mesh-5", 1.3), ("mesh-100", 1.0), ("mesh-100-rand", 1.5), ("mesh-10000", 1.3)]
BYTES_PER_MESSAGE_MAX = 64
RAFT_SEEDS_PER_S_MIN = 1500
RAFT_SPEEDUP_MIN = 1.8
TRACE_RATIO_MAX = 3.0
PERFETTO_RATIO_MAX = 3.0
CHECK_EVENTS_PER_S_MIN = 5e6


def _row(what, target, value, shown, met):
    return {"what": what, "target": target, "value": value, "shown": shown,
            "status": "not measured" if value is None else ("met" if met else "NOT met")}


def _mesh_targets(mesh):
    failed = {w["name"]: w["error"] for w in mesh if "error" in w}
    mesh = [w for w in mesh if "error" not in w]
    by_name = {w["name"]: w for w in mesh}
    rows = []
    for name, limit in MESH_TARGETS:
        ratio = by_name[name]["ratio"] if name in by_name else None
        shown = f"{ratio:.2f}x" if ratio is not None else failed.get(name)
        rows.append(_row(f"{name}: lockstep / ceiling time", f"<= {limit}x", ratio, shown,
                         ratio is not None and ratio <= limit))
    # Judged on the largest workload with enough messages in flight to measure.
    sized = [w for w in mesh if w["bytes_per_in_flight"]["lockstep"] is not None]
    big = max(sized, key=lambda w: w["peak_in_flight"]) if sized else None
    value = big["bytes_per_in_flight"]["lockstep"] if big else None
    rows.append(_row(f"memory per in-flight message ({big['name'] if big else 'mesh'})",
                     f"<= {BYTES_PER_MESSAGE_MAX} B", value,
                     None if value is None else f"{value:.0f} B",
                     value is not None and value <= BYTES_PER_MESSAGE_MAX))
    return rows


def targets(result):
    rows = _mesh_targets(result.get("mesh", []))
    ex = result.get("explore")
    seeds = ex["raft_seeds_per_s_2"] if ex else None
    speedup = ex["raft_speedup"] if ex else None
    rows.append(_row("raft-5 explore, 2 jobs", f">= {RAFT_SEEDS_PER_S_MIN} seeds/s", seeds,
                     None if seeds is None else f"{seeds:.0f} seeds/s",
                     seeds is not None and seeds >= RAFT_SEEDS_PER_S_MIN))
    rows.append(_row("raft-5 explore, 1 -> 2 jobs speedup", f">= {RAFT_SPEEDUP_MIN}x", speedup,
                     None if speedup is None else f"{speedup:.2f}x",
                     speedup is not None and speedup >= RAFT_SPEEDUP_MIN))
    tr = result.get("trace")
    for key, what, limit in (("trace_ratio", "--trace out.jsonl cost", TRACE_RATIO_MAX),
                             ("perfetto_ratio", "--perfetto out.json cost", PERFETTO_RATIO_MAX)):
        v = tr[key] if tr else None
        rows.append(_row(what, f"<= {limit}x", v, None if v is None else f"{v:.2f}x",
                         v is not None and v <= limit))
    v = tr["check_events_per_s"] if tr else None
    rows.append(_row("lockstep check throughput", ">= 5 M events/s", v,
                     None if v is None else f"{v / 1e6:.2f} M events/s",
                     v is not None and v >= CHECK_EVENTS_PER_S_MIN))
    return rows


def _rate(x):
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:.2f} {unit}"
    return f"{x:.0f}"


def _bytes(x):
    return "—" if x is None else f"{x:.0f}"


def _mesh_table(mesh):
    out = ["| workload | N | simulated | latency | messages sent / delivered (lockstep; ceiling) "
           "| lockstep msg sent/s | ceiling msg sent/s | ratio (median) | loop only | CPU time | peak in flight "
           "| B per in-flight msg (lockstep / ceiling) |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for w in mesh:
        if "error" in w:
            out.append(f"| {w['name']} | {w['nodes']:,} | {w['duration_ns'] / 1e9:g} s "
                       f"| {w['latency']} | not measured: {w['error']} |")
            continue
        s, d = w["messages_sent"], w["messages_delivered"]
        b = w["bytes_per_in_flight"]
        out.append(
            f"| {w['name']} | {w['nodes']:,} | {w['duration_ns'] / 1e9:g} s | {w['latency']} "
            f"| {s['lockstep']:,} / {d['lockstep']:,}; {s['ceiling']:,} / {d['ceiling']:,} "
            f"| {_rate(w['msg_per_s']['lockstep'])} | {_rate(w['msg_per_s']['ceiling'])} "
            f"| **{w['ratio']:.2f}×** | {w['loop_ratio']:.2f}× | {w['cpu_ratio']:.2f}× "
            f"| {w['peak_in_flight']:,.0f} "
            f"| {_bytes(b['lockstep'])} / {_bytes(b['ceiling'])} |")
    out.append("")
    out.append("Ratio: median over the pairs of (lockstep whole-process time / ceiling time); "
               "'loop only' uses each program's own timing of its event loop, 'CPU time' each "
               "process's user + system time (steadier on a shared machine). Messages in flight "
               "are derived analytically from the workload (lockstep has no in-flight stat); "
               "bytes per message = (peak RSS − the same program's RSS with N nodes and nothing "
               "in flight) / peak in flight, quoted from 50,000 messages in flight.")
    return out


def _explore_lines(ex):
    return [f"- raft-5 explore ({ex['raft_seeds']} seeds): "
            f"{ex['raft_seeds_per_s_1']:.0f} seeds/s with 1 job, "
            f"{ex['raft_seeds_per_s_2']:.0f} seeds/s with 2 jobs, speedup "
            f"{ex['raft_speedup']:.2f}× (median of paired runs)",
            f"- consensus-lock-5 explore ({ex['consensus_lock_seeds']} seeds, 2 jobs): "
            f"{ex['consensus_lock_seeds_per_s_2']:.0f} seeds/s"]


def _trace_lines(tr):
    return [f"- trace workload {tr['workload']}: {tr['trace_events']:,} trace events, "
            f"{tr['trace_bytes'] / 1e6:.0f} MB of JSONL",
            f"- `--trace`: {tr['trace_ratio']:.2f}× a run without it "
            f"({tr['trace_mb_per_s']:.0f} MB/s of trace)",
            f"- `--perfetto`: {tr['perfetto_ratio']:.2f}× a run without it",
            f"- `lockstep check TRACE`: {tr['check_events_per_s'] / 1e6:.2f} M events/s, "
            f"{tr['check_vs_cat']:.1f}× the time of `cat TRACE`"]


def markdown(result):
    la, lb = result["load_before"], result["load_after"]
    out = [f"# tools/bench/compare, {result['date_utc']}", "",
           f"lockstep: `{result['lockstep']}` ({result['lockstep_version']}); "
           f"{result['pairs']} rounds per comparison; {result['cpus']} CPUs; load average "
           f"{la[0]:.1f} before, {lb[0]:.1f} after.", ""]
    if result.get("mesh"):
        out += ["## Heartbeat mesh against the plain-loop ceiling (raw_loop pod-std)", ""]
        out += _mesh_table(result["mesh"]) + [""]
    if result.get("explore"):
        out += ["## Explore", ""] + _explore_lines(result["explore"]) + [""]
    if result.get("trace"):
        out += ["## Traces", ""] + _trace_lines(result["trace"]) + [""]
    out += ["## Issue 14's targets", "", "| figure | target | measured | status |",
            "|---|---|---|---|"]
    for t in result["targets"]:
        out.append(f"| {t['what']} | {t['target']} | {t['shown'] or '—'} | {t['status']} |")
    return "\n".join(out)
