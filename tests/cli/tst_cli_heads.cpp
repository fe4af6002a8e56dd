// attnscope-cli heads end to end: one input's statistics, ranking by a token pair, sorting, the
// table, a corpus split into shards and merged, and bad input.
#include "cli_runner.h"
#include "test_paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using attnscope::test::modelFixture;

namespace {

using Run = attnscope::test::CliRun;

Run run(const QStringList& args) { return attnscope::test::runCli(args); }
QJsonObject json(const QByteArray& bytes) { return QJsonDocument::fromJson(bytes).object(); }

const QString kText = QStringLiteral("the animal didn't cross the road because it was tired");

void writeLines(const QString& path, const QStringList& lines) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(lines.join(QLatin1Char('\n')).toUtf8() + "\n");
}

}  // namespace

class TestCliHeads : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oneInput();
    void rankedByAPair();
    void sortedAndTable();
    void corpusShardsMerge();
    void textRollout_data();
    void textRollout();
    void badInput_data();
    void badInput();

private:
    QTemporaryDir m_dir;
};

void TestCliHeads::oneInput() {
    const Run r = run({"heads", "--model", modelFixture("bert"), "--text", kText});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    QCOMPARE(o.value("tokens").toArray().first().toString(), QStringLiteral("[CLS]"));
    const QJsonArray heads = o.value("heads").toArray();
    QCOMPARE(heads.size(), 2 * 4);  // the fixture's 2 layers x 4 heads, layer-major
    QCOMPARE(heads[5].toObject().value("layer").toInt(), 1);
    QCOMPARE(heads[5].toObject().value("head").toInt(), 1);
    for (const char* key : {"entropy", "mean_distance", "to_special", "to_self", "to_previous", "to_next", "max_weight"})
        QVERIFY2(heads[0].toObject().contains(key), key);
    QVERIFY(!heads[0].toObject().contains("from_to"));
    const double entropy = heads[0].toObject().value("entropy").toDouble();
    QVERIFY(entropy > 0 && entropy <= std::log(double(o.value("tokens").toArray().size())) + 1e-9);
}

void TestCliHeads::rankedByAPair() {
    const Run r = run({"heads", "--model", modelFixture("bert"), "--text", kText, "--from", "8", "--to", "2"});
    QCOMPARE(r.status, 0);
    const QJsonArray heads = json(r.out).value("heads").toArray();
    for (int i = 1; i < heads.size(); ++i)  // highest first
        QVERIFY(heads[i - 1].toObject().value("from_to").toDouble() >= heads[i].toObject().value("from_to").toDouble());
}

void TestCliHeads::sortedAndTable() {
    const Run up = run({"heads", "--model", modelFixture("bert"), "--text", kText, "--sort", "-entropy"});
    QCOMPARE(up.status, 0);
    const QJsonArray heads = json(up.out).value("heads").toArray();
    for (int i = 1; i < heads.size(); ++i)
        QVERIFY(heads[i - 1].toObject().value("entropy").toDouble() <= heads[i].toObject().value("entropy").toDouble());
    const Run table = run({"heads", "--model", modelFixture("bert"), "--text", kText, "--format", "table"});
    QCOMPARE(table.status, 0);
    const QList<QByteArray> lines = table.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 8);
    QVERIFY(lines[0].contains("entropy") && lines[0].contains("max_weight"));
}

// A corpus split in two shards (partial sums) and merged gives what one run over it gives.
void TestCliHeads::corpusShardsMerge() {
    const QStringList texts{kText, QStringLiteral("the cat sat on the mat"), QStringLiteral("it was wide"), QString(),
                            QStringLiteral("the road was too wide for the animal")};
    const QString all = m_dir.filePath("all.txt"), a = m_dir.filePath("a.txt"), b = m_dir.filePath("b.txt");
    writeLines(all, texts);
    writeLines(a, texts.mid(0, 2));
    writeLines(b, texts.mid(2));
    const Run whole = run({"heads", "--model", modelFixture("bert"), "--corpus", all});
    QCOMPARE(whole.status, 0);
    QVERIFY(whole.err.contains("heads: 4 texts"));  // the progress line; the empty line skipped
    QCOMPARE(json(whole.out).value("texts").toInt(), 4);
    QCOMPARE(run({"heads", "--model", modelFixture("bert"), "--corpus", a, "--partial", m_dir.filePath("a.json")}).status, 0);
    QCOMPARE(run({"heads", "--model", modelFixture("bert"), "--corpus", b, "--partial", m_dir.filePath("b.json")}).status, 0);
    const Run merged = run({"heads", "--merge", m_dir.filePath("a.json"), m_dir.filePath("b.json")});
    QCOMPARE(merged.status, 0);
    // Equal up to float rounding: the same text's forward pass can differ in the last bits with what ran
    // before it in the process (buffer alignment changes the kernels' summation order).
    const QJsonArray x = json(whole.out).value("heads").toArray(), y = json(merged.out).value("heads").toArray();
    QCOMPARE(x.size(), y.size());
    for (int i = 0; i < x.size(); ++i)
        for (const char* key : {"entropy", "to_special", "max_weight"})
            QVERIFY(std::abs(x[i].toObject().value(key).toDouble() - y[i].toObject().value(key).toDouble()) < 1e-6);
    // Shards of different models do not merge.
    QCOMPARE(run({"heads", "--model", modelFixture("gpt2"), "--corpus", b, "--partial", m_dir.filePath("g.json")}).status, 0);
    const Run mixed = run({"heads", "--merge", m_dir.filePath("a.json"), m_dir.filePath("g.json")});
    QCOMPARE(mixed.status, 2);
    QVERIFY(mixed.err.contains("different models"));
}

void TestCliHeads::textRollout_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("causal");
    QTest::newRow("bert") << "bert" << false;
    QTest::newRow("gpt2") << "gpt2" << true;
}

// The text rollout: n x n, each row a distribution (a product of row-stochastic matrices), and for a
// decoder nothing from later tokens.
void TestCliHeads::textRollout() {
    QFETCH(QString, model);
    QFETCH(bool, causal);
    const Run r = run({"rollout", "--model", modelFixture(model), "--text", kText, "--fusion", "max", "--discard", "0.2"});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    const int n = o.value("tokens").toArray().size();
    const QJsonArray rows = o.value("rollout").toArray();
    QCOMPARE(rows.size(), n);
    for (int i = 0; i < n; ++i) {
        const QJsonArray row = rows[i].toArray();
        QCOMPARE(row.size(), n);
        double sum = 0;
        for (int j = 0; j < n; ++j) {
            sum += row[j].toDouble();
            if (causal && j > i) QCOMPARE(row[j].toDouble(), 0.0);
        }
        QVERIFY2(std::abs(sum - 1) < 1e-4, qPrintable(QString::number(sum)));
    }
    const QString npy = m_dir.filePath(model + "-rollout.npy");
    QCOMPARE(run({"rollout", "--model", modelFixture(model), "--text", kText, "--format", "npy", "--out", npy}).status, 0);
    QFile f(npy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains(QStringLiteral("'shape': (%1, %1)").arg(n).toUtf8()));
}

void TestCliHeads::badInput_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString bert = modelFixture("bert");
    QTest::newRow("no input") << QStringList{"heads", "--model", bert} << "give one of --text, --image, --trace or --corpus";
    QTest::newRow("two inputs") << QStringList{"heads", "--model", bert, "--text", "a", "--corpus", "x"} << "give one of --text, --image, --trace or --corpus";
    QTest::newRow("from alone") << QStringList{"heads", "--model", bert, "--text", "a", "--from", "1"} << "--from and --to go together";
    QTest::newRow("from out of range") << QStringList{"heads", "--model", bert, "--text", "a b", "--from", "9", "--to", "0"}
                                       << "--from must be an integer from 0 to 3, not '9'";
    QTest::newRow("bad sort") << QStringList{"heads", "--model", bert, "--text", "a", "--sort", "size"} << "--sort must be one of entropy";
    QTest::newRow("bad format") << QStringList{"heads", "--model", bert, "--text", "a", "--format", "csv"} << "--format must be json or table";
    QTest::newRow("missing corpus") << QStringList{"heads", "--model", bert, "--corpus", "/nonexistent/c.txt"} << "no such file";
    QTest::newRow("pair with corpus") << QStringList{"heads", "--model", bert, "--corpus", "x", "--from", "1", "--to", "2"} << "do not apply to a --corpus";
    QTest::newRow("merge nothing") << QStringList{"heads", "--merge"} << "--merge needs the partial files";
    QTest::newRow("merge a non-partial") << QStringList{"heads", "--merge", bert + "/config.json"} << "not a partial head statistics file";
    QTest::newRow("partial without corpus") << QStringList{"heads", "--model", bert, "--text", "a", "--partial", "p.json"}
                                            << "--partial goes with --corpus or --merge";
    QTest::newRow("rollout: no input") << QStringList{"rollout", "--model", bert} << "give one of --image, --text or --trace";
    QTest::newRow("rollout: npy to stdout") << QStringList{"rollout", "--model", bert, "--text", "a", "--format", "npy"} << "--format npy needs --out";
    QTest::newRow("rollout: bad format") << QStringList{"rollout", "--model", bert, "--text", "a", "--format", "csv"} << "--format must be json or npy";
    QTest::newRow("stray argument") << QStringList{"heads", "--model", bert, "--text", "a", "extra"} << "unexpected argument 'extra'";
}

void TestCliHeads::badInput() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = run(args);
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);  // one line
    QVERIFY(r.out.isEmpty());
}

QTEST_MAIN(TestCliHeads)
#include "tst_cli_heads.moc"
