#include "lesson/lesson_script.h"

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

const std::vector<LessonStep>& LessonScript::steps() {
    static const std::vector<LessonStep> all = [] {
        std::vector<LessonStep> s;
        auto qkv = [&](const char* title, QkvStep step) {
            LessonStep l;
            l.title = QString::fromUtf8(title);
            l.view = QStringLiteral("qkv");
            l.qkvStep = step;
            s.push_back(l);
        };
        qkv("Words become tokens, tokens become numbers", QkvStep::Input);
        s.back().target = LessonTarget::Tokens;  // the chips
        qkv("A question: the query", QkvStep::Query);
        qkv("Answers on offer: the keys", QkvStep::Keys);
        qkv("How well do they match? Dot products", QkvStep::Dot);
        qkv("Keeping the numbers calm: divide by √d", QkvStep::Scale);
        qkv("Scores into shares: softmax", QkvStep::Softmax);
        qkv("Mixing the values", QkvStep::Weighted);
        qkv("The context vector", QkvStep::Context);
        LessonStep heads;
        heads.title = QStringLiteral("Many heads at once");
        heads.view = QStringLiteral("links");
        heads.headMode = HeadMode::All;
        s.push_back(heads);
        LessonStep layers;
        layers.title = QStringLiteral("Layer after layer");
        layers.view = QStringLiteral("grid");
        s.push_back(layers);
        LessonStep predicts;
        predicts.title = QStringLiteral("What the model concludes");
        predicts.view = QStringLiteral("links");
        predicts.target = LessonTarget::Predictions;
        s.push_back(predicts);
        LessonStep swap;
        swap.title = QStringLiteral("Change one word");
        swap.view = QStringLiteral("links");
        swap.swapWord = true;
        swap.target = LessonTarget::SwapButton;
        s.push_back(swap);
        return s;
    }();
    return all;
}

int LessonScript::queryToken(const AnalysisResult& r, const ViewState& st) {
    const int n = r.trace ? r.trace->tokens() : 0;
    if (n <= 0) return -1;
    if (!r.referents.empty() && r.referents.front().pronoun >= 0 && r.referents.front().pronoun < n) return r.referents.front().pronoun;
    if (st.pinnedToken() >= 0 && st.pinnedToken() < n) return st.pinnedToken();
    return r.causal ? n - 1 : std::min(1, n - 1);
}

namespace {

QString quoted(const QString& s) { return QStringLiteral("“%1”").arg(s.toHtmlEscaped()); }
QString percent(double p) { return QString::number(p * 100, 'f', p < 0.1 ? 1 : 0) + QLatin1Char('%'); }

// The numbers the captions quote, for query token q of the selected head.
struct Numbers {
    int n = 0, hidden = 0, d = 0, layers = 0, heads = 0, layer = 0, head = 0;
    QString query, top, second;
    double weight = 0, secondWeight = 0, dot = 0, scaled = 0, sqrtD = 1;
};

Numbers numbersFor(const AnalysisResult& r, const ViewState& st, int q) {
    Numbers x;
    const core::AttentionTrace& t = *r.trace;
    x.n = t.tokens();
    x.hidden = t.hidden();
    x.d = t.headDim();
    x.layers = t.layers();
    x.heads = t.heads();
    x.layer = std::clamp(st.layer(), 0, x.layers - 1);
    x.head = std::clamp(st.head(), 0, x.heads - 1);
    x.query = r.labels.value(q);
    const core::HeadMatrices m = t.head(x.layer, x.head);
    const float* p = m.probsRow(q);  // (n)
    const float* raw = m.rawRow(q);  // (n)
    // The strongest key other than [CLS]/[SEP]-like specials when a word gets more than a trace.
    int best = -1, runner = -1;
    for (int j = 0; j < x.n; ++j) {
        if (best < 0 || p[j] > p[best]) runner = best, best = j;
        else if (runner < 0 || p[j] > p[runner]) runner = j;
    }
    x.top = r.labels.value(best);
    x.weight = p[best];
    x.second = runner >= 0 ? r.labels.value(runner) : QString();
    x.secondWeight = runner >= 0 ? p[runner] : 0;
    x.dot = raw ? raw[best] : 0.0;  // a trace file of matrices alone has no scores
    x.sqrtD = 1.0 / double(t.shape().scale());
    x.scaled = x.dot / x.sqrtD;
    return x;
}

}  // namespace

QString LessonScript::caption(int step, const AnalysisResult& r, const ViewState& st) {
    if (r.fromFile())
        return QStringLiteral("The lesson steps through a model as it reads your sentence: its embeddings, queries, keys and values. "
                              "A trace file holds the attention a run produced, not the model. Open a model — the built-in teaching "
                              "model is on the File menu — to follow the lesson.");
    if (!r.trace || r.isImage() || r.trace->tokens() < 2)
        return QStringLiteral("The lesson walks through a sentence. Open a text model — the built-in teaching model is on the File menu — "
                              "and type a sentence.");
    const int q = queryToken(r, st);
    const Numbers x = numbersFor(r, st, q);
    const QString Q = quoted(x.query), T = quoted(x.top);
    switch (std::clamp(step, 0, int(steps().size()) - 1)) {
        case 0:
            return QStringLiteral("The model does not read letters. It cuts the sentence into <b>%1 tokens</b> — the chips above: whole "
                                  "words, pieces of rarer words, and markers such as [CLS] at the start. Each token is looked up in a "
                                  "table and becomes a list of <b>%2 numbers</b>, its <i>embedding</i>. The strip shows that list for %3: "
                                  "blue for positive numbers, red for negative.")
                .arg(x.n).arg(x.hidden).arg(Q);
        case 1:
            return QStringLiteral("We follow %1 and ask: what does it refer to? First %1 makes a <b>query</b> q: its numbers multiplied "
                                  "by a table the model learned, W<sub>q</sub>. The %2 numbers of q describe what %1 is looking for.")
                .arg(Q).arg(x.d);
        case 2:
            return QStringLiteral("Every token also makes a <b>key</b> k<sub>j</sub> with another learned table, W<sub>k</sub>: a label "
                                  "that says what it has to offer. One row per token, %1 rows.")
                .arg(x.n);
        case 3:
            return QStringLiteral("How well does each key answer the question? Multiply q and k<sub>j</sub> number by number and add it "
                                  "all up: the <b>dot product</b>. Big and positive means a good match. Here %1 matches best, with "
                                  "%2.")
                .arg(T, QString::number(x.dot, 'f', 2));
        case 4:
            return QStringLiteral("The scores are divided by √%1 = %2 so they stay in a sensible range however long the vectors are "
                                  "(%3's score becomes %4). Without this the next step would pick one token far too early.")
                .arg(std::lround(x.sqrtD * x.sqrtD)).arg(x.sqrtD, 0, 'f', 2).arg(T, QString::number(x.scaled, 'f', 2));
        case 5:
            return QStringLiteral("<b>Softmax</b> turns the scores into shares that are all positive and add up to 100%: the "
                                  "<b>attention weights</b>. %1 gives <b>%2</b> of its attention to %3%4. %5")
                .arg(Q, percent(x.weight), T,
                     x.second.isEmpty() ? QString() : QStringLiteral(" and %1 to %2").arg(percent(x.secondWeight), quoted(x.second)),
                     r.causal ? QStringLiteral("This model writes left to right, so a token may not look at the ones after it: they are masked.")
                              : QStringLiteral("Every token may look at every other, before it or after it."));
        case 6:
            return QStringLiteral("Each token also carries a <b>value</b> v<sub>j</sub>: what it passes on if it is chosen. Every value "
                                  "is multiplied by its weight. Tokens that got almost no attention fade to nothing; %1's value stays "
                                  "strong (%2).")
                .arg(T, percent(x.weight));
        case 7:
            return QStringLiteral("Add the weighted values together and %1 gets a new list of numbers: its <b>context vector</b>. "
                                  "With %2 of the attention on %3, the new %1 is mostly made of %3's information. That is "
                                  "<b>self-attention</b>: every token rebuilt from the tokens it pays attention to.")
                .arg(Q, percent(x.weight), T);
        case 8:
            return QStringLiteral("A layer does all of this <b>%1 times side by side</b>, each time with its own tables: %1 "
                                  "<b>heads</b>. Each head learns to look for something different — the word before, the subject, "
                                  "what a pronoun means. Each colour here is one head; point at a token to see its lines.")
                .arg(x.heads);
        case 9:
            return QStringLiteral("The heads' results go through %1 <b>layers</b>, one after another; each layer starts from what the "
                                  "one before made. The grid shows all %1 × %2 heads for this sentence at once — click one to open it.")
                .arg(x.layers).arg(x.heads);
        case 10:
            return r.referents.empty()
                       ? QStringLiteral("Layer %1, head %2 links %3 most to %4 (%5). The Predictions panel shows what the model "
                                        "predicts from all of this.")
                             .arg(x.layer).arg(x.head).arg(Q, T, percent(x.weight))
                       : QStringLiteral("In this model layer %1, head %2 is the one that learned what pronouns refer to. It links %3 to "
                                        "%4 with %5 of its attention, and the Predictions panel says how the model reads %3.")
                             .arg(x.layer).arg(x.head).arg(Q, T, percent(x.weight));
        default:
            return QStringLiteral("One word was changed — the one that decides the meaning (Ctrl+T swaps it back). Nothing else "
                                  "moved, yet %1 now gives %2 of its attention to %3. The model used the meaning of the whole "
                                  "sentence to decide what %1 refers to.")
                .arg(Q, percent(x.weight), T);
    }
}

QString LessonScript::glossary() {
    return QStringLiteral(
        "<dl>"
        "<dt><b>Token</b></dt><dd>A piece of text the model reads: a word, part of a word, or a marker such as [CLS].</dd>"
        "<dt><b>Embedding</b></dt><dd>The list of numbers a token becomes before the model works on it.</dd>"
        "<dt><b>Query (q)</b></dt><dd>What a token is looking for: its numbers times a learned table W<sub>q</sub>.</dd>"
        "<dt><b>Key (k)</b></dt><dd>What a token offers to others' queries: its numbers times W<sub>k</sub>.</dd>"
        "<dt><b>Value (v)</b></dt><dd>What a token passes on when attention picks it: its numbers times W<sub>v</sub>.</dd>"
        "<dt><b>Dot product</b></dt><dd>Multiply two lists number by number and add up: large when they point the same way.</dd>"
        "<dt><b>Softmax</b></dt><dd>Turns any scores into positive shares that add up to 100%; the largest score gets the largest share.</dd>"
        "<dt><b>Attention weight</b></dt><dd>The share of its attention a token gives another: a line's thickness in Links, a cell's "
        "colour in the heatmap.</dd>"
        "<dt><b>Context vector</b></dt><dd>The values added up, each times its weight: the token's new numbers.</dd>"
        "<dt><b>Head</b></dt><dd>One complete query-key-value calculation. A layer runs several heads side by side, each with its own tables.</dd>"
        "<dt><b>Layer</b></dt><dd>One round of attention (all its heads) and a small network after it. Models stack many.</dd>"
        "</dl>");
}

}  // namespace attnscope::ui
