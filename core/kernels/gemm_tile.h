#pragma once

#include <cstdint>

// The store loop of a tile is unrolled one copy per row, each with every activation inlined: free
// for the optimiser, but AddressSanitizer checks masked stores lane by lane and took over a minute
// on the AVX-512 file (CI's budget). Under it the loop stays rolled; the arithmetic is the same.
#if defined(__SANITIZE_ADDRESS__)
#define ATTNSCOPE_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTNSCOPE_UNDER_ASAN 1
#endif
#endif
#ifdef ATTNSCOPE_UNDER_ASAN
#define ATTNSCOPE_UNROLL_STORES _Pragma("GCC unroll 1")
#else
#define ATTNSCOPE_UNROLL_STORES _Pragma("GCC unroll 14")
#endif

// The register-blocked micro-kernels under the packed products (packed_gemm.h), one set per
// instruction set, each in its own translation unit compiled for that set and chosen at run time.
// These translation units include nothing but the intrinsics (an inline function of a shared header
// compiled there with AVX-512 could be the copy the linker keeps for the whole program).
namespace attnscope::core::kernels {

// Output columns per packed panel: two AVX-512 registers, four AVX2 ones.
inline constexpr int kPanelWidth = 32;

// An activation a tile applies to its values as it stores them (the last block of the inputs).
enum class TileActivation { None, GeluErf, GeluTanh, Relu };

// Eigen's float erf and tanh (Eigen/src/Core/MathFunctionsImpl.h, unsupported/.../SpecialFunctionsImpl.h):
// odd / even rational polynomials in x^2, the same coefficients, so a fused GELU gives what
// kernels::activate gives. Highest power first.
inline constexpr float kErfClamp = 4.0f;
inline constexpr float kErfNumerator[] = {-2.72614225801306e-10f, 2.77068142495902e-08f, -2.10102402082508e-06f, -5.69250639462346e-05f,
                                          -7.34990630326855e-04f, -2.95459980854025e-03f, -1.60960333262415e-02f};
inline constexpr float kErfDenominator[] = {-1.45660718464996e-05f, -2.13374055278905e-04f, -1.68282697438203e-03f, -7.37332916720468e-03f,
                                            -1.42647390514189e-02f};
inline constexpr float kTanhClamp = 7.99881172180175781f;  // Eigen's, with FMA
inline constexpr float kTanhTiny = 0.0004f;                // below it, tanh x = x
inline constexpr float kTanhNumerator[] = {-2.76076847742355e-16f, 2.00018790482477e-13f, -8.60467152213735e-11f, 5.12229709037114e-08f,
                                           1.48572235717979e-05f, 6.37261928875436e-04f, 4.89352455891786e-03f};
inline constexpr float kTanhDenominator[] = {1.19825839466702e-06f, 1.18534705686654e-04f, 2.26843463243900e-03f, 4.89352518554385e-03f};

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
    TileActivation activation = TileActivation::None;  // applied to what is stored
    float* residual = nullptr;  // (m, ldc) or null: += the values stored in c (the last block)
};

using TileFn = void (*)(const TileArgs&);

// Up to this many input rows a product takes the tallest tiles (fewer passes over each panel while
// the rows stay in L2); beyond it, tiles of longRows (packed_gemm.cpp measures why).
inline constexpr int kLongInput = 256;

struct TileKernels {
    const char* name;  // "avx512", "avx2"
    int maxRows;       // rows of the tallest tile held in registers
    int longRows;      // the tile height for inputs of more than kLongInput rows
    TileFn f32, bf16, f16;
};

// Null where the build's compiler cannot target the set; whether the CPU runs it is checked apart.
const TileKernels* avx512TileKernels();
const TileKernels* avx2TileKernels();

}  // namespace attnscope::core::kernels
