// GUI speed (QBENCHMARK; run by hand: build/tests/bench_gui [-median 5]). Not a pass/fail test.
//   grid repaint: 144 heads (bert-base shape, 12 x 12) at 64 tokens
//   full repaint: links, heatmap, grid at 32 and 64 tokens, nothing hovered
//   hover update: a new hovered token repainted in links, heatmap and grid
//   keystroke: text change -> result -> views repainted, bert-base shape at 32 tokens (needs ../shared)
//   launch: a new main window on the built-in teaching model to its first painted picture (load,
//     tokenize, forward with the trace, the pronoun's predictions and reading, the views painted)
//   long prompt: 2,048 tokens on Llama-3.2-1B's attention shapes (16 layers x 32 heads of 64, 8 kv
//     heads), the trace rebuilding heads on request: hover a token, or step to the next head
#include "kernels/kernels.h"
#include "model/model_loader.h"
#include "model/synthetic_model.h"
#include "session/analysis_session.h"
#include "tokenize/tokenizer_loader.h"
#include "widgets/heatmap_view.h"
#include "widgets/links_view.h"
#include "widgets/main_window.h"
#include "widgets/model_grid_view.h"
#include "widgets/qkv_view.h"

#include <QJsonObject>

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>

using namespace attnscope;
using namespace attnscope::ui;

namespace {

// links, heatmap, grid or qkv.
std::unique_ptr<FigureView> makeView(const QString& name, ViewState* state) {
    if (name == QLatin1String("links")) return std::make_unique<LinksView>(state);
    if (name == QLatin1String("heatmap")) return std::make_unique<HeatmapView>(state);
    if (name == QLatin1String("grid")) return std::make_unique<ModelGridView>(state);
    return std::make_unique<QkvView>(state);
}

}  // namespace

class BenchGui : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void gridRepaint();
    void hoverUpdate();
    void fullRepaint_data();
    void fullRepaint();
    void hoverOne_data();
    void hoverOne();
    void keystrokeToViews_data();
    void keystrokeToViews();
    void longPrompt_data();
    void longPrompt();
    void launchToFirstPicture();

private:
    std::shared_ptr<core::LoadedModel> m_model;
    AnalysisResultPtr makeResult(int n) const;
    AnalysisResultPtr m_result64, m_result32;
};

AnalysisResultPtr BenchGui::makeResult(int n) const {
    std::vector<int> ids(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) ids[size_t(i)] = 1000 + i * 37;
    core::TraceRecorder rec;
    if (!m_model->model->forward(ids, {}, &rec)) return nullptr;
    auto r = std::make_shared<AnalysisResult>();
    r->trace = rec.take();
    for (int i = 0; i < n; ++i) r->labels << QStringLiteral("tok%1").arg(i);
    r->encoding.ids = ids;
    return r;
}

void BenchGui::initTestCase() {
    core::kernels::keepFreedMemoryMapped();  // as the app does first thing
    QStandardPaths::setTestModeEnabled(true);  // the main window's settings stay out of the user's
    auto synth = core::makeSyntheticModel(QStringLiteral("bert-base"));
    QVERIFY(synth);
    m_model = std::make_shared<core::LoadedModel>();
    m_model->model = *synth;
    auto tok = core::loadTokenizer(QStringLiteral(ATTNSCOPE_SHARED_FIXTURES "/bert-base-uncased"));
    if (tok) m_model->tokenizer = *tok;
    m_result64 = makeResult(64);
    m_result32 = makeResult(32);
    QVERIFY(m_result64 && m_result32);
}

void BenchGui::launchToFirstPicture() {
    QBENCHMARK {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
        w.openBuiltinModel();
        QVERIFY(ready.wait(5000));
        QVERIFY(!w.grab().isNull());
    }
}

void BenchGui::gridRepaint() {
    ViewState state;
    state.setLimits(12, 12, 64);
    ModelGridView grid(&state);
    grid.resize(1100, 900);
    grid.setResult(m_result64);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    QBENCHMARK { grid.repaint(); }
}

void BenchGui::hoverUpdate() {
    ViewState state;
    state.setLimits(12, 12, 64);
    LinksView links(&state);
    HeatmapView heatmap(&state);
    ModelGridView grid(&state);
    for (FigureView* v : {static_cast<FigureView*>(&links), static_cast<FigureView*>(&heatmap), static_cast<FigureView*>(&grid)}) {
        v->resize(800, 700);
        v->setResult(m_result64);
        v->show();
        QVERIFY(QTest::qWaitForWindowExposed(v));
    }
    int token = 0;
    QBENCHMARK {
        state.setHoveredToken(token++ % 64);
        links.repaint();
        heatmap.repaint();
        grid.repaint();
    }
}

void BenchGui::fullRepaint_data() {
    QTest::addColumn<QString>("view");
    QTest::addColumn<int>("tokens");
    for (int n : {32, 64})
        for (const char* v : {"links", "heatmap", "grid"}) QTest::addRow("%s, %d tokens", v, n) << QString::fromLatin1(v) << n;
}

// A whole view repainted with nothing hovered (what a keystroke costs after the forward pass).
void BenchGui::fullRepaint() {
    QFETCH(QString, view);
    QFETCH(int, tokens);
    ViewState state;
    state.setLimits(12, 12, tokens);
    std::unique_ptr<FigureView> v = makeView(view, &state);
    v->resize(1000, 750);
    const AnalysisResultPtr result = tokens == 32 ? m_result32 : m_result64;
    v->setResult(result);
    v->show();
    QVERIFY(QTest::qWaitForWindowExposed(v.get()));
    QBENCHMARK {
        v->setResult(std::make_shared<AnalysisResult>(*result));  // a new result: nothing cached
        v->repaint();
    }
}

void BenchGui::hoverOne_data() {
    QTest::addColumn<QString>("view");
    for (const char* v : {"links", "heatmap", "grid"}) QTest::newRow(v) << v;
}

void BenchGui::hoverOne() {
    QFETCH(QString, view);
    ViewState state;
    state.setLimits(12, 12, 64);
    std::unique_ptr<FigureView> v = makeView(view, &state);
    v->resize(800, 700);
    v->setResult(m_result64);
    v->show();
    QVERIFY(QTest::qWaitForWindowExposed(v.get()));
    int token = 0;
    QBENCHMARK {
        state.setHoveredToken(token++ % 64);
        v->repaint();
    }
}

void BenchGui::keystrokeToViews_data() {
    QTest::addColumn<QString>("view");
    for (const char* v : {"links", "heatmap", "grid"}) QTest::newRow(v) << v;
}

// Keystroke -> the visible view repainted with the new result (the app paints only the current tab).
void BenchGui::keystrokeToViews() {
    QFETCH(QString, view);
    if (!m_model->tokenizer) QSKIP("needs ../shared/fixtures/bert-base-uncased for the tokenizer");
    AnalysisSession session;
    session.setModel(m_model);
    ViewState state;
    std::unique_ptr<FigureView> v = makeView(view, &state);
    v->resize(1000, 750);
    v->show();
    QVERIFY(QTest::qWaitForWindowExposed(v.get()));
    QObject::connect(&session, &AnalysisSession::resultReady, &session, [&](AnalysisResultPtr r) {
        state.setLimits(12, 12, r->trace->tokens());
        v->setResult(r);
        v->repaint();
    });
    // About 32 tokens with [CLS] and [SEP]; each round adds one character after a pause.
    QString text = QStringLiteral("the animal didn't cross the road because it was tired so it lay down by the side of the road and slept all night");
    std::vector<double> ms;
    for (int round = 0; round < 10; ++round) {
        QTest::qWait(AnalysisSession::kDefaultDebounceMs + 50);
        QSignalSpy ready(&session, &AnalysisSession::resultReady);
        QElapsedTimer timer;
        timer.start();
        text += QLatin1Char(round % 2 ? 'a' : 's');
        session.setText(text);
        QVERIFY(ready.wait(5000));
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    qInfo("keystroke -> %s repainted, bert-base shape, %d tokens: median %.1f ms, min %.1f ms (analysis %.1f ms)", qPrintable(view),
          session.result()->trace->tokens(), ms[ms.size() / 2], ms.front(), session.result()->milliseconds);
}

void BenchGui::longPrompt_data() {
    QTest::addColumn<QString>("view");
    QTest::addColumn<bool>("nextHead");  // false: hover another token
    QTest::addColumn<int>("mode");       // HeadMode
    for (const char* v : {"links", "heatmap", "grid", "qkv"})
        for (bool next : {false, true}) QTest::addRow("%s, %s", v, next ? "next head" : "hover") << QString::fromLatin1(v) << next << int(HeadMode::Single);
    QTest::newRow("heatmap, mean of heads, hover") << QStringLiteral("heatmap") << false << int(HeadMode::Average);
    QTest::newRow("links, all heads, hover") << QStringLiteral("links") << false << int(HeadMode::All);
}

void BenchGui::longPrompt() {
    QFETCH(QString, view);
    QFETCH(bool, nextHead);
    QFETCH(int, mode);
    static AnalysisResultPtr result;  // made once (about 10 s): the attention shapes of llama-1b, a small MLP
    if (!result) {
        auto config = core::parseModelConfig(QJsonObject{{"model_type", "llama"}, {"hidden_size", 2048}, {"num_hidden_layers", 16},
                                                         {"num_attention_heads", 32}, {"num_key_value_heads", 8}, {"intermediate_size", 256},
                                                         {"vocab_size", 1000}, {"max_position_embeddings", 4096}});
        QVERIFY(config);
        auto model = core::buildModel(*config, core::Checkpoint::synthetic(1, core::DType::BF16));
        QVERIFY(model);
        const int n = 2048;
        std::vector<int> ids(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) ids[size_t(i)] = (i * 37) % 1000;
        core::TraceRecorder rec;
        QVERIFY((*model)->forward(ids, {}, &rec));
        auto made = std::make_shared<AnalysisResult>();
        made->trace = rec.take();
        QVERIFY(made->trace->rebuilt());
        for (int i = 0; i < n; ++i) made->labels << QStringLiteral("tok%1").arg(i);
        made->encoding.ids = ids;
        made->causal = true;
        result = made;
    }
    ViewState state;
    state.setLimits(16, 32, 2048);
    state.setHeadMode(HeadMode(mode));
    std::unique_ptr<FigureView> v = makeView(view, &state);
    v->resize(1100, 750);
    v->setResult(result);
    v->show();
    QVERIFY(QTest::qWaitForWindowExposed(v.get()));
    int step = 0;
    QBENCHMARK {
        ++step;
        if (nextHead) state.setHead(step % 32);
        else state.setHoveredToken((step * 97) % 2048);
        v->repaint();
    }
}

QTEST_MAIN(BenchGui)
#include "bench_gui.moc"
