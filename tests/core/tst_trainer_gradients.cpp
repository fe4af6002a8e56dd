// The trainer's hand-written backward pass against central finite differences, for every
// parameter tensor of a tiny BERT (relative error <= 1e-3 on each tensor's largest gradients).
// The check runs the same code in double precision; training runs it in float.
#include "train/trainable_bert.h"

#include <QTest>

#include <algorithm>
#include <numeric>
#include <random>

using namespace attnscope::core::train;

class TestTrainerGradients : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesFiniteDifferences_data();
    void matchesFiniteDifferences();

private:
    std::unique_ptr<TrainableBert> m_model;
    Example m_example;
    std::vector<double> m_values;
    std::vector<double> m_grad;
};

void TestTrainerGradients::initTestCase() {
    TrainableBertConfig c;
    c.vocab = 13;
    c.hidden = 8;
    c.heads = 2;
    c.layers = 2;
    c.intermediate = 12;
    c.maxPositions = 10;
    m_model = std::make_unique<TrainableBert>(c);
    // Weights larger than BERT's 0.02 init, so every gradient is well above float noise.
    std::mt19937 rng(7);
    std::normal_distribution<double> normal(0.0, 0.3);
    m_values.resize(m_model->params().size());
    for (double& v : m_values) v = normal(rng);
    m_example.ids = {2, 5, 7, 4, 9, 11, 3};
    m_example.targets = {{3, 6}, {5, 12}};  // a masked word and a pronoun's referent
    m_grad.assign(m_values.size(), 0.0);
    m_model->lossAndGradientDouble(m_values, m_example, &m_grad);
    // The float path computes the same gradient (to float precision).
    std::vector<float> grad(m_values.size(), 0.0f);
    for (size_t i = 0; i < m_values.size(); ++i) m_model->params().values()[i] = float(m_values[i]);
    m_model->lossAndGradient(m_example, 1.0f, &grad);
    for (size_t i = 0; i < grad.size(); ++i) QVERIFY(std::abs(grad[i] - m_grad[i]) <= 1e-4 + 1e-3 * std::abs(m_grad[i]));
}

void TestTrainerGradients::matchesFiniteDifferences_data() {
    QTest::addColumn<int>("index");
    const TrainableBert shapes(TrainableBertConfig{13, 8, 2, 2, 12, 10});
    const auto& entries = shapes.params().entries();
    for (size_t i = 0; i < entries.size(); ++i) QTest::newRow(qPrintable(entries[i].name)) << int(i);
}

void TestTrainerGradients::matchesFiniteDifferences() {
    QFETCH(int, index);
    const ParamSet::Entry& e = m_model->params().entry(index);
    std::vector<size_t> order(e.size);
    std::iota(order.begin(), order.end(), e.offset);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::abs(m_grad[a]) > std::abs(m_grad[b]); });
    if (e.name.contains(QLatin1String("attention.self.key.bias"))) {
        // Adding q.b to every score of a row changes no softmax: the key bias gets no gradient.
        QVERIFY(std::abs(m_grad[order[0]]) < 1e-6);
        return;
    }
    QVERIFY2(std::abs(m_grad[order[0]]) > 1e-6, "the tensor gets no gradient");
    for (size_t k = 0; k < std::min<size_t>(3, order.size()); ++k) {
        const size_t at = order[k];
        const double keep = m_values[at], h = 1e-5;
        m_values[at] = keep + h;
        const double up = m_model->lossAndGradientDouble(m_values, m_example, nullptr);
        m_values[at] = keep - h;
        const double down = m_model->lossAndGradientDouble(m_values, m_example, nullptr);
        m_values[at] = keep;
        const double numeric = (up - down) / (2 * h);
        const double analytic = m_grad[at];
        const double rel = std::abs(numeric - analytic) / std::max(std::abs(numeric), std::abs(analytic));
        QVERIFY2(rel <= 1e-3, qPrintable(QStringLiteral("element %1: analytic %2, numeric %3, relative error %4")
                                             .arg(at - e.offset).arg(analytic).arg(numeric).arg(rel)));
    }
}

QTEST_APPLESS_MAIN(TestTrainerGradients)
#include "tst_trainer_gradients.moc"
