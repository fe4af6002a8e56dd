#include "widgets/hub_dialog.h"

#include "hub/hub_download.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

namespace attnscope::ui {

QList<QPair<QString, QString>> HubDialog::knownModels() {
    return {{QStringLiteral("bert-base-uncased"), tr("BERT base (the teaching model's big brother): 12 layers x 12 heads")},
            {QStringLiteral("distilbert-base-uncased"), tr("DistilBERT: 6 layers x 12 heads")},
            {QStringLiteral("roberta-base"), tr("RoBERTa base: 12 layers x 12 heads")},
            {QStringLiteral("gpt2"), tr("GPT-2 small: a decoder, 12 layers x 12 heads")},
            {QStringLiteral("distilgpt2"), tr("DistilGPT-2: 6 layers x 12 heads")},
            {QStringLiteral("google/vit-base-patch16-224"), tr("ViT base: images, 196 patches")},
            {QStringLiteral("HuggingFaceTB/SmolLM2-135M"), tr("SmolLM2 135M: a small Llama, 30 layers x 9 heads")},
            {QStringLiteral("Qwen/Qwen3-0.6B"), tr("Qwen3 0.6B: 28 layers x 16 heads, grouped-query attention")},
            {QStringLiteral("meta-llama/Llama-3.2-1B"), tr("Llama 3.2 1B: gated (accept its terms; needs a token)")}};
}

HubDialog::HubDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Open from Hugging Face"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Models known to work well:")));
    m_list = new QListWidget;
    for (const auto& [id, what] : knownModels()) {
        auto* item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(id, what), m_list);
        item->setData(Qt::UserRole, id);
    }
    layout->addWidget(m_list);
    layout->addWidget(new QLabel(tr("Or any model id (ORG/NAME, optionally @REVISION):")));
    m_id = new QLineEdit;
    m_id->setPlaceholderText(QStringLiteral("Qwen/Qwen3-0.6B"));
    layout->addWidget(m_id);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_open = buttons->addButton(tr("Download and Open"), QDialogButtonBox::AcceptRole);
    m_open->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item) m_id->setText(item->data(Qt::UserRole).toString());
    });
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this] {
        if (m_open->isEnabled()) accept();
    });
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(400);
    connect(&m_debounce, &QTimer::timeout, this, &HubDialog::check);
    connect(m_id, &QLineEdit::textChanged, this, [this] {
        m_open->setEnabled(false);
        m_status->setText(tr("Checking…"));
        m_debounce.start();
    });
    m_list->setMaximumHeight(m_list->sizeHintForRow(0) * (m_list->count() + 1) + 8);
    resize(640, 0);
}

HubDialog::~HubDialog() {
    if (m_cancel) m_cancel->store(true);
}

QString HubDialog::modelId() const { return m_id->text().trimmed(); }
void HubDialog::setModelId(const QString& id) { m_id->setText(id); }
QString HubDialog::statusText() const { return m_status->text(); }

void HubDialog::check() {
    if (m_cancel) m_cancel->store(true);  // a newer id: the older check's answer no longer matters
    const quint64 request = ++m_request;
    auto ref = core::parseRepoRef(modelId());
    if (!ref) {
        m_status->setText(modelId().isEmpty() ? QString() : ref.message());
        return;
    }
    const core::HubEnvironment env = core::HubEnvironment::fromSystem();
    if (core::HubCache(env.cacheDir).completeSnapshot(*ref)) {
        m_status->setText(tr("%1 is in the Hugging Face cache: it opens without downloading.").arg(ref->display()));
        m_open->setText(tr("Open"));
        m_open->setEnabled(true);
        return;
    }
    m_open->setText(tr("Download and Open"));
    m_status->setText(tr("Asking the Hub about %1…").arg(ref->display()));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const auto cancel = m_cancel;
    QPointer<HubDialog> self(this);
    QThread* worker = QThread::create([self, request, env, ref = *ref, cancel] {
        core::HubDownloader downloader(env);
        auto plan = downloader.plan(ref, cancel.get());
        const QString text = !plan ? plan.message()
                                   : tr("%1 at %2: %3 files, %4 to download (%5 in all).")
                                         .arg(ref.display(), plan->commit.left(10))
                                         .arg(plan->files.size())
                                         .arg(core::formatDownloadBytes(double(plan->bytesToFetch())), core::formatDownloadBytes(double(plan->bytesTotal())));
        const bool ok = bool(plan);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, request, text, ok] {
            if (!self || self->m_request != request) return;
            self->m_status->setText(text);
            self->m_open->setEnabled(ok);
        });
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

}  // namespace attnscope::ui
