#pragma once

#include <cstdint>

// The register-blocked micro-kernels under the packed products (packed_gemm.h), one set per
// instruction set, each in its own translation unit compiled for that set and chosen at run time.
// These translation units include nothing but the intrinsics (an inline function of a shared header
// compiled there with AVX-512 could be the copy the linker keeps for the whole program).
namespace attnscope::core::kernels {

// Output columns per packed panel: two AVX-512 registers, four AVX2 ones.
inline constexpr int kPanelWidth = 32;

// One tile of a product: c (m, width) = a (m, k) . b (k, width) + bias.
struct TileArgs {
    const void* b = nullptr;      // (k, kPanelWidth) one panel from its first inner index: float32, bfloat16 or IEEE half
    const float* a = nullptr;     // (m, lda) rows of the input from the same inner index
    const float* bias = nullptr;  // (kPanelWidth) or null
    float* c = nullptr;           // (m, ldc)
    int64_t lda = 0;
    int64_t ldc = 0;
    int k = 0;
    int m = 0;      // 1 .. TileKernels::maxRows
    int width = 0;  // 1 .. kPanelWidth columns stored
    bool stream = false;      // the panel comes from memory (its first tile): fetch it ahead of the loop
    // This tile's share of the block the part multiplies next, fetched into L2 as the loop goes (one
    // or two 64-byte lines a step), so the memory streams while the registers multiply.
    const char* next = nullptr;
    int nextLines = 0;
    bool accumulate = false;  // c += the product (a later block of the inputs), else c = product + bias
};

using TileFn = void (*)(const TileArgs&);

struct TileKernels {
    const char* name;  // "avx512", "avx2"
    int maxRows;       // rows of a tile held in registers
    TileFn f32, bf16, f16;
};

// Null where the build's compiler cannot target the set; whether the CPU runs it is checked apart.
const TileKernels* avx512TileKernels();
const TileKernels* avx2TileKernels();

}  // namespace attnscope::core::kernels
