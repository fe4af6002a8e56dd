// .attnscope session files: round trip and bad input.
#include "session/session_file.h"

#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;

class TestSessionFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void rejects_data();
    void rejects();
    void relativeModelPath();
    void viewStateRoundTrip();
    void viewSettingsRoundTrip();
};

namespace {

// A session with every view option away from its default.
SessionFile exampleSession() {
    SessionFile s;
    s.modelPath = QStringLiteral("/models/bert");
    s.modelName = QStringLiteral("bert-base-uncased");
    s.modelType = QStringLiteral("bert");
    s.text = QStringLiteral("The animal didn't cross the road because it was tired.");
    s.view = QStringLiteral("qkv");
    s.layer = 5;
    s.head = 4;
    s.headMode = HeadMode::All;
    s.token = 10;
    s.colormap = ColormapId::Cividis;
    s.logScale = true;
    s.hideFirstToken = true;
    s.threshold = 0.25f;
    s.linkDirection = LinkDirection::AttendedBy;
    s.qkvStep = 6;
    s.hiddenHeads = {1, 3};
    s.valueWeighted = true;
    s.ablated = {{0, 1}, {5, 4}};
    s.image.overlay = ImageOverlay::Dino;
    s.image.opacity = 0.3f;
    return s;
}

}  // namespace

void TestSessionFile::roundTrip() {
    const SessionFile s = exampleSession();
    auto back = sessionFromJson(sessionToJson(s));
    QVERIFY2(back, qPrintable(back.message()));
    QCOMPARE(back->modelPath, s.modelPath);
    QCOMPARE(back->text, s.text);
    QCOMPARE(back->view, s.view);
    QCOMPARE(back->layer, 5);
    QCOMPARE(back->head, 4);
    QCOMPARE(int(back->headMode), int(HeadMode::All));
    QCOMPARE(back->token, 10);
    QVERIFY(back->valueWeighted);
    QVERIFY(back->ablated == s.ablated);
    QCOMPARE(int(back->colormap), int(ColormapId::Cividis));
    QCOMPARE(back->logScale, true);
    QCOMPARE(back->hideFirstToken, true);
    QCOMPARE(back->threshold, 0.25f);
    QCOMPARE(back->qkvStep, 6);
    QCOMPARE(back->hiddenHeads, (QList<int>{1, 3}));
    QCOMPARE(int(back->linkDirection), int(LinkDirection::AttendedBy));
    QVERIFY(back->image == s.image);
}

void TestSessionFile::rejects_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not JSON") << QByteArray("{oops") << "not a JSON object";
    QTest::newRow("other format") << QByteArray("{\"format\": \"x\"}") << "not an AttnScope session";
    QTest::newRow("newer version") << QByteArray("{\"format\": \"attnscope-session\", \"version\": 99}") << "newer";
    QTest::newRow("no model") << QByteArray("{\"format\": \"attnscope-session\", \"version\": 1}") << "names no model";
    QTest::newRow("bad colormap") << QByteArray("{\"format\": \"attnscope-session\", \"version\": 1, \"model\": {\"path\": \"/m\"}, \"colormap\": \"jet\"}")
                                  << "unknown colormap 'jet'";
    QTest::newRow("hidden heads not a list")
        << QByteArray("{\"format\": \"attnscope-session\", \"version\": 1, \"model\": {\"path\": \"/m\"}, \"hidden_heads\": 3}")
        << "hidden_heads must be a list of head numbers";
    QTest::newRow("hidden heads not numbers")
        << QByteArray("{\"format\": \"attnscope-session\", \"version\": 1, \"model\": {\"path\": \"/m\"}, \"hidden_heads\": [1, \"x\", -2]}")
        << "hidden_heads must be a list of head numbers";
    QTest::newRow("weights unknown") << QByteArray("{\"format\": \"attnscope-session\", \"version\": 1, \"model\": {\"path\": \"/m\"}, \"weights\": \"norms\"}")
                                     << "unknown weights 'norms'";
    QTest::newRow("ablated not pairs")
        << QByteArray("{\"format\": \"attnscope-session\", \"version\": 1, \"model\": {\"path\": \"/m\"}, \"ablated\": [[1, 2], [3]]}")
        << "ablated must be a list of [layer, head] pairs";
    QTest::newRow("ablated negative")
        << QByteArray("{\"format\": \"attnscope-session\", \"version\": 1, \"model\": {\"path\": \"/m\"}, \"ablated\": [[-1, 2]]}")
        << "ablated must be a list of [layer, head] pairs";
}

void TestSessionFile::rejects() {
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto s = sessionFromJson(json);
    QVERIFY(!s);
    QVERIFY2(s.message().contains(message), qPrintable(s.message()));
}

void TestSessionFile::relativeModelPath() {
    QTemporaryDir dir;
    SessionFile s;
    s.modelPath = QStringLiteral("models/tiny");
    QVERIFY(saveSession(dir.filePath(QStringLiteral("a.attnscope")), s).ok());
    auto back = loadSession(dir.filePath(QStringLiteral("a.attnscope")));
    QVERIFY(back);
    QCOMPARE(back->modelPath, dir.filePath(QStringLiteral("models/tiny")));
}

// A session's view part set on a view state and read back gives the same values; what the state's
// model cannot show is clamped (layer 40 of 12, token 50 of 20, head 30 of 12 hidden).
void TestSessionFile::viewStateRoundTrip() {
    SessionFile s = exampleSession();
    ViewState state;
    state.setLimits(12, 12, 20);
    applyViewState(s, &state);
    SessionFile back;
    readViewState(state, &back);
    QCOMPARE(back.layer, 5);
    QCOMPARE(back.head, 4);
    QCOMPARE(int(back.headMode), int(HeadMode::All));
    QCOMPARE(back.token, 10);
    QCOMPARE(int(back.colormap), int(ColormapId::Cividis));
    QVERIFY(back.logScale && back.hideFirstToken && back.valueWeighted);
    QCOMPARE(back.threshold, 0.25f);
    QCOMPARE(int(back.linkDirection), int(LinkDirection::AttendedBy));
    QCOMPARE(back.hiddenHeads, (QList<int>{1, 3}));
    QVERIFY(back.ablated == s.ablated);
    QVERIFY(back.image == s.image);

    s.layer = 40;
    s.token = 50;
    s.hiddenHeads = {30, 2};
    applyViewState(s, &state);
    readViewState(state, &back);
    QCOMPARE(back.layer, 11);
    QCOMPARE(back.token, -1);
    QCOMPARE(back.hiddenHeads, (QList<int>{2}));
}

// The view options kept between runs: saved and restored into a fresh state; a saved colour map
// the app does not know leaves the state's, a head mode out of range is clamped.
void TestSessionFile::viewSettingsRoundTrip() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(QStringLiteral("attnscope.ini")), QSettings::IniFormat);
    ViewState state;
    state.setColormap(ColormapId::Cividis);
    state.setLogScale(true);
    state.setThreshold(0.125f);
    state.setHeadMode(HeadMode::Average);
    saveViewSettings(state, &settings);
    ViewState back;
    restoreViewSettings(settings, &back);
    QCOMPARE(int(back.colormap()), int(ColormapId::Cividis));
    QVERIFY(back.logScale());
    QCOMPARE(back.threshold(), 0.125f);
    QCOMPARE(int(back.headMode()), int(HeadMode::Average));

    settings.setValue(QStringLiteral("view/colormap"), QStringLiteral("jet"));
    settings.setValue(QStringLiteral("view/headMode"), 7);
    ViewState odd;
    odd.setColormap(ColormapId::Magma);
    restoreViewSettings(settings, &odd);
    QCOMPARE(int(odd.colormap()), int(ColormapId::Magma));
    QCOMPARE(int(odd.headMode()), int(HeadMode::All));
}

QTEST_APPLESS_MAIN(TestSessionFile)
#include "tst_session_file.moc"
