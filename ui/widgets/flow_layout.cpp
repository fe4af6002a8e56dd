#include "widgets/flow_layout.h"

#include <QWidget>

#include <algorithm>

namespace attnscope::ui {

FlowLayout::FlowLayout(QWidget* parent, int hSpacing, int vSpacing) : QLayout(parent), m_hSpacing(hSpacing), m_vSpacing(vSpacing) {
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout() {
    while (QLayoutItem* item = takeAt(0)) delete item;
}

void FlowLayout::addItem(QLayoutItem* item) { m_items.append(item); }

QLayoutItem* FlowLayout::takeAt(int index) { return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr; }

QSize FlowLayout::minimumSize() const {
    QSize size;
    for (const QLayoutItem* item : m_items) size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const {
    int width = 0, height = 0;
    for (const QLayoutItem* item : m_items) {
        if (item->isEmpty()) continue;
        width += item->sizeHint().width() + m_hSpacing;
        height = std::max(height, item->sizeHint().height());
    }
    const QMargins m = contentsMargins();
    return QSize(width + m.left() + m.right(), height + m.top() + m.bottom());
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::arrange(const QRect& rect, bool apply) const {
    const QRect area = rect.marginsRemoved(contentsMargins());
    int x = area.x(), y = area.y(), rowHeight = 0;
    // Rows are laid out first so each item can be centred vertically in its row.
    QList<QPair<QLayoutItem*, QPoint>> placed;
    QList<int> rowOf;
    QList<int> rowHeights;
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty() || item->spacerItem()) continue;  // hidden widgets, stretches
        const QSize hint = item->sizeHint();
        if (x > area.x() && x + hint.width() > area.right() + 1) {
            rowHeights.append(rowHeight);
            x = area.x();
            y += rowHeight + m_vSpacing;
            rowHeight = 0;
        }
        placed.append({item, QPoint(x, y)});
        rowOf.append(int(rowHeights.size()));
        x += hint.width() + m_hSpacing;
        rowHeight = std::max(rowHeight, hint.height());
    }
    rowHeights.append(rowHeight);
    if (apply) {
        for (int i = 0; i < placed.size(); ++i) {
            QLayoutItem* item = placed[i].first;
            const QSize hint = item->sizeHint();
            const int row = rowHeights[rowOf[i]];
            item->setGeometry(QRect(placed[i].second + QPoint(0, (row - hint.height()) / 2), QSize(std::min(hint.width(), area.width()), hint.height())));
        }
    }
    const QMargins m = contentsMargins();
    return y + rowHeight - rect.y() + m.bottom();
}

}  // namespace attnscope::ui
