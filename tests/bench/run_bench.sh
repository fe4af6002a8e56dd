#!/usr/bin/env bash
# Benchmarks AttnScope's forward pass (attnscope-cli bench) and, when Debian's python3-torch is
# installed, the same-shaped PyTorch forward, side by side; then the peak RSS of loading a
# bert-base-sized F32 checkpoint (needs python3-numpy to write it).
# Usage: tests/bench/run_bench.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-$here/../../build}"
cli="$build/app/attnscope-cli"
threads=2
have_torch=0
/usr/bin/python3 -c "import torch" 2>/dev/null && have_torch=1

printf '%-10s %5s  %14s  %14s  %8s\n' model tokens "attnscope ms" "pytorch ms" speed-up
for run in bert-base:16 bert-base:128 bert-base:512 gpt2:16 gpt2:128 gpt2:512 vit-base:197; do
  arch=${run%:*} seq=${run#*:}
  ours=$("$cli" bench --synthetic "$arch" --seq "$seq" --threads "$threads" --reps 10 2>/dev/null)
  ms=$(echo "$ours" | sed -E 's/.*"ms_median": ([0-9.]+).*/\1/')
  if [ "$have_torch" = 1 ]; then
    theirs=$(/usr/bin/python3 "$here/torch_forward.py" "${arch%-base}" "$seq" "$threads" 5)
    tms=$(echo "$theirs" | sed -E 's/.*"ms_median": ([0-9.]+).*/\1/')
    printf '%-10s %5d  %14.1f  %14.1f  %7.1fx\n' "$arch" "$seq" "$ms" "$tms" "$(echo "$tms / $ms" | bc -l)"
  else
    printf '%-10s %5d  %14.1f  %14s\n' "$arch" "$seq" "$ms" "(no torch)"
  fi
done

if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
  ckpt="$(mktemp -d)"
  trap 'rm -rf "$ckpt"' EXIT
  /usr/bin/python3 "$here/make_bert_base_checkpoint.py" "$ckpt"
  size=$(stat -c %s "$ckpt/model.safetensors")
  line=$("$cli" bench --model "$ckpt" --seq 128 --threads "$threads" --reps 3 2>&1 >/dev/null)
  rss=$(echo "$line" | sed -E 's/.*peak RSS ([0-9]+) MiB.*/\1/')
  printf '\nbert-base F32 checkpoint %.0f MiB, peak RSS %d MiB (%.2fx), with a 128-token trace\n' \
    "$(echo "$size / 1048576" | bc -l)" "$rss" "$(echo "$rss * 1048576 / $size" | bc -l)"
fi
