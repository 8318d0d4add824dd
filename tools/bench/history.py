#!/usr/bin/env python3
# A linearizable client history in the JSONL form of docs/history-format.md, for measuring
# `lockstep check --history`: built from a sequential execution the way the randomized test
# (tests/checkers/linearizable_search_test.cpp) builds them. Usage:
#   tools/bench/history.py OPS PROCESSES KEYS SEED UNKNOWN_PERCENT > h.jsonl
#   build/tools/lockstep check --history h.jsonl --model cas
import json, random, sys
n, procs, keys, seed, info_pct = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
state = {}
reach = 5 * procs - 1
events = []
for i in range(n):
    p = i % procs
    k = "k%d" % rng.randrange(keys)
    at = 10 * i + 100
    t0 = at - rng.randrange(reach + 1)
    t1 = at + rng.randrange(reach + 1)
    kind = rng.randrange(10)
    s = state.get(k)
    if kind < 4:
        events.append((t0, {"process": p, "type": "invoke", "f": "read", "key": k, "time": t0}))
        events.append((t1, {"process": p, "type": "ok", "f": "read", "key": k, "value": s, "time": t1}))
        continue
    v = 1000 * i
    is_cas = kind >= 7
    expect = s if rng.randrange(2) == 0 else (None if s is None else s + 1)
    typ = "info" if rng.randrange(100) < info_pct else "ok"
    takes = (not is_cas) or expect == s
    if not takes:
        typ = "fail"
    inv = {"process": p, "type": "invoke", "f": "cas" if is_cas else "write", "key": k, "value": v, "time": t0}
    if is_cas:
        inv["expect"] = expect
    events.append((t0, inv))
    events.append((t1, {"process": p, "type": typ, "key": k, "time": t1}))
    if takes:
        state[k] = v
for _, e in sorted(events, key=lambda x: x[0]):
    print(json.dumps(e))
