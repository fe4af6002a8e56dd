#include "kernels/softmax_row.h"

#if defined(__AVX512F__) && defined(__FMA__)

#include <immintrin.h>

#include <limits>

namespace attnscope::core::kernels {
namespace {

inline __m512 splat(float v) { return _mm512_set1_ps(v); }

// The 16 lanes reduced in lane order (GCC 12's _mm512_reduce_* warn, its bug 105593).
inline float largestLane(__m512 v) {
    alignas(64) float lane[16];
    _mm512_store_ps(lane, v);
    float m = lane[0];
    for (int i = 1; i < 16; ++i) m = lane[i] > m ? lane[i] : m;
    return m;
}
inline float laneSum(__m512 v) {
    alignas(64) float lane[16];
    _mm512_store_ps(lane, v);
    float s = lane[0];
    for (int i = 1; i < 16; ++i) s += lane[i];
    return s;
}

inline __mmask16 lanes(int count) { return count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << count) - 1u); }

// Eigen 3.4's pexp<Packet16f> (Eigen/src/Core/arch/AVX512/MathFunctions.h): exp(x) = 2^m exp(r),
// m = floor(x / ln 2 + 1/2), exp(r) a degree-6 polynomial; the same constants and operations.
inline __m512 exp16(__m512 in) {
    const __m512 x = _mm512_max_ps(_mm512_min_ps(in, splat(88.3762626647950f)), splat(-88.3762626647949f));
    const __m512 m = _mm512_floor_ps(_mm512_fmadd_ps(x, splat(1.44269504088896341f), splat(0.5f)));
    const __m512 r = _mm512_fmadd_ps(m, splat(-0.6931471805599453f), x);
    const __m512 r2 = _mm512_mul_ps(r, r);
    const __m512 r3 = _mm512_mul_ps(r2, r);
    __m512 y = _mm512_fmadd_ps(splat(1.9875691500E-4f), r, splat(1.3981999507E-3f));
    __m512 y1 = _mm512_fmadd_ps(splat(4.1665795894E-2f), r, splat(1.6666665459E-1f));
    const __m512 y2 = _mm512_add_ps(r, splat(1.0f));
    y = _mm512_fmadd_ps(y, r, splat(8.3334519073E-3f));
    y1 = _mm512_fmadd_ps(y1, r, splat(5.0000001201E-1f));
    y = _mm512_fmadd_ps(y, r3, y1);
    y = _mm512_fmadd_ps(y, r2, y2);
    const __m512i twoToM = _mm512_slli_epi32(_mm512_cvttps_epi32(_mm512_add_ps(m, splat(127.0f))), 23);
    return _mm512_max_ps(in, _mm512_mul_ps(y, _mm512_castsi512_ps(twoToM)));  // Eigen's pmax(a, b) is max_ps(b, a)
}

}  // namespace

bool fusedSoftmaxRow() { return true; }

void softmaxRow(const float* raw, int count, float factor, bool divide, float* scores, float* probs) {
    // The largest scaled score is the largest raw one scaled (rounding keeps order).
    __m512 top = splat(-std::numeric_limits<float>::infinity());
    for (int i = 0; i < count; i += 16) {
        const __mmask16 m = lanes(count - i);
        top = _mm512_mask_max_ps(top, m, top, _mm512_maskz_loadu_ps(m, raw + i));
    }
    const float largest = largestLane(top);
    const __m512 f = splat(factor);
    const __m512 mx = splat(divide ? largest / factor : largest * factor);
    // probs = exp(scaled - mx), summed in two accumulators.
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    for (int i = 0; i < count; i += 16) {
        const __mmask16 m = lanes(count - i);
        const __m512 r = _mm512_maskz_loadu_ps(m, raw + i);
        const __m512 s = divide ? _mm512_div_ps(r, f) : _mm512_mul_ps(r, f);
        if (scores) _mm512_mask_storeu_ps(scores + i, m, s);
        const __m512 e = _mm512_maskz_mov_ps(m, exp16(_mm512_sub_ps(s, mx)));
        _mm512_mask_storeu_ps(probs + i, m, e);
        if (i & 16) sum1 = _mm512_add_ps(sum1, e);
        else sum0 = _mm512_add_ps(sum0, e);
    }
    const __m512 total = splat(laneSum(_mm512_add_ps(sum0, sum1)));
    for (int i = 0; i < count; i += 16) {
        const __mmask16 m = lanes(count - i);
        _mm512_mask_storeu_ps(probs + i, m, _mm512_div_ps(_mm512_maskz_loadu_ps(m, probs + i), total));
    }
}

}  // namespace attnscope::core::kernels

#else

namespace attnscope::core::kernels {
bool fusedSoftmaxRow() { return false; }
void softmaxRow(const float*, int, float, bool, float*, float*) {}
}  // namespace attnscope::core::kernels

#endif
