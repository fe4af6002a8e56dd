#include "widgets/image_input_bar.h"

#include "model/builtin_models.h"
#include "widgets/file_dialogs.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QEvent>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>

namespace attnscope::ui {

ImageInputBar::ImageInputBar(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    m_name = new QLabel(tr("Drop an image here or open one"));
    row->addWidget(m_name, 1);
    auto* open = new QPushButton(tr("Open image…"));
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = askOpenFile(this, tr("Open image"), QStringLiteral("image"), imageFileFilter());
        if (!path.isEmpty()) Q_EMIT openRequested(path);
    });
    row->addWidget(open);
    auto* examples = new QToolButton;
    examples->setText(tr("Examples"));
    examples->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(examples);
    for (const QString& example : core::builtinImageExamples())
        menu->addAction(QFileInfo(example).completeBaseName().replace(QLatin1Char('-'), QLatin1Char(' ')), this,
                        [this, example] { Q_EMIT openRequested(example); });
    examples->setMenu(menu);
    row->addWidget(examples);
    applyLargeFont();
}

void ImageInputBar::applyLargeFont() {
    QFont big = font();  // the application's: presentation mode enlarges it, and this with it
    big.setPointSizeF(big.pointSizeF() * 1.4);
    for (QWidget* w : findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) w->setFont(big);
}

void ImageInputBar::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) applyLargeFont();
    QWidget::changeEvent(event);
}

void ImageInputBar::setImageName(const QString& name) { m_name->setText(name); }

}  // namespace attnscope::ui
