// Long input and head subsets: the links view's readable window and thinned labels, the heatmap's
// zoom to the pin, the token strip's one scrolled line, and the "All heads" legend.
#include "render/links_painter.h"
#include "render/view_specs.h"
#include "session/analysis_session.h"
#include "test_paths.h"
#include "widgets/heatmap_view.h"
#include "widgets/links_view.h"
#include "widgets/token_bar.h"

#include <QApplication>
#include <QBuffer>
#include <QSvgGenerator>
#include <QImage>
#include <QTest>
#include <QToolButton>

using namespace attnscope::ui;

namespace {

LinksSpec rowsOnly(int n) {
    LinksSpec s;
    s.n = n;
    for (int i = 0; i < n; ++i) s.labels << QStringLiteral("w%1").arg(i);
    s.font = QFont(QStringLiteral("DejaVu Sans"), 10);
    return s;
}

// A text result of n tokens with no trace (what the token strip needs).
AnalysisResultPtr chipsOnly(int n) {
    auto r = std::make_shared<AnalysisResult>();
    for (int i = 0; i < n; ++i) {
        const QString word = QStringLiteral("word%1").arg(i);
        r->labels << word;
        r->encoding.tokens << word;
        r->encoding.ids.push_back(i);
        r->encoding.special.push_back(false);
        r->encoding.offsets.push_back({i * 8, i * 8 + 6});
        r->text += word + QStringLiteral("  ");
    }
    return r;
}

int inkIn(const QImage& image, const QRectF& box) {
    int ink = 0;
    const QRect r = box.toAlignedRect().intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) ink += qGray(image.pixel(x, y)) < 128;
    return ink;
}

}  // namespace

class TestLongInput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void linksWindowKeepsRowsReadable_data();
    void linksWindowKeepsRowsReadable();
    void linksWindowFollowsAnchorAndScroll();
    void linksKeepPinnedAndHoveredLabels();
    void linksViewWheelScrollsAndPinRecentres();
    void headLegendTogglesHeads();
    void headLegendInTheView();
    void viewStateHeadSubset();
    void heatmapZoomsToThePin();
    void heatmapKeepsHoveredLabel();
    void tokenStripBecomesOneLine();

private:
    AnalysisResultPtr m_long;  // gpt2 fixture, 60 tokens
};

void TestLongInput::initTestCase() {
    auto model = attnscope::core::loadModelFolder(attnscope::test::modelFixture(QStringLiteral("gpt2")));
    QVERIFY(model);
    QStringList words;
    for (int i = 0; i < 30; ++i) words << QStringLiteral("cat sat");
    auto result = runAnalysis(*model, words.join(QLatin1Char(' ')), true);
    QVERIFY(result);
    m_long = *result;
    QVERIFY(m_long->encoding.size() >= 48);
}

void TestLongInput::linksWindowKeepsRowsReadable_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("height");
    QTest::addColumn<bool>("windowed");
    QTest::newRow("12 tokens, laptop") << 12 << 600 << false;
    QTest::newRow("64 tokens, projector") << 64 << 1000 << false;
    QTest::newRow("200 tokens, laptop") << 200 << 600 << true;
    QTest::newRow("512 tokens, projector") << 512 << 1000 << true;
    QTest::newRow("512 tokens, small") << 512 << 200 << true;
}

// However many tokens, the rows in the window are at least a label high, every row maps back to
// itself, and nothing spills out of the figure.
void TestLongInput::linksWindowKeepsRowsReadable() {
    QFETCH(int, n);
    QFETCH(int, height);
    QFETCH(bool, windowed);
    const LinksSpec s = rowsOnly(n);
    const QRectF rect(0, 0, 800, height);
    const LinksLayout l = linksLayout(rect, s);
    QCOMPARE(l.windowed(), windowed);
    const double label = QFontMetricsF(linksFont(rect, s)).height();
    if (windowed) {
        QVERIFY2(l.rowHeight >= label, qPrintable(QStringLiteral("rows %1 px for labels %2 px").arg(l.rowHeight).arg(label)));
        QVERIFY(l.count >= 1 && l.count < n);
        QVERIFY(l.squeezed > 0 && l.squeezed < l.rowHeight);
    }
    QVERIFY(l.bottom() <= rect.bottom() + 0.5);
    QVERIFY(l.top >= rect.top());
    for (int i = 0; i < n; ++i) QCOMPARE(l.rowAt(l.rowCenter(i)), i);
    QCOMPARE(l.rowAt(l.top - 1), -1);
    QCOMPARE(l.rowAt(l.bottom() + 1), -1);
}

void TestLongInput::linksWindowFollowsAnchorAndScroll() {
    LinksSpec s = rowsOnly(400);
    const QRectF rect(0, 0, 800, 700);
    QCOMPARE(linksLayout(rect, s).first, 0);  // nothing pinned: from the start
    s.windowAnchor = 250;
    const LinksLayout anchored = linksLayout(rect, s);
    QVERIFY(anchored.first <= 250 && 250 < anchored.first + anchored.count);
    QVERIFY(std::abs(anchored.first + anchored.count / 2 - 250) <= 1);  // centred on it
    s.windowAnchor = 399;  // at the end: the window stops at the last row
    QCOMPARE(linksLayout(rect, s).first + linksLayout(rect, s).count, 400);
    s.windowFirst = 100;  // scrolled: the scroll wins over the anchor
    QCOMPARE(linksLayout(rect, s).first, 100);
    s.windowFirst = 10000;
    const LinksLayout clamped = linksLayout(rect, s);
    QCOMPARE(clamped.first, 400 - clamped.count);
}

// Outside the window labels are thinned, but the hovered token's and the focus's strongest partner's
// are drawn.
void TestLongInput::linksKeepPinnedAndHoveredLabels() {
    const int n = 300;
    LinksSpec s = rowsOnly(n);
    std::vector<float> matrix(size_t(n) * n, 0.0f);
    for (int i = 0; i < n; ++i) matrix[size_t(i) * n + size_t(i)] = 1.0f;
    matrix[size_t(250) * n + 250] = 0.1f;
    matrix[size_t(250) * n + 7] = 0.9f;  // the pinned token 250 attends to token 7, far outside its window
    s.heads = {matrix.data()};
    s.colors = {QColor(30, 60, 200)};
    s.focus = 250;
    s.windowAnchor = 250;
    s.hovered = 120;
    s.columnHeaders = false;
    const QRectF rect(0, 0, 700, 600);
    const LinksLayout l = linksLayout(rect, s);
    QVERIFY(l.windowed());
    QVERIFY(7 < l.first && 120 < l.first);
    QImage image(700, 600, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        paintLinks(p, rect, s);
    }
    const double h = QFontMetricsF(linksFont(rect, s)).height();
    auto labelBox = [&](const QRectF& column, int row) { return QRectF(column.left(), l.rowCenter(row) - h / 2, column.width(), h); };
    QVERIFY(inkIn(image, labelBox(l.right, 7)) > 10);     // the partner, on the keys' side
    QVERIFY(inkIn(image, labelBox(l.left, 120)) > 10);    // the hovered token, both sides
    QVERIFY(inkIn(image, labelBox(l.right, 120)) > 10);
    QVERIFY(inkIn(image, labelBox(l.left, 250)) > 10);    // the focus, in the window
}

void TestLongInput::linksViewWheelScrollsAndPinRecentres() {
    ViewState state;
    LinksView view(&state);
    view.resize(600, 260);
    state.setResult(m_long);
    view.setResult(m_long);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const int n = m_long->encoding.size();
    QCOMPARE(view.windowFirst(), 0);
    QWheelEvent down(QPointF(300, 150), view.mapToGlobal(QPointF(300, 150)), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                     Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &down);
    QCOMPARE(view.windowFirst(), 3);  // a notch: three rows on
    state.setPinnedToken(n - 2);       // a pin: the window goes to it
    QVERIFY(view.windowFirst() > 3);
    QVERIFY(view.windowFirst() <= n - 2);
}

// "All heads": the spec draws only the heads the legend has on, and says so in its title.
void TestLongInput::headLegendTogglesHeads() {
    ViewState state;
    state.setResult(m_long);
    state.setHeadMode(HeadMode::All);
    AttentionMatrix matrix;
    FigureStyle style;
    LinksSpec all = linksSpec(*m_long, state, style, matrix);
    QCOMPARE(all.headCount(), 4);
    QCOMPARE(int(all.legendColors.size()), 4);
    QVERIFY(all.title.contains(QStringLiteral("all 4 heads")));
    state.setHiddenHeads({1, 3});
    LinksSpec some = linksSpec(*m_long, state, style, matrix);
    QCOMPARE(some.headCount(), 2);
    QCOMPARE(some.colors[1], all.colors[2]);  // head 2 keeps its colour
    QCOMPARE(some.legendShown, (std::vector<bool>{true, false, true, false}));
    QVERIFY(some.title.contains(QStringLiteral("2 of 4 heads")));
    const LinksLayout l = linksLayout(QRectF(0, 0, 800, 600), some);
    QCOMPARE(int(l.legendSquares.size()), 4);
    QCOMPARE(linksLegendAt(l, l.legendSquares[2].center()).value_or(-1), 2);
    QVERIFY(!linksLegendAt(l, QPointF(l.left.center().x(), l.top + 5)).has_value());
    state.setHeadMode(HeadMode::Single);  // one head: no legend
    QVERIFY(linksSpec(*m_long, state, style, matrix).legendColors.empty());
}

void TestLongInput::headLegendInTheView() {
    ViewState state;
    LinksView view(&state);
    view.resize(800, 700);
    state.setResult(m_long);
    view.setResult(m_long);
    state.setHeadMode(HeadMode::All);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    AttentionMatrix matrix;
    const LinksLayout l = linksLayout(QRectF(view.rect()).adjusted(8, 8, -8, -8), linksSpec(*m_long, state, view.figureStyle(), matrix));
    QCOMPARE(int(l.legendSquares.size()), 4);
    QTest::mouseClick(&view, Qt::LeftButton, {}, l.legendSquares[1].center().toPoint());
    QCOMPARE(state.hiddenHeads(), QList<int>{1});
    QCOMPARE(state.pinnedToken(), -1);  // a legend click pins nothing
    QTest::mouseClick(&view, Qt::LeftButton, {}, l.legendSquares[1].center().toPoint());
    QVERIFY(state.hiddenHeads().isEmpty());
    QTest::mouseDClick(&view, Qt::LeftButton, {}, l.legendSquares[2].center().toPoint());
    QCOMPARE(state.hiddenHeads(), (QList<int>{0, 1, 3}));  // head 2 alone
}

void TestLongInput::viewStateHeadSubset() {
    ViewState state;
    state.setLimits(2, 4, 10);
    state.toggleHead(2);
    QCOMPARE(state.hiddenHeads(), QList<int>{2});
    QVERIFY(!state.isHeadShown(2) && state.isHeadShown(0));
    state.setHiddenHeads({3, 3, 9, -1, 0});  // kept to the model's heads, sorted, once each
    QCOMPARE(state.hiddenHeads(), (QList<int>{0, 3}));
    state.soloHead(1);
    QCOMPARE(state.hiddenHeads(), (QList<int>{0, 2, 3}));
    state.soloHead(1);  // again: every head
    QVERIFY(state.hiddenHeads().isEmpty());
    state.toggleHead(1);
    state.setLimits(2, 6, 10);  // another model's heads: all shown
    QVERIFY(state.hiddenHeads().isEmpty());
}

void TestLongInput::heatmapZoomsToThePin() {
    ViewState state;
    HeatmapView view(&state);
    view.resize(360, 360);
    state.setResult(m_long);
    view.setResult(m_long);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.screenLayout().labelStep > 1);  // too small to label every row
    auto* toPin = view.findChild<QToolButton*>(QStringLiteral("heatmapZoomToPin"));
    QVERIFY(toPin);
    QVERIFY(!toPin->isVisible());  // nothing pinned
    state.setPinnedToken(40);
    QVERIFY(toPin->isVisible());
    toPin->click();
    const QRectF cells = view.viewCells();
    QVERIFY(!cells.isEmpty());
    QVERIFY(cells.contains(QPointF(40.5, 40.5)));
    QCOMPARE(view.screenLayout().labelStep, 1);  // every label in the window
    QVERIFY(!toPin->isVisible());
    QVERIFY(view.findChild<QToolButton*>(QStringLiteral("heatmapResetZoom"))->isVisible());
}

// Thinned labels keep the hovered row's (here in an SVG, where each label is its own text).
void TestLongInput::heatmapKeepsHoveredLabel() {
    ViewState state;
    state.setResult(m_long);
    AttentionMatrix matrix;
    FigureStyle style;
    style.font = QFont(QStringLiteral("DejaVu Sans"), 10);
    state.setHoveredToken(37);
    HeatmapSpec s = heatmapSpec(*m_long, state, style, matrix);
    QCOMPARE(s.hovered, 37);
    for (int i = 0; i < s.n; ++i) s.labels[i] = QStringLiteral("L%1").arg(i);
    const QRectF rect(0, 0, 320, 320);
    const HeatmapLayout l = heatmapLayout(rect, s);
    QVERIFY(l.labelStep > 1 && 37 % l.labelStep != 0);
    auto svg = [&](const HeatmapSpec& spec) {
        QBuffer buffer;
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(QSize(320, 320));
        QPainter p(&generator);
        paintHeatmap(p, rect, spec);
        p.end();
        return buffer.data();
    };
    QVERIFY(svg(s).contains(">L37<"));
    s.hovered = -1;
    s.focus = -1;
    QVERIFY(!svg(s).contains(">L37<"));
    QVERIFY(svg(s).contains(">L0<"));
}

void TestLongInput::tokenStripBecomesOneLine() {
    ViewState state;
    TokenBar bar(&state);
    bar.resize(700, 100);
    const auto few = chipsOnly(12);
    state.setLimits(1, 1, 12);
    bar.setResult(few);
    QVERIFY(!bar.isOneLine());
    const int wrappedHeight = bar.heightForWidth(700);
    const auto many = chipsOnly(436);
    state.setLimits(1, 1, 436);
    bar.setResult(many);
    QVERIFY(bar.isOneLine());
    QVERIFY(bar.heightForWidth(700) < wrappedHeight * 3);  // one line and a scroll bar, not half the window
    bar.resize(700, bar.heightForWidth(700));
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QCOMPARE(bar.scrollOffset(), 0);
    state.setPinnedToken(300);  // the pinned chip scrolls into view, and is hit where it is drawn
    QVERIFY(bar.scrollOffset() > 0);
    const std::vector<QRectF> line = chipLine(QStringList(many->labels), bar.font());
    const QPointF onScreen = line[300].center() - QPointF(bar.scrollOffset(), 0);
    QVERIFY(onScreen.x() > 0 && onScreen.x() < bar.width());
    QCOMPARE(bar.tokenAt(onScreen), 300);
    QWheelEvent back(QPointF(100, 10), bar.mapToGlobal(QPointF(100, 10)), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                     Qt::NoScrollPhase, false);
    const int before = bar.scrollOffset();
    QApplication::sendEvent(&bar, &back);
    QVERIFY(bar.scrollOffset() < before);
}

QTEST_MAIN(TestLongInput)
#include "tst_long_input.moc"
