// The trainers' hand-written backward passes against central finite differences, for every
// parameter tensor of a tiny BERT and a tiny ViT (relative error <= 1e-3 on each tensor's largest
// gradients). The check runs the same code in double precision; training runs it in float.
#include "train/trainable_bert.h"
#include "train/trainable_vit.h"

#include <QTest>

#include <algorithm>
#include <functional>
#include <numeric>
#include <map>
#include <random>

using namespace attnscope::core::train;

namespace {

// One model under test: its parameters and its loss (with gradient) as functions of their values.
struct GradientCase {
    const ParamSet* params = nullptr;
    std::function<double(const std::vector<double>&, std::vector<double>*)> lossDouble;
    std::function<double(std::vector<float>*)> lossFloat;  // at the same values, in float
    std::vector<double> values;
    std::vector<double> grad;
};

std::vector<double> randomValues(size_t size) {
    // Weights larger than the 0.02 init, so every gradient is well above float noise.
    std::mt19937 rng(7);
    std::normal_distribution<double> normal(0.0, 0.3);
    std::vector<double> values(size);
    for (double& v : values) v = normal(rng);
    return values;
}

const TrainableBertConfig kBert{13, 8, 2, 2, 12, 10};
const TrainableVitConfig kVit{8, 4, 8, 2, 2, 12, 3};

}  // namespace

class TestTrainerGradients : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void floatMatchesDouble_data();
    void floatMatchesDouble();
    void matchesFiniteDifferences_data();
    void matchesFiniteDifferences();

private:
    void prepare(GradientCase& c, ParamSet& params);

    std::unique_ptr<TrainableBert> m_bert;
    std::unique_ptr<TrainableVit> m_vit;
    Example m_example;
    std::vector<double> m_patches;
    std::map<QString, GradientCase> m_cases;
};

void TestTrainerGradients::prepare(GradientCase& c, ParamSet& params) {
    c.params = &params;
    c.values = randomValues(params.size());
    c.grad.assign(c.values.size(), 0.0);
    c.lossDouble(c.values, &c.grad);
    for (size_t i = 0; i < c.values.size(); ++i) params.values()[i] = float(c.values[i]);
}

void TestTrainerGradients::initTestCase() {
    m_bert = std::make_unique<TrainableBert>(kBert);
    m_example.ids = {2, 5, 7, 4, 9, 11, 3};
    m_example.targets = {{3, 6}, {5, 12}};  // a masked word and a pronoun's referent
    // ... and a head asked to look from the pronoun at its referent (the coreference head's loss).
    m_example.attendLayer = 1;
    m_example.attendHead = 1;
    m_example.attendQuery = 5;
    m_example.attendKey = 2;
    m_example.attendWeight = 0.7f;
    GradientCase& bert = m_cases[QStringLiteral("bert")];
    bert.lossDouble = [this](const std::vector<double>& v, std::vector<double>* g) { return m_bert->lossAndGradientDouble(v, m_example, g); };
    bert.lossFloat = [this](std::vector<float>* g) { return m_bert->lossAndGradient(m_example, 1.0f, g); };
    prepare(bert, m_bert->params());

    m_vit = std::make_unique<TrainableVit>(kVit);
    std::mt19937 rng(3);
    std::normal_distribution<double> normal(0.0, 1.0);
    m_patches.resize(size_t(kVit.tokens() - 1) * size_t(kVit.patchValues()));
    for (double& v : m_patches) v = normal(rng);
    GradientCase& vit = m_cases[QStringLiteral("vit")];
    vit.lossDouble = [this](const std::vector<double>& v, std::vector<double>* g) { return m_vit->lossAndGradientDouble(v, m_patches, 2, g); };
    vit.lossFloat = [this](std::vector<float>* g) {
        return m_vit->lossAndGradient(std::vector<float>(m_patches.begin(), m_patches.end()), 2, 1.0f, g);
    };
    prepare(vit, m_vit->params());
}

void TestTrainerGradients::floatMatchesDouble_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("bert") << QStringLiteral("bert");
    QTest::newRow("vit") << QStringLiteral("vit");
}

void TestTrainerGradients::floatMatchesDouble() {
    QFETCH(QString, model);
    const GradientCase& c = m_cases.at(model);
    std::vector<float> grad(c.values.size(), 0.0f);
    const double loss = c.lossFloat(&grad);
    QVERIFY(std::abs(loss - c.lossDouble(c.values, nullptr)) <= 1e-4 * std::max(1.0, std::abs(loss)));
    for (size_t i = 0; i < grad.size(); ++i)
        QVERIFY2(std::abs(grad[i] - c.grad[i]) <= 1e-4 + 1e-3 * std::abs(c.grad[i]), qPrintable(QString::number(i)));
}

void TestTrainerGradients::matchesFiniteDifferences_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("index");
    const TrainableBert bert(kBert);
    for (size_t i = 0; i < bert.params().entries().size(); ++i)
        QTest::newRow(qPrintable(QStringLiteral("bert/") + bert.params().entries()[i].name)) << QStringLiteral("bert") << int(i);
    const TrainableVit vit(kVit);
    for (size_t i = 0; i < vit.params().entries().size(); ++i)
        QTest::newRow(qPrintable(QStringLiteral("vit/") + vit.params().entries()[i].name)) << QStringLiteral("vit") << int(i);
}

void TestTrainerGradients::matchesFiniteDifferences() {
    QFETCH(QString, model);
    QFETCH(int, index);
    GradientCase& c = m_cases.at(model);
    const ParamSet::Entry& e = c.params->entry(index);
    std::vector<size_t> order(e.size);
    std::iota(order.begin(), order.end(), e.offset);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::abs(c.grad[a]) > std::abs(c.grad[b]); });
    if (e.name.contains(QLatin1String("attention.self.key.bias")) || e.name.contains(QLatin1String("attention.attention.key.bias"))) {
        // Adding q.b to every score of a row changes no softmax: the key bias gets no gradient.
        QVERIFY(std::abs(c.grad[order[0]]) < 1e-6);
        return;
    }
    QVERIFY2(std::abs(c.grad[order[0]]) > 1e-6, "the tensor gets no gradient");
    for (size_t k = 0; k < std::min<size_t>(3, order.size()); ++k) {
        const size_t at = order[k];
        const double keep = c.values[at], h = 1e-5;
        c.values[at] = keep + h;
        const double up = c.lossDouble(c.values, nullptr);
        c.values[at] = keep - h;
        const double down = c.lossDouble(c.values, nullptr);
        c.values[at] = keep;
        const double numeric = (up - down) / (2 * h);
        const double analytic = c.grad[at];
        const double rel = std::abs(numeric - analytic) / std::max(std::abs(numeric), std::abs(analytic));
        QVERIFY2(rel <= 1e-3, qPrintable(QStringLiteral("element %1: analytic %2, numeric %3, relative error %4")
                                             .arg(at - e.offset).arg(analytic).arg(numeric).arg(rel)));
    }
}

QTEST_APPLESS_MAIN(TestTrainerGradients)
#include "tst_trainer_gradients.moc"
