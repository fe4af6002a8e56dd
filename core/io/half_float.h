#pragma once

#include <cstdint>
#include <cstring>

namespace attnscope::core {

// IEEE 754 binary16 -> binary32, exact (subnormals, infinities and NaN included).
inline float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {  // subnormal: normalise
        exponent = 113;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// bfloat16 is the upper half of a binary32.
inline float bf16ToFloat(uint16_t b) {
    const uint32_t bits = uint32_t(b) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// binary32 -> bfloat16, rounded to nearest even (NaN stays NaN), as torch's .to(torch.bfloat16).
inline uint16_t floatToBf16(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return uint16_t((bits >> 16) | 0x40u);  // quiet NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return uint16_t(bits >> 16);
}

// binary32 -> binary16, rounded to nearest even; overflow to infinity, underflow to subnormals/zero.
inline uint16_t floatToHalf(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    const uint16_t sign = uint16_t((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return uint16_t(sign | 0x7e00u);              // NaN
    if (magnitude >= 0x477ff000u) return uint16_t(sign | 0x7c00u);             // rounds past 65504: inf
    if (magnitude < 0x38800000u) {                                             // below 2^-14: subnormal
        if (magnitude < 0x33000000u) return sign;                              // below half the smallest
        const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
        const int shift = 126 - int(magnitude >> 23);                          // 14 .. 24
        const uint32_t half = mantissa >> shift, rest = mantissa & ((1u << shift) - 1u), mid = 1u << (shift - 1);
        return uint16_t(sign | (half + (rest > mid || (rest == mid && (half & 1u)))));
    }
    const uint32_t rounded = magnitude + 0xfffu + ((magnitude >> 13) & 1u);   // nearest even at bit 13
    return uint16_t(sign | ((rounded - 0x38000000u) >> 13));
}

}  // namespace attnscope::core
