#pragma once

#include <QLayout>
#include <QList>

namespace attnscope::ui {

// Items left to right, wrapping onto a new row when the width runs out (as Qt's flow layout
// example): the control row fits a 1280-pixel projector in presentation type instead of forcing the
// window wider than the screen. An item's row-break hint: a stretch item (addStretch) is ignored.
class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr, int hSpacing = 6, int vSpacing = 4);
    ~FlowLayout() override;

    void addItem(QLayoutItem* item) override;
    int count() const override { return int(m_items.size()); }
    QLayoutItem* itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return arrange(QRect(0, 0, width, 0), false); }
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

private:
    int arrange(const QRect& rect, bool apply) const;  // the height used

    QList<QLayoutItem*> m_items;
    int m_hSpacing, m_vSpacing;
};

}  // namespace attnscope::ui
