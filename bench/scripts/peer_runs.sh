#!/usr/bin/env bash
# The alternating runs behind docs/performance.md's libtorch table:
#   bench/scripts/peer_runs.sh OUTDIR [ROUNDS]     (from the repository root; default 2 rounds)
# Each round: losses4j + libtorch 2.7 on 1 thread (preferred width), PyTorch 1.13 on 1 thread
# (Debian's python3-torch), both on all threads, and 1 thread at 256 bits; `uptime` before each.
set -euo pipefail
out="$1"
rounds="${2:-2}"
reps="${REPS:-7}"
mkdir -p "$out"
all="$(nproc)"
lscpu > "$out/lscpu.txt"
for r in $(seq 1 "$rounds"); do
  { date -u; uptime; } >> "$out/load.txt"
  ./losses bench --peer libtorch --json --reps "$reps" --warmup 2 > "$out/peer1_r$r.jsonl"
  { date -u; uptime; } >> "$out/load.txt"
  /usr/bin/python3 bench/torch_baseline.py --threads 1 --reps "$reps" > "$out/torch_r$r.jsonl"
  { date -u; uptime; } >> "$out/load.txt"
  ./losses bench --peer libtorch --json --threads "$all" --reps "$reps" --warmup 2 > "$out/peerN_r$r.jsonl"
  { date -u; uptime; } >> "$out/load.txt"
  LOSSES4J_VECTOR_BITS=256 ./losses bench --peer libtorch --json --reps "$reps" --warmup 2 > "$out/peer256_r$r.jsonl"
done
{ date -u; uptime; } >> "$out/load.txt"
python3 bench/scripts/peer_table.py --one "$out"/peer1_r*.jsonl --all "$out"/peerN_r*.jsonl \
  --w256 "$out"/peer256_r*.jsonl --torch "$out"/torch_r*.jsonl
