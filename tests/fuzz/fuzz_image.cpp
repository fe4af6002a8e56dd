// Image files through the decoder the app and the CLI use (every Qt image plug-in installed), then
// the ViT preprocessing (resize like PIL to 32 x 32, normalise).
#include "fuzz_common.h"
#include "model/image_preprocessor.h"
#include "session/image_input.h"

#include <QGuiApplication>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    attnscope::fuzz::setUp();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int qtArgc = 1;
    static QGuiApplication app(qtArgc, *argv);  // image plug-ins need an application object
    (void)argc;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope;
    auto decoded = ui::decodeImageBytes(fuzz::bytes(data, size), QStringLiteral("fuzz"));
    if (!decoded) return 0;
    if (decoded->rgb.data.size() != size_t(3) * size_t(decoded->rgb.width) * size_t(decoded->rgb.height)) __builtin_trap();
    core::PreprocessorConfig c;
    c.width = c.height = 32;
    for (int resample : {0, 2, 5}) {
        c.resample = resample;
        const core::ImageTensor out = core::preprocessImage(decoded->rgb, c);
        if (out.width != 32 || out.height != 32) __builtin_trap();
    }
    return 0;
}
