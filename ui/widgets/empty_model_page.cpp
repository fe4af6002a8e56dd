#include "widgets/empty_model_page.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace attnscope::ui {

EmptyModelPage::EmptyModelPage(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    m_text = new QLabel(tr("<h2>No model open</h2><p>Open a Hugging Face model folder (config.json, model.safetensors "
                           "and its tokenizer files) to see what every attention head does.</p>"
                           "<p>Supported: BERT, RoBERTa, DistilBERT, GPT-2, ViT, and the Llama, Mistral, Qwen and Gemma 3 decoders.</p>"));
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    auto* folder = new QPushButton(tr("Open model folder…"));
    auto* hub = new QPushButton(tr("Open from Hugging Face…"));
    connect(folder, &QPushButton::clicked, this, &EmptyModelPage::openFolderRequested);
    connect(hub, &QPushButton::clicked, this, &EmptyModelPage::openFromHubRequested);
    layout->addStretch();
    layout->addWidget(m_text);
    layout->addWidget(folder, 0, Qt::AlignCenter);
    layout->addWidget(hub, 0, Qt::AlignCenter);
    layout->addStretch();
}

void EmptyModelPage::setMessage(const QString& html) { m_text->setText(html); }
QString EmptyModelPage::message() const { return m_text->text(); }

}  // namespace attnscope::ui
