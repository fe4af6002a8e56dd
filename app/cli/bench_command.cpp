#include "cli_common.h"
#include "model/text_analysis.h"
#include "commands.h"

#include "kernels/kernels.h"
#include "kernels/packed_gemm.h"
#include "model/synthetic_model.h"
#include "trace/attention_trace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

namespace attnscope::cli {
namespace {

// Multiply-adds x 2 of one forward pass: projections, feed-forward and the two attention products.
double forwardFlops(const core::ModelConfig& c, int n) {
    const double H = c.hidden, I = c.intermediate;
    if (c.isDecoder()) {  // q, k, v, o at their widths; gate, up, down; the two products per query head
        const double qw = double(c.heads) * c.headDim(), kvw = double(c.kvHeads()) * c.headDim();
        return c.layers * (2.0 * n * (2.0 * H * qw + 2.0 * H * kvw + 3.0 * H * I) + 2.0 * 2.0 * double(n) * n * qw);
    }
    const double perLayer = 2.0 * n * (4.0 * H * H + 2.0 * H * I) + 2.0 * 2.0 * double(n) * n * H;
    return perLayer * c.layers;
}

// The best of three timed s^3 products (after one that warms up), in GFLOPS.
double peakGflops(int s, const std::function<void(const float* a, const float* b, float* c)>& product) {
    const size_t square = size_t(s) * size_t(s);
    std::vector<float> operands(3 * square, 0.25f);  // a (s, s) of 0.5, b (s, s), c (s, s)
    std::fill_n(operands.begin(), square, 0.5f);
    double best = 1e30;
    for (int r = 0; r < 4; ++r) {
        QElapsedTimer timer;
        timer.start();
        product(operands.data(), operands.data() + square, operands.data() + 2 * square);
        if (r > 0) best = std::min(best, double(timer.nsecsElapsed()));
    }
    return 2.0 * s * s * double(s) / best;
}

// This machine's float32 matrix-product speed through the same BLAS on s^3 (s = 2048 unless
// --peak-size says otherwise): what "a fraction of the peak" is measured against, in the same run.
double sgemmPeakGflops(int s) {
    return peakGflops(s, [s](const float* a, const float* b, float* c) { core::kernels::gemmAB(s, s, s, a, s, b, s, c, s); });
}

// The same product on our own packed micro-kernels (the weights b packed first, as at load); 0 on
// the BLAS path.
double packedPeakGflops(int s) {
    if (!core::kernels::packingEnabled()) return 0;
    std::vector<float> w(size_t(s) * size_t(s), 0.25f);  // (s, s)
    core::kernels::Linear layer;
    layer.w = w.data();
    layer.in = layer.out = layer.ldw = s;
    layer.packed = core::kernels::PackedLinear::pack({&layer});
    return peakGflops(s, [&](const float* x, const float*, float* y) { core::kernels::linear(layer, x, s, y); });
}

// Peak resident set size of this process (VmHWM), in MiB.
double peakRssMiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:")) return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

}  // namespace

int runBench(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("synthetic"), QStringLiteral("Random weights with a real architecture's shapes: bert-base, gpt2, vit-base, llama-1b or qwen3-0.6b."),
                      QStringLiteral("ARCH")});
    parser.addOption({QStringLiteral("dtype"), QStringLiteral("With --synthetic: how the weights are stored, f32, bf16 or f16 (default: as the architecture's checkpoint, bf16 for llama-1b and qwen3-0.6b)."),
                      QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("seq"), QStringLiteral("Tokens per input (default 128)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("BLAS threads (default: all cores)."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("reps"), QStringLiteral("Timed repetitions after one warm-up (default 10)."), QStringLiteral("R")});
    parser.addOption({QStringLiteral("no-trace"), QStringLiteral("Do not record the attention trace.")});
    parser.addOption({QStringLiteral("kernels"), QStringLiteral("Matrix kernels: avx512, avx2 (weights packed at load) or blas (OpenBLAS on the stored weights). Default: ATTNSCOPE_KERNELS, else the widest this CPU runs."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("peak-size"), QStringLiteral("Side of the square product the two peaks are measured on (default 2048; 64 to 4096)."),
                      QStringLiteral("N")});
    if (int status = parseCommand(parser, args, QStringLiteral("Times the forward pass and prints one JSON line: "
                                                               "{\"model\", \"seq\", \"threads\", \"kernels\", \"ms_median\", \"ms_min\", \"gflops\", "
                                                               "\"sgemm_peak_gflops\" (OpenBLAS, 2048^3, measured in the same run), \"fraction_of_peak\", "
                                                               "\"kernel_peak_gflops\" (the same product on AttnScope's packed kernels), \"peak_size\"}."));
        status >= 0)
        return status;
    QString error;
    int seq = intOption(parser, QStringLiteral("seq"), 128, 1, 1 << 16, &error);
    const int threads = intOption(parser, QStringLiteral("threads"), QThread::idealThreadCount(), 1, 256, &error);
    const int reps = intOption(parser, QStringLiteral("reps"), 10, 1, 100000, &error);
    const int peakSize = intOption(parser, QStringLiteral("peak-size"), 2048, 64, 4096, &error);
    if (!error.isEmpty()) return usageError(error);
    const bool haveModel = parser.isSet(QStringLiteral("model")), haveSynth = parser.isSet(QStringLiteral("synthetic"));
    if (haveModel == haveSynth) return usageError(QStringLiteral("give exactly one of --model DIR or --synthetic ARCH"));
    if (parser.isSet(QStringLiteral("kernels"))) {
        const QString wanted = parser.value(QStringLiteral("kernels"));
        bool known = false;
        for (auto path : {core::kernels::GemmPath::Blas, core::kernels::GemmPath::Avx2, core::kernels::GemmPath::Avx512}) {
            if (wanted != QLatin1String(core::kernels::gemmPathName(path))) continue;
            known = true;
            if (!core::kernels::setGemmPath(path)) return usageError(QStringLiteral("this CPU does not run the %1 kernels").arg(wanted));
        }
        if (!known) return usageError(QStringLiteral("--kernels takes avx512, avx2 or blas, not '%1'").arg(wanted));
    }
    if (haveModel && parser.isSet(QStringLiteral("dtype")))
        return usageError(QStringLiteral("--dtype goes with --synthetic (a model folder's weights are used as stored)"));

    std::shared_ptr<const core::Model> model;
    QString name;
    if (haveModel) {
        auto loaded = loadModelOption(parser);
        if (!loaded) return fail(loaded.error());
        model = loaded->model;
        name = loaded->config().name;
    } else {
        const QString arch = parser.value(QStringLiteral("synthetic"));
        core::DType storage = core::syntheticDefaultDType(arch);
        if (parser.isSet(QStringLiteral("dtype")) && !storageOption(parser.value(QStringLiteral("dtype")), &storage, &error))
            return usageError(error);
        auto synth = core::makeSyntheticModel(arch, 1, storage);
        if (!synth) return fail(synth.error());
        model = std::move(synth).value();
        name = QStringLiteral("synthetic-%1-%2").arg(arch, core::dtypeName(storage).toLower());
    }
    const core::ModelConfig& c = model->config();
    if (c.isVision() && parser.isSet(QStringLiteral("seq")) && seq != c.maxTokens())
        return usageError(QStringLiteral("a ViT's length is fixed by its image: %1 tokens").arg(c.maxTokens()));
    if (c.isVision()) seq = c.maxTokens();
    if (seq > c.maxTokens())
        return usageError(QStringLiteral("--seq %1 exceeds the model's limit of %2 tokens").arg(seq).arg(c.maxTokens()));
    const bool trace = !parser.isSet(QStringLiteral("no-trace"));
    if (core::Status s = core::checkForwardMemory(c, seq, trace); !s) return fail(s.error());
    core::kernels::setThreads(threads);

    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pick(0, c.vocabSize - 1);
    std::vector<int> ids(static_cast<size_t>(seq));
    for (int& id : ids) id = pick(rng);
    core::ImageTensor pixels{3, c.imageSize, c.imageSize, {}};
    if (c.isVision()) {
        std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
        pixels.data.resize(size_t(3) * size_t(c.imageSize) * size_t(c.imageSize));
        for (float& v : pixels.data) v = unit(rng);
    }

    std::vector<double> ms;
    for (int r = 0; r <= reps; ++r) {
        core::TraceRecorder recorder;
        QElapsedTimer timer;
        timer.start();
        auto out = c.isVision() ? model->forwardImage(pixels, trace ? &recorder : nullptr)
                                : model->forward(ids, {}, trace ? &recorder : nullptr);
        if (!out) return fail(out.error());
        std::shared_ptr<const core::AttentionTrace> kept = recorder.take();
        const double elapsed = double(timer.nsecsElapsed()) / 1e6;
        if (r > 0) ms.push_back(elapsed);  // the first run warms caches and page-ins
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms.size() % 2 ? ms[ms.size() / 2] : 0.5 * (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]);
    const double gflops = forwardFlops(c, seq) / (median * 1e6);
    const double peak = sgemmPeakGflops(peakSize), kernelPeak = packedPeakGflops(peakSize);
    std::printf("{\"model\": \"%s\", \"seq\": %d, \"threads\": %d, \"kernels\": \"%s\", \"ms_median\": %.3f, \"ms_min\": %.3f, \"gflops\": %.3f, "
                "\"sgemm_peak_gflops\": %.1f, \"fraction_of_peak\": %.3f, \"kernel_peak_gflops\": %.1f, \"peak_size\": %d}\n",
                name.toUtf8().constData(), seq, threads, core::kernels::gemmPathName(core::kernels::gemmPath()), median, ms.front(), gflops,
                peak, gflops / peak, kernelPeak, peakSize);
    std::fprintf(stderr, "attnscope-cli bench: %s, %d tokens, %d threads, trace %s, peak RSS %.0f MiB\n",
                 name.toUtf8().constData(), seq, threads, trace ? "on" : "off", peakRssMiB());
    return kExitOk;
}

}  // namespace attnscope::cli
