#include "widgets/token_bar.h"

#include "tokenize/token_labels.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QWheelEvent>

#include <limits>
#include <tuple>

namespace attnscope::ui {
namespace {
constexpr double kPadX = 7, kPadY = 4, kGap = 5, kMargin = 4;
constexpr int kMaxRows = 3;
}

QString tokenToolTip(const AnalysisResult& r, int t) {
    const auto [b, e] = r.encoding.offsets[size_t(t)];
    const QString typed = b < e ? core::codePointSlice(r.text, b, e) : QString();
    return QStringLiteral("#%1  typed “%2”  token %3  (id %4, characters %5–%6)")
        .arg(t)
        .arg(typed.isEmpty() ? QStringLiteral("—") : typed, r.encoding.tokens[t])
        .arg(r.encoding.ids[size_t(t)])
        .arg(b)
        .arg(e);
}

QString TokenBar::chipText(int i) const {
    const QString& label = m_result->labels[i];
    const QString& token = m_result->encoding.tokens[i];
    // An unknown piece: what was typed, then the token the model saw instead.
    if (isUnknown(i) && label != token) return QStringLiteral("%1 · %2").arg(label, token);
    return label;
}

bool TokenBar::isUnknown(int i) const {
    const QString& token = m_result->encoding.tokens[i];
    return !m_result->encoding.special[size_t(i)] && (token == QLatin1String("[UNK]") || token == QLatin1String("<unk>"));
}

QStringList TokenBar::chipTexts() const {
    QStringList texts;
    if (!m_result) return texts;
    for (int i = 0; i < m_result->labels.size(); ++i) texts << chipText(i);
    return texts;
}

std::vector<QRectF> chipLayout(const QStringList& labels, const QFont& font, double width) {
    const QFontMetricsF fm(font);
    const double h = fm.height() + 2 * kPadY;
    std::vector<QRectF> chips;
    double x = kMargin, y = kMargin;
    for (const QString& label : labels) {
        const double w = std::min(fm.horizontalAdvance(label) + 2 * kPadX, std::max(40.0, width - 2 * kMargin));
        if (x > kMargin && x + w > width - kMargin) {
            x = kMargin;
            y += h + kGap;
        }
        chips.emplace_back(x, y, w, h);
        x += w + kGap;
    }
    return chips;
}

ChipColors chipColors(const QPalette& pal, bool special, bool unknown, bool focus) {
    const bool dark = pal.color(QPalette::Base).lightnessF() < 0.5;
    ChipColors c;
    c.fill = special ? pal.color(QPalette::AlternateBase) : pal.color(QPalette::Base);
    c.text = pal.color(QPalette::Text);
    if (special) c.text.setAlphaF(0.7);  // quieter than a word (and italic, dashed), still readable
    c.border = pal.color(QPalette::Mid);
    if (unknown) {  // flagged, in the theme's own depth: no pale chip glaring in a dark window
        c.fill = dark ? QColor(78, 36, 26) : QColor(255, 228, 214);
        c.text = dark ? QColor(255, 178, 156) : QColor(170, 36, 16);
    }
    if (focus) {
        c.fill = dark ? QColor(128, 34, 22) : QColor(255, 188, 168);
        c.text = dark ? QColor(Qt::white) : QColor(20, 20, 20);
        c.border = dark ? QColor(255, 118, 96) : QColor(230, 60, 40);
    }
    return c;
}

std::vector<QRectF> chipLine(const QStringList& labels, const QFont& font) {
    return chipLayout(labels, font, std::numeric_limits<double>::max() / 4);
}

TokenBar::TokenBar(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_scroll = new QScrollBar(Qt::Horizontal, this);
    m_scroll->hide();
    connect(m_scroll, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
    connect(state, &ViewState::focusChanged, this, qOverload<>(&QWidget::update));
    connect(state, &ViewState::focusChanged, this, [this] {  // a new pin scrolls into view; hovering does not scroll
        if (m_state->pinnedToken() != m_shownPin) ensureVisible(m_shownPin = m_state->pinnedToken());
    });
}

void TokenBar::setResult(AnalysisResultPtr result) {
    m_result = std::move(result);
    relayout();
    ensureVisible(m_state->pinnedToken());
    updateGeometry();
    update();
}

std::pair<std::vector<QRectF>, bool> TokenBar::layoutFor(int w) const {
    const QStringList texts = chipTexts();
    auto chips = chipLayout(texts, font(), w);
    const double rowH = QFontMetricsF(font()).height() + 2 * kPadY + kGap;
    if (chips.empty() || chips.back().top() < kMargin + kMaxRows * rowH - kGap) return {std::move(chips), false};
    return {chipLine(texts, font()), true};
}

int TokenBar::heightForWidth(int w) const {
    const auto [chips, line] = layoutFor(w);
    if (chips.empty()) return int(QFontMetricsF(font()).height() + 2 * (kPadY + kMargin));
    return int(chips.back().bottom() + kMargin) + (line ? m_scroll->sizeHint().height() : 0);
}

QSize TokenBar::sizeHint() const { return QSize(600, heightForWidth(width() > 0 ? width() : 600)); }

void TokenBar::relayout() {
    const bool wasLine = m_oneLine;
    std::tie(m_chips, m_oneLine) = layoutFor(width());
    const int h = m_scroll->sizeHint().height();
    m_scroll->setGeometry(0, height() - h, width(), h);
    m_scroll->setVisible(m_oneLine);
    const int full = m_chips.empty() ? 0 : int(m_chips.back().right() + kMargin);
    m_scroll->setRange(0, m_oneLine ? std::max(0, full - width()) : 0);
    m_scroll->setPageStep(width());
    m_scroll->setSingleStep(40);
    if (wasLine != m_oneLine) updateGeometry();
}

void TokenBar::resizeEvent(QResizeEvent*) { relayout(); }

int TokenBar::scrollOffset() const { return m_oneLine ? m_scroll->value() : 0; }

void TokenBar::ensureVisible(int token) {
    if (!m_oneLine || token < 0 || size_t(token) >= m_chips.size()) return;
    const QRectF& chip = m_chips[size_t(token)];
    const int x = m_scroll->value();
    if (chip.left() - kMargin < x) m_scroll->setValue(int(chip.left() - width() / 3.0));
    else if (chip.right() + kMargin > x + width()) m_scroll->setValue(int(chip.right() - width() * 2.0 / 3.0));
}

void TokenBar::wheelEvent(QWheelEvent* event) {
    if (!m_oneLine) return QWidget::wheelEvent(event);
    const QPoint d = event->angleDelta();
    const int delta = std::abs(d.x()) > std::abs(d.y()) ? d.x() : d.y();
    m_scroll->setValue(m_scroll->value() - delta);  // one notch (120) scrolls about three chips
    event->accept();
}

int TokenBar::tokenAt(const QPointF& pos) const {
    if (m_oneLine && pos.y() >= m_scroll->geometry().top()) return -1;
    const QPointF p = pos + QPointF(scrollOffset(), 0);
    for (size_t i = 0; i < m_chips.size(); ++i)
        if (m_chips[i].contains(p)) return int(i);
    return -1;
}

void TokenBar::paintEvent(QPaintEvent*) {
    if (!m_result) return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const int focus = m_state->focusToken();
    p.translate(-scrollOffset(), 0);
    const double x0 = scrollOffset(), x1 = x0 + width();
    for (size_t i = 0; i < m_chips.size(); ++i) {
        if (m_chips[i].right() < x0 || m_chips[i].left() > x1) continue;
        const bool special = m_result->encoding.special[i];
        const bool unknown = isUnknown(int(i));
        const bool isFocus = int(i) == focus, pinned = int(i) == m_state->pinnedToken();
        const ChipColors colors = chipColors(pal, special, unknown, isFocus);
        QPainterPath path;
        path.addRoundedRect(m_chips[i], 6, 6);
        p.fillPath(path, colors.fill);
        p.setPen(QPen(colors.border, pinned ? 2.0 : 1.0, special ? Qt::DashLine : Qt::SolidLine));
        p.drawPath(path);
        QFont f = font();
        f.setItalic(special);
        p.setFont(f);
        p.setPen(colors.text);
        p.drawText(m_chips[i], Qt::AlignCenter, QFontMetricsF(f).elidedText(chipText(int(i)), Qt::ElideRight, m_chips[i].width() - 2 * kPadX));
    }
}

void TokenBar::mouseMoveEvent(QMouseEvent* event) {
    const int t = tokenAt(event->position());
    m_state->setHoveredToken(t);
    if (t >= 0 && m_result) setToolTip(tokenToolTip(*m_result, t));
}

void TokenBar::mousePressEvent(QMouseEvent* event) { m_state->togglePinnedToken(tokenAt(event->position())); }

void TokenBar::leaveEvent(QEvent*) { m_state->setHoveredToken(-1); }

}  // namespace attnscope::ui
