// The image teaching model: the generated shapes, the trainer against the inference path, a short
// run that learns, and the shipped model's acceptance (accuracy and where [CLS] looks).
#include "model/builtin_models.h"
#include "model/image_preprocessor.h"
#include "model/text_analysis.h"
#include "train/vision_teaching_trainer.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace attnscope::core;
using namespace attnscope::core::train;

class TestVisionTeaching : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void datasetIsDeterministic();
    void everyImageHasOneColouredObject();
    void trainerMatchesInferencePath();
    void shortRunLearns();
    void builtinModelMeetsAcceptance();
};

void TestVisionTeaching::datasetIsDeterministic() {
    const ShapesDataset a(64, 5), b(64, 5), c(64, 6);
    QCOMPARE(a.heldOut(3)[2].rgb.data, b.heldOut(3)[2].rgb.data);
    QVERIFY(a.heldOut(1)[0].rgb.data != c.heldOut(1)[0].rgb.data);
    std::mt19937 rng(5);
    QVERIFY(a.sample(rng).rgb.data != a.heldOut(1)[0].rgb.data);  // training and held-out streams differ
}

void TestVisionTeaching::everyImageHasOneColouredObject() {
    const ShapesDataset d(64, 3);
    for (const ShapesImage& img : d.heldOut(50)) {
        QVERIFY(img.label >= 0 && img.label < ShapesDataset::colourNames().size());
        const int covered = int(std::count(img.object.begin(), img.object.end(), uint8_t(1)));
        QVERIFY2(covered >= 40, qPrintable(img.name()));  // at least a 6 x 6 pixel object
        // Outside the object, every pixel is grey (the distractors and the background).
        int colourful = 0;
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x) {
                const float r = img.rgb.at(0, y, x), g = img.rgb.at(1, y, x), b = img.rgb.at(2, y, x);
                const float chroma = std::max({r, g, b}) - std::min({r, g, b});
                if (!img.object[size_t(y * 64 + x)] && chroma > 12) ++colourful;
            }
        QVERIFY2(colourful <= 120, qPrintable(QStringLiteral("%1: %2 coloured pixels outside the object (antialiased edges only)")
                                                  .arg(img.name()).arg(colourful)));
    }
}

// What the trainer computes is what VitModel computes on the exported checkpoint.
void TestVisionTeaching::trainerMatchesInferencePath() {
    VisionTeachingOptions o;
    o.steps = 5;
    o.threads = 1;
    VisionTeachingTrainer trainer(o);
    trainer.train();
    auto loaded = trainer.snapshot();
    QVERIFY2(loaded, qPrintable(loaded.message()));
    for (const ShapesImage& img : trainer.dataset().heldOut(4)) {
        const std::vector<float> expected = trainer.model().logits(trainer.input(img.rgb));
        auto a = analyzeImage(*loaded, preprocessImage(img.rgb, visionTeachingPreprocessor(64)), {});
        QVERIFY(a);
        const std::vector<float> got = loaded->model->classLogits(a->output);
        QCOMPARE(got.size(), expected.size());
        for (size_t i = 0; i < got.size(); ++i) QVERIFY2(std::abs(got[i] - expected[i]) <= 1e-4f, qPrintable(QString::number(i)));
    }
}

void TestVisionTeaching::shortRunLearns() {
    VisionTeachingOptions o;
    o.steps = 250;
    VisionTeachingTrainer trainer(o);
    trainer.train();
    auto loaded = trainer.snapshot();
    QVERIFY(loaded);
    auto ev = evaluateVisionTeachingModel(*loaded, visionTeachingPreprocessor(64), trainer.dataset().heldOut(200));
    QVERIFY2(ev, qPrintable(ev.message()));
    QVERIFY2(ev->accuracy >= 0.9, qPrintable(QString::number(ev->accuracy)));
}

// The acceptance of the issue, on the model AttnScope ships: >= 95% held-out accuracy, and [CLS]
// attention (best head or rollout) peaking on the object in >= 90% of held-out images.
void TestVisionTeaching::builtinModelMeetsAcceptance() {
    auto loaded = loadModelFolder(builtinImageModelPath());
    QVERIFY2(loaded, qPrintable(loaded.message()));
    auto pre = loadPreprocessorConfig(loaded->folder, loaded->config());
    QVERIFY(pre);
    QVERIFY(loaded->config().clsHead.has_value());
    const ShapesDataset dataset(64, 11);  // the seed it was trained with; held-out images never appear in training
    auto ev = evaluateVisionTeachingModel(*loaded, *pre, dataset.heldOut(500));
    QVERIFY2(ev, qPrintable(ev.message()));
    qInfo("accuracy %.3f, best head L%d H%d hits %.3f, rollout hits %.3f", ev->accuracy, ev->bestLayer, ev->bestHead, ev->bestHeadHitRate,
          ev->rolloutHitRate);
    QVERIFY(ev->accuracy >= 0.95);
    QVERIFY(std::max(ev->bestHeadHitRate, ev->rolloutHitRate) >= 0.9);
    QCOMPARE(*loaded->config().clsHead, std::make_pair(ev->bestLayer, ev->bestHead));
    QCOMPARE(builtinImageExamples().size(), 6);
}

QTEST_APPLESS_MAIN(TestVisionTeaching)
#include "tst_vision_teaching.moc"
