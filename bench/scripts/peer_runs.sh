#!/usr/bin/env bash
# The alternating runs behind docs/performance.md's libtorch table:
#   bench/scripts/peer_runs.sh OUTDIR [ROUNDS]     (from the repository root; default 1 round)
# Each round, `uptime` before each run: losses4j + libtorch 2.7 on 1 thread (preferred width)
# with glibc's malloc kept from returning memory (KEEP below) and as it comes; PyTorch 1.13 on
# 1 thread both ways; both on all threads and at 256 bits (KEEP).
# KEEP: libtorch's large tensors are mmap'ed and unmapped by glibc on every step, so each step
# page-faults its fresh tensors in again; MALLOC_MMAP_MAX_=0 (no mmap) and a huge trim threshold
# keep them in the heap (what jemalloc or tcmalloc, which PyTorch recommends, do by themselves).
set -euo pipefail
out="$1"
rounds="${2:-1}"
reps="${REPS:-5}"
warm="${WARMUP:-1}"
mkdir -p "$out"
all="$(nproc)"
keep=(env MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000)
lscpu > "$out/lscpu.txt"
load() { { date -u +%T; uptime; } >> "$out/load.txt"; }
for r in $(seq 1 "$rounds"); do
  load; "${keep[@]}" ./losses bench --peer libtorch --json --reps "$reps" --warmup "$warm" > "$out/peer1_r$r.jsonl"
  load; "${keep[@]}" ./losses bench --peer libtorch --json --threads "$all" --reps "$reps" --warmup "$warm" > "$out/peerN_r$r.jsonl"
  load; /usr/bin/python3 bench/torch_baseline.py --threads 1 --reps "$reps" > "$out/torch_r$r.jsonl"
  load; ./losses bench --peer libtorch --json --reps "$reps" --warmup "$warm" > "$out/peer1mmap_r$r.jsonl"
  load; "${keep[@]}" /usr/bin/python3 bench/torch_baseline.py --threads 1 --reps "$reps" > "$out/torchkeep_r$r.jsonl"
  load; LOSSES4J_VECTOR_BITS=256 "${keep[@]}" ./losses bench --peer libtorch --json --reps "$reps" --warmup "$warm" \
    > "$out/peer256_r$r.jsonl"
done
load
python3 bench/scripts/peer_table.py --one "$out"/peer1_r*.jsonl --all "$out"/peerN_r*.jsonl \
  --w256 "$out"/peer256_r*.jsonl --torch "$out"/torch_r*.jsonl
python3 bench/scripts/peer_table.py --one "$out"/peer1mmap_r*.jsonl --torch "$out"/torchkeep_r*.jsonl
