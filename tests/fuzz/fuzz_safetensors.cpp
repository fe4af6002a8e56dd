// A safetensors file (header and data) through the same path as a model folder's: open, parse,
// check the layout, and read every floating-point tensor (widening F16/BF16/F64 under the budget).
#include "fuzz_common.h"
#include "io/checkpoint.h"

#include <QTemporaryDir>

#include <cstdio>
#include <sys/mman.h>
#include <unistd.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope::core;
    const int fd = attnscope::fuzz::memoryFile(data, size, "fuzz.safetensors");
    if (fd < 0) return 0;
    auto ckpt = Checkpoint::openFile(attnscope::fuzz::fdPath(fd));
    if (ckpt) {
        for (const QString& name : (*ckpt)->names()) {
            const TensorInfo* t = (*ckpt)->info(name);
            if (!t) __builtin_trap();  // every listed name must be found
            auto w = (*ckpt)->get(name, t->shape);
            if (w && shapeElements(t->shape) > 0 && !w->data) __builtin_trap();
            // As stored (16-bit in place): the same success, and every element readable.
            auto stored = (*ckpt)->getStored(name, t->shape);
            if (bool(stored) != bool(w)) __builtin_trap();
            if (stored && shapeElements(t->shape) > 0) {
                const int64_t n = shapeElements(t->shape);
                volatile uint32_t sum = 0;
                const auto* bytes = static_cast<const unsigned char*>(stored->data);
                const int64_t size = n * (stored->dtype == DType::F32 ? 4 : 2);
                for (int64_t i = 0; i < size; i += 97) sum += bytes[i];
                sum += bytes[size - 1];
            }
        }
        (void)(*ckpt)->storageDType();
    }
    close(fd);
    return 0;
}
