#!/usr/bin/env bash
# Leadership rotation (failover) time of a 5-node Raft cluster whose leader crashes, for several
# election timeout ranges: median (nearest rank), 99th percentile and worst over N seeds, from
# the per-run metric leader.rotation_time.max (one rotation per run).
#
# Method, after Figure 16 of the Raft paper: the heartbeat is half the minimum election timeout,
# and the leader is crashed (for good) at a moment drawn uniformly within one heartbeat interval
# after 60s; clocks drift by up to 100ppm. The crash comes that late because with a fixed
# timeout ([150ms, 150ms]) the nodes, which all boot at 0s, campaign at the same instants and
# split the vote until drift pulls their timers apart, which can take tens of seconds. Runs give
# no sample when there was no leader to crash at 60s (column no_leader) or when no new leader
# was elected before the run's end at 120s (column stuck).
#
# Usage: tools/bench/raft-rotation.sh [SEEDS]   (default 500; seeds 1..SEEDS)
# Environment: LOCKSTEP   the binary (default build/tools/lockstep)
#              LATENCY    one-way network latency (default "{uniform: [1ms, 5ms]}")
#              RANGES     election timeout ranges as "min,max" words
#                         (default "150ms,150ms 150ms,155ms 150ms,200ms 150ms,300ms 12ms,24ms")
#              JOBS       runs in parallel (default: the number of processors)
set -euo pipefail
cd "$(dirname "$0")/../.."

seeds=${1:-500}
lockstep=${LOCKSTEP:-build/tools/lockstep}
latency=${LATENCY:-"{uniform: [1ms, 5ms]}"}
ranges=${RANGES:-"150ms,150ms 150ms,155ms 150ms,200ms 150ms,300ms 12ms,24ms"}
jobs=${JOBS:-$(nproc)}

if [ ! -x "$lockstep" ]; then
  echo "raft-rotation: no binary at $lockstep (run tools/run first, or set LOCKSTEP)" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prints "ROTATION_S INJECTED" (leader.rotation_time.max, faults.injected) from one run's
# `--json` report: a metric's "value" comes a line or two after its name.
rotation_of() {
  "$1" run "$2" --seed "$3" --json |
    awk '/"leader.rotation_time.max"/ { want = "rotation" }
         /"faults.injected"/ { want = "injected" }
         want != "" && /"value"/ {
           gsub(/[ ,]/, ""); split($0, kv, ":"); got[want] = kv[2]; want = ""
         }
         END { print got["rotation"] + 0, got["injected"] + 0 }'
}
export -f rotation_of

# Writes the scenario for one range: ms values only, so the heartbeat can be halved in shell.
write_scenario() {
  local min=$1 max=$2 file=$3
  local min_ms=${min%ms} heartbeat_us
  heartbeat_us=$(( min_ms * 1000 / 2 ))
  cat > "$file" <<YAML
summary: raft-rotation.sh, election_timeout [$min, $max]
duration: 120s
protocol:
  name: raft
  params: {election_timeout: [$min, $max], heartbeat: ${heartbeat_us}us}
nodes: 5
clocks: {drift_ppm: {uniform: [-100, 100]}}
network:
  latency: $latency
faults:
  - {at: [60s, $(( 60000000 + heartbeat_us ))us], crash: leader}
YAML
}

printf '%-18s %6s %9s %6s %10s %10s %10s\n' "election_timeout" "runs" "no_leader" "stuck" \
  "median_ms" "p99_ms" "worst_ms"
for range in $ranges; do
  min=${range%,*}
  max=${range#*,}
  case "$min$max" in
    *ms*ms) ;;
    *) echo "raft-rotation: give ranges in ms, e.g. 150ms,300ms (got $range)" >&2; exit 2 ;;
  esac
  file="$tmp/rotation-${min}-${max}.yaml"
  write_scenario "$min" "$max" "$file"
  seq 1 "$seeds" | xargs -P "$jobs" -I{} bash -c 'rotation_of "$0" "$1" {}' "$lockstep" "$file" \
    > "$tmp/values"
  sort -g "$tmp/values" | awk -v range="[$min, $max]" '
    $2 == 0 { no_leader++; next }
    $1 + 0 > 0 { v[++n] = $1 * 1000; next }
    { stuck++ }
    END {
      printf "%-18s %6d %9d %6d ", range, NR, no_leader, stuck
      if (n == 0) { printf "%10s %10s %10s\n", "-", "-", "-"; exit }
      p50 = int((50 * n + 99) / 100); p99 = int((99 * n + 99) / 100)
      printf "%10.1f %10.1f %10.1f\n", v[p50], v[p99], v[n]
    }'
done
