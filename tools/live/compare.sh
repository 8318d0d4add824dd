#!/usr/bin/env bash
# Runs scenarios in the simulator once and live N times, and prints a Markdown table of the
# verdicts side by side (docs/live.md keeps the last one).
#   tools/live/compare.sh [--runs N] [--time-scale F] FILE...
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=5
scale=0.2
bin="${LOCKSTEP_BIN:-build/tools/lockstep}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --time-scale) scale="$2"; shift 2 ;;
    *) break ;;
  esac
done
command -v jq >/dev/null || { echo "compare: needs jq" >&2; exit 2; }
# "mutual_exclusion=violated fenced_writes=holds" from a JSON report.
verdicts() { jq -r '.verdicts | to_entries | map(.key + "=" + .value.verdict) | join(" ")'; }
echo "| scenario | simulator | live (${runs} runs, time scale ${scale}) | expectations met live |"
echo "|---|---|---|---|"
for f in "$@"; do
  sim=$("$bin" run "$f" --json | verdicts)
  declare -A seen=()
  met=0
  for _ in $(seq "$runs"); do
    out=$("$bin" live "$f" --time-scale "$scale" --json 2>/dev/null) && met=$((met + 1)) || true
    v=$(echo "$out" | verdicts 2>/dev/null || echo "error")
    seen["$v"]=$(( ${seen["$v"]:-0} + 1 ))
  done
  live=""
  for v in "${!seen[@]}"; do live+="${seen[$v]}x: ${v}<br>"; done
  echo "| ${f#scenarios/} | ${sim} | ${live%<br>} | ${met}/${runs} |"
  unset seen
done
