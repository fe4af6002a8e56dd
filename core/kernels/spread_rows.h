#pragma once

#include <cstdint>

// A row tile of the packed products (packed_gemm.h) reads its rows' inputs side by side, one 64-byte
// line of each row at a time. The L1 data cache picks a line's set from address bits 6-11 (64 sets
// of 12 ways on Zen 5 and recent Intel cores): rows whose stride is a multiple of 4 KiB all fall
// in one set, and a tile's 13 or 14 of them evict one another on every step, so every input comes
// from L2. BERT-base's and ViT-B/16's second FFN layer (3072 inputs, 12 KiB rows) ran at 200-275
// GFLOPS on two cores instead of 340 (95-98 instead of 160-168 on one); the rotary decoders' 1024,
// 2048 and 8192 inputs hit it on every product. The products multiply such inputs from a copy whose
// rows are spread one line apart, a slab of rows at a time.
namespace attnscope::core::kernels {

// Whether a tile's rows ld floats apart crowd into too few L1 sets (more than half in one: a 2 KiB
// stride puts 7 of 14 in a set and ran as fast as a spread copy).
bool inputRowsCollide(int64_t ld);

// The stride of the spread copy of k inputs: whole lines, then a line more until the rows spread.
int64_t spreadStride(int k);

// Values one copy holds at most (8 MiB): longer inputs go a slab of rows at a time, every row's sums
// the same whichever slab it is in.
inline constexpr int64_t kSpreadValues = int64_t(1) << 21;

// Rows of `rows` one slab of the copy holds at stride ld (at least one).
int spreadSlab(int64_t ld, int rows);

// to (rows, ld) = x (rows, k) with rows ldx apart; split among the cores when `parallel`. Counted by
// inputsSpread().
void spreadRows(const float* x, int64_t ldx, int rows, int k, float* to, int64_t ld, bool parallel);

// Copies spreadRows has made since the program started (tests check which products copy).
uint64_t inputsSpread();

}  // namespace attnscope::core::kernels
