#!/bin/bash
# AttnScope (trace on) against ONNX Runtime returning attentions on a rotary decoder, interleaved,
# 2 threads, both in float32: the companion of ../shared/bench/ort (which covers BERT, GPT-2, ViT).
#   KIT=<scratch copy of ../shared/bench/ort, npm installed> ATTNSCOPE_CLI=build/app/attnscope-cli \
#     tests/bench/decoder_vs_ort.sh [ARCH] [ROUNDS] [SEQ...]
# ARCH: qwen3-0.6b (default) or llama-1b. Exports $KIT/models/ARCH_b.onnx first when missing
# (tests/bench/export_decoder_onnx.py, Debian's python3-torch). Prints one markdown row per length:
# the medians over ROUNDS (default 3) of each engine's per-run median.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KIT=${KIT:?the ORT kit directory}
CLI=${ATTNSCOPE_CLI:?path of attnscope-cli}
arch=${1:-qwen3-0.6b}
rounds=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
seqs=("$@")
[ ${#seqs[@]} -gt 0 ] || seqs=(16 128 512)
onnx="$KIT/models/${arch}_b.onnx"
[ -f "$onnx" ] || /usr/bin/python3 "$here/export_decoder_onnx.py" --arch "$arch" --out "$KIT/models" --variants b
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}'; }
echo "| model | tokens | AttnScope trace on (ms) | ORT 1.30 + attentions (ms) | AttnScope faster by | AttnScope GFLOPS | of the sgemm peak |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for seq in "${seqs[@]}"; do
  reps=$(( seq <= 32 ? 21 : seq <= 128 ? 11 : 5 ))
  as=() ort=() gf=() frac=()
  for ((r = 0; r < rounds; r++)); do
    line=$("$CLI" bench --synthetic "$arch" --dtype f32 --seq "$seq" --threads 2 --reps "$reps" 2>/dev/null)
    as+=("$(sed 's/.*"ms_median": \([0-9.]*\).*/\1/' <<<"$line")")
    gf+=("$(sed 's/.*"gflops": \([0-9.]*\).*/\1/' <<<"$line")")
    frac+=("$(sed 's/.*"fraction_of_peak": \([0-9.]*\).*/\1/' <<<"$line")")
    ort+=("$(cd "$KIT" && node ort_bench.js --onnx "$onnx" --kind gpt2 --seq "$seq" --reps "$reps" --warmup 2 | sed 's/.*"ms_median":\([0-9.]*\).*/\1/')")
  done
  a=$(printf '%s\n' "${as[@]}" | median) o=$(printf '%s\n' "${ort[@]}" | median)
  g=$(printf '%s\n' "${gf[@]}" | median) f=$(printf '%s\n' "${frac[@]}" | median)
  printf '| %s | %d | %.1f | %.1f | %.2fx | %.0f | %.2f |\n' "$arch" "$seq" "$a" "$o" "$(echo "$o / $a" | bc -l)" "$g" "$f"
done
