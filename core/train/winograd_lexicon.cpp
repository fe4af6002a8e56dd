#include "train/winograd_lexicon.h"

namespace attnscope::core::train {
namespace {

using C = Category;

// "dog/dogs", "m:man/men", "f:mary" (a name: no plural).
std::vector<Noun> parse(const char* list) {
    std::vector<Noun> nouns;
    for (const QString& item : QString::fromLatin1(list).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        Noun n;
        QString rest = item;
        if (rest.startsWith(QLatin1String("m:"))) n.gender = Gender::Male;
        if (rest.startsWith(QLatin1String("f:"))) n.gender = Gender::Female;
        if (rest.at(1) == QLatin1Char(':')) rest = rest.mid(2);
        const QStringList forms = rest.split(QLatin1Char('/'));
        n.singular = forms[0];
        n.plural = forms.value(1);
        nouns.push_back(n);
    }
    return nouns;
}

// "tired scared =caught" ("=": not gradable); "_" joins a phrase ("far_away", "not_hungry").
std::vector<Property> props(const char* list) {
    std::vector<Property> out;
    for (QString item : QString::fromLatin1(list).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        Property p;
        if (item.startsWith(QLatin1Char('='))) {
            p.gradable = false;
            item = item.mid(1);
        }
        p.text = item.replace(QLatin1Char('_'), QLatin1Char(' '));
        out.push_back(p);
    }
    return out;
}

QStringList alts(const char* list) { return QString::fromUtf8(list).split(QLatin1Char('|'), Qt::SkipEmptyParts); }

Frame frame(const char* name, std::vector<C> a, std::vector<C> b, const char* main, const char* question, const char* attempt,
            const char* passive, bool degree, const char* forA, const char* forB, const char* connector = "because") {
    return Frame{QString::fromLatin1(name), std::move(a), std::move(b), alts(main), alts(question), alts(attempt), alts(passive),
                 QString::fromLatin1(connector), degree, props(forA), props(forB)};
}

}  // namespace

const std::vector<std::vector<Noun>>& nounsByCategory() {
    static const std::vector<std::vector<Noun>> nouns = [] {
        std::vector<std::vector<Noun>> n(static_cast<size_t>(C::Count));
        n[size_t(C::Animal)] = parse(
            "animal/animals dog/dogs cat/cats horse/horses rabbit/rabbits fox/foxes cow/cows goat/goats deer/deer bear/bears "
            "wolf/wolves lion/lions tiger/tigers mouse/mice rat/rats sheep/sheep pig/pigs duck/ducks chicken/chickens bird/birds "
            "owl/owls eagle/eagles snake/snakes frog/frogs turtle/turtles monkey/monkeys elephant/elephants zebra camel donkey "
            "squirrel/squirrels puppy kitten pony bull/bulls lamb hen goose/geese crow/crows hawk/hawks whale/whales "
            "dolphin/dolphins cat/cats bee/bees spider/spiders");
        n[size_t(C::Person)] = parse(
            "m:man/men f:woman/women m:boy/boys f:girl/girls m:father/fathers f:mother/mothers m:king/kings f:queen/queens "
            "m:brother/brothers f:sister/sisters m:uncle/uncles f:aunt m:husband/husbands f:wife/wives m:son/sons "
            "f:daughter/daughters m:grandfather f:grandmother m:prince/princes f:princess m:actor/actors f:actress "
            "m:waiter f:waitress f:lady/ladies m:gentleman/gentlemen teacher/teachers student/students doctor/doctors "
            "nurse/nurses farmer/farmers child/children driver/drivers lawyer/lawyers pilot/pilots chef/chefs baker "
            "officer/officers soldier/soldiers worker/workers player/players singer/singers artist/artists writer/writers "
            "judge/judges coach/coaches neighbor/neighbors friend/friends customer/customers guest/guests patient/patients "
            "stranger/strangers manager/managers boss/bosses traveler/travelers runner/runners kid/kids baby/babies "
            "guard/guards captain/captains visitor/visitors tourist/tourists");
        n[size_t(C::Name)] = parse(
            "m:john f:mary m:tom f:anna f:sarah m:david m:james f:emma f:lucy m:peter m:paul m:mark f:susan f:alice m:bob "
            "m:jack f:kate m:ben m:mike f:lisa f:linda m:george m:henry f:emily f:olivia f:sophie m:adam f:jane m:tim f:amy");
        n[size_t(C::Item)] = parse(
            "trophy/trophies ball/balls book/books toy/toys bottle/bottles lamp/lamps stone/stones vase chair/chairs "
            "table/tables piano/pianos painting/paintings mirror/mirrors clock/clocks computer/computers phone/phones "
            "rock/rocks guitar/guitars camera/cameras radio/radios hammer statue/statues laptop "
            "television umbrella helmet/helmets shoe/shoes plate/plates");
        n[size_t(C::Container)] = parse(
            "suitcase box/boxes bag/bags basket/baskets drawer/drawers crate/crates bucket jar/jars "
            "bowl/bowls cup/cups pocket/pockets trunk/trunks cupboard closet backpack "
            "envelope bin tank/tanks pot/pots pan glass/glasses jug barrel/barrels sack/sacks "
            "wallet purse cabinet/cabinets fridge oven");
        n[size_t(C::Way)] = parse(
            "road/roads street/streets river/rivers bridge/bridges path/paths highway/highways canal/canals track/tracks "
            "field/fields lake/lakes hill/hills mountain/mountains valley/valleys stream/streams trail/trails lane/lanes "
            "creek/creeks pond/ponds desert/deserts forest/forests railway/railways square/squares");
        n[size_t(C::Obstacle)] = parse(
            "fence/fences wall/walls gate/gates hedge/hedges log/logs puddle ditch stream/streams "
            "rock/rocks box/boxes table/tables bench/benches");
        n[size_t(C::Opening)] = parse(
            "door/doors gate/gates tunnel/tunnels doorway window/windows hole/holes gap/gaps garage "
            "entrance/entrances hallway/hallways corridor/corridors");
        n[size_t(C::Vehicle)] = parse(
            "car/cars truck/trucks bus/buses bike/bikes boat/boats ship/ships train/trains plane/planes van/vans "
            "tractor/tractors taxi/taxis cart/carts bicycle/bicycles motorcycle/motorcycles jeep wagon/wagons "
            "canoe ferry yacht helicopter/helicopters");
        n[size_t(C::Food)] = parse(
            "apple/apples cake/cakes bread soup cheese pizza sandwich/sandwiches cookie/cookies pie meat rice "
            "pasta salad banana/bananas orange carrot egg/eggs steak burger chocolate "
            "candy pear cherry lemon potato/potatoes tomato/tomatoes sausage fish/fish "
            "milk juice tea coffee");
        n[size_t(C::Furniture)] = parse(
            "sofa bed/beds couch bench/benches mat/mats rug blanket/blankets pillow/pillows "
            "carpet/carpets cushion/cushions chair/chairs floor/floors grass");
        n[size_t(C::Cover)] = parse("blanket/blankets sheet/sheets cloth towel/towels rug carpet/carpets curtain/curtains");
        n[size_t(C::Sight)] = parse(
            "stage/stages screen/screens board/boards sign/signs moon ship/ships mountain/mountains bird/birds "
            "clock/clocks painting/paintings map/maps plane/planes star/stars");
        n[size_t(C::HighPlace)] = parse(
            "shelf/shelves cupboard branch/branches ceiling/ceilings roof/roofs window/windows button/buttons "
            "switch/switches handle/handles apple/apples");
        n[size_t(C::Purchase)] = parse(
            "car/cars house/houses bike/bikes ring/rings watch/watches dress/dresses phone/phones computer/computers "
            "ticket/tickets painting/paintings boat/boats laptop guitar/guitars jacket/jackets horse/horses");
        n[size_t(C::Task)] = parse(
            "test/tests exam/exams homework puzzle/puzzles race/races meal/meals job/jobs project/projects essay/essays "
            "report/reports game/games book/books lesson/lessons walk/walks");
        n[size_t(C::Text)] = parse(
            "letter/letters sign/signs book/books note/notes message/messages map/maps menu poster/posters "
            "label/labels card/cards");
        return n;
    }();
    return nouns;
}

const std::vector<Frame>& frames() {
    static const std::vector<Frame> all = {
        frame("cross", {C::Animal, C::Person, C::Name}, {C::Way},
              "{A} didn't cross {B}|{A} did not cross {B}|{A} wouldn't cross {B}|{A} couldn't cross {B}|{A} refused to cross {B}",
              "Why didn't {A} cross {B}?", "{A} wanted to cross {B}|{A} tried to cross {B}", "{B} wasn't crossed by {A}", false,
              "tired exhausted scared afraid lazy old sick weak slow sleepy frightened nervous",
              "wide busy icy flooded dangerous long steep crowded muddy deep"),
        frame("jump", {C::Animal, C::Person, C::Name}, {C::Obstacle},
              "{A} couldn't jump over {B}|{A} could not jump over {B}|{A} didn't jump over {B}|{A} couldn't climb over {B}",
              "Why couldn't {A} jump over {B}?", "{A} tried to jump over {B}|{A} wanted to climb over {B}", "", true,
              "old tired small weak fat short young slow heavy little", "high tall wide big long"),
        frame("fit", {C::Item, C::Food}, {C::Container},
              "{A} didn't fit in {B}|{A} doesn't fit into {B}|{A} wouldn't fit into {B}|{A} did not fit inside {B}|{A} won't fit in {B}",
              "Why didn't {A} fit in {B}?", "we tried to put {A} in {B}|I wanted to put {A} into {B}|{A} should have fit in {B}", "",
              true, "big large tall wide long huge heavy", "small narrow full tiny short"),
        frame("through", {C::Vehicle, C::Animal, C::Person, C::Item}, {C::Opening},
              "{A} couldn't fit through {B}|{A} couldn't go through {B}|{A} couldn't get through {B}|{A} didn't fit through {B}",
              "Why couldn't {A} go through {B}?", "{A} tried to go through {B}|{A} wanted to get through {B}", "", true,
              "big wide tall large fat long huge", "narrow small low tiny short"),
        frame("lift", {C::Person, C::Name, C::Animal}, {C::Item, C::Container, C::Person},
              "{A} couldn't lift {B}|{A} couldn't carry {B}|{A} could not pick up {B}|{A} couldn't move {B}",
              "Why couldn't {A} lift {B}?", "{A} tried to lift {B}|{A} tried to carry {B}", "", true,
              "weak small tired old young sick little", "heavy big large huge"),
        frame("eat", {C::Animal, C::Person, C::Name}, {C::Food},
              "{A} ate {B}|{A} ate all of {B}|{A} finished {B}|{A} loved {B}|{A} enjoyed {B}", "Why did {A} eat {B}?", "", "", false,
              "hungry starving greedy", "delicious fresh sweet tasty warm"),
        frame("refuse", {C::Animal, C::Person, C::Name}, {C::Food},
              "{A} didn't eat {B}|{A} wouldn't eat {B}|{A} refused to eat {B}|{A} didn't like {B}|{A} hated {B}",
              "Why didn't {A} eat {B}?|Why didn't {A} like {B}?", "{A} wanted to eat {B}|{A} tried to eat {B}", "", false,
              "full sick =not_hungry sad picky", "rotten cold burnt stale hot salty spicy bitter old"),
        frame("drop", {C::Person, C::Name}, {C::Item, C::Container, C::Food},
              "{A} dropped {B}|{A} let go of {B}|{A} almost dropped {B}", "Why did {A} drop {B}?", "{A} tried to hold {B}", "", false,
              "tired clumsy distracted sleepy nervous weak", "hot wet slippery heavy sharp greasy"),
        frame("thank", {C::Person, C::Name}, {C::Person, C::Name},
              "{A} thanked {B}|{A} said thank you to {B}", "Why did {A} thank {B}?", "", "{B} was thanked by {A}", false,
              "grateful pleased happy polite thankful", "helpful kind generous nice friendly"),
        frame("scold", {C::Person, C::Name}, {C::Person, C::Name},
              "{A} scolded {B}|{A} shouted at {B}|{A} yelled at {B}", "Why did {A} scold {B}?", "", "{B} was scolded by {A}", false,
              "angry strict upset annoyed furious", "late rude noisy lazy naughty careless"),
        frame("help", {C::Person, C::Name}, {C::Person, C::Name, C::Animal},
              "{A} helped {B}|{A} stopped to help {B}|{A} gave {B} a hand", "Why did {A} help {B}?", "", "{B} was helped by {A}", false,
              "kind strong friendly generous nice", "=lost sick hurt confused =stuck injured"),
        frame("chase", {C::Animal, C::Person}, {C::Animal},
              "{A} chased {B}|{A} ran after {B}|{A} followed {B}", "", "", "{B} was chased by {A}", false,
              "tired exhausted", "=caught =cornered =trapped =gone", "until"),
        frame("hide", {C::Animal, C::Person, C::Name}, {C::Animal, C::Person},
              "{A} hid from {B}|{A} ran away from {B}|{A} stayed away from {B}", "Why did {A} hide from {B}?", "", "", false,
              "scared afraid small shy frightened weak nervous", "dangerous angry mean scary fierce loud"),
        frame("pass", {C::Vehicle}, {C::Vehicle},
              "{A} passed {B}|{A} overtook {B}|{A} raced past {B}", "Why did {A} pass {B}?", "", "{B} was passed by {A}", false,
              "=faster =quicker fast", "=slower slow =broken =stuck old"),
        frame("race", {C::Person, C::Name, C::Animal}, {C::Person, C::Name, C::Animal},
              "{A} beat {B}|{A} won against {B}|{A} ran faster than {B}", "Why did {A} beat {B}?", "", "{B} was beaten by {A}", false,
              "=better =stronger =faster =smarter talented", "=worse =weaker =slower =injured nervous"),
        frame("pour", {C::Container}, {C::Container},
              "we poured the water from {A} into {B}|I poured the milk from {A} into {B}|the cook poured the soup from {A} into {B}",
              "", "", "", false, "=empty", "=full", "until"),
        frame("sleep", {C::Animal, C::Person, C::Name}, {C::Furniture},
              "{A} slept on {B}|{A} lay down on {B}|{A} sat on {B}|{A} fell asleep on {B}", "Why did {A} sleep on {B}?", "", "", false,
              "tired sleepy cold exhausted", "soft warm comfortable cozy"),
        frame("avoid", {C::Animal, C::Person, C::Name}, {C::Furniture},
              "{A} wouldn't sit on {B}|{A} didn't sit on {B}|{A} refused to lie on {B}", "Why didn't {A} sit on {B}?",
              "{A} wanted to sit on {B}", "", false, "restless busy nervous", "wet dirty =broken hard uncomfortable"),
        frame("see", {C::Person, C::Name, C::Animal}, {C::Sight},
              "{A} couldn't see {B}|{A} could not see {B}|{A} didn't see {B}", "Why couldn't {A} see {B}?",
              "{A} tried to see {B}|{A} wanted to watch {B}", "", true, "short little young", "far far_away dark tiny"),
        frame("reach", {C::Person, C::Name, C::Animal}, {C::HighPlace},
              "{A} couldn't reach {B}|{A} could not reach {B}|{A} didn't reach {B}", "Why couldn't {A} reach {B}?",
              "{A} tried to reach {B}|{A} wanted to reach {B}", "", true, "short small little young", "high far far_away"),
        frame("afford", {C::Person, C::Name}, {C::Purchase},
              "{A} couldn't afford {B}|{A} could not buy {B}|{A} didn't buy {B}", "Why didn't {A} buy {B}?",
              "{A} wanted to buy {B}", "", false, "poor =broke =unemployed", "expensive costly"),
        frame("open", {C::Animal, C::Person, C::Name}, {C::Container, C::Opening},
              "{A} couldn't open {B}|{A} could not open {B}|{A} didn't open {B}", "Why couldn't {A} open {B}?",
              "{A} tried to open {B}", "", false, "weak small tired little young", "=locked stuck heavy =sealed =closed tight"),
        frame("finish", {C::Person, C::Name}, {C::Task},
              "{A} didn't finish {B}|{A} couldn't finish {B}|{A} never finished {B}", "Why didn't {A} finish {B}?",
              "{A} tried to finish {B}", "{B} wasn't finished by {A}", false, "lazy tired sick slow busy distracted",
              "long hard difficult boring tricky complicated"),
        frame("feed", {C::Person, C::Name}, {C::Person, C::Name, C::Animal},
              "{A} brought {B} food|{A} gave {B} some food|{A} fed {B}|{A} made {B} dinner", "Why did {A} feed {B}?", "", "", false,
              "kind generous nice helpful", "hungry starving tired poor"),
        frame("bite", {C::Animal}, {C::Person, C::Name, C::Animal},
              "{A} bit {B}|{A} barked at {B}|{A} attacked {B}|{A} growled at {B}", "Why did {A} bite {B}?", "", "{B} was bitten by {A}",
              false, "angry scared hungry fierce", "rude mean annoying loud noisy"),
        frame("visit", {C::Person, C::Name}, {C::Person, C::Name},
              "{A} visited {B}|{A} called {B}|{A} went to see {B}", "Why did {A} visit {B}?", "", "{B} was visited by {A}", false,
              "worried lonely bored", "sick ill injured sad"),
        frame("lend", {C::Person, C::Name}, {C::Person, C::Name},
              "{A} lent {B} some money|{A} gave {B} some money|{A} paid for {B}", "Why did {A} lend {B} money?", "", "", false,
              "rich generous wealthy", "poor =broke =unemployed"),
        frame("tow", {C::Vehicle}, {C::Vehicle},
              "{A} towed {B}|{A} pulled {B}|{A} pushed {B}", "Why did {A} tow {B}?", "", "{B} was towed by {A}", false,
              "strong powerful big", "=broken =stuck damaged"),
        frame("break", {C::Item}, {C::Item, C::Container},
              "{A} broke {B}|{A} smashed {B}|{A} cracked {B}", "", "", "{B} was broken by {A}", false, "hard heavy fast",
              "fragile thin weak old"),
        frame("read", {C::Person, C::Name}, {C::Text},
              "{A} couldn't read {B}|{A} could not read {B}|{A} didn't read {B}", "Why couldn't {A} read {B}?",
              "{A} tried to read {B}", "", false, "tired sleepy young busy", "small faded messy long tiny"),
        frame("cover", {C::Cover}, {C::Furniture, C::Item, C::Vehicle},
              "{A} didn't cover {B}|{A} couldn't cover {B}|{A} did not cover {B}", "Why didn't {A} cover {B}?", "", "", true,
              "small short narrow tiny", "big wide long large huge"),
        frame("hear", {C::Person, C::Name, C::Animal}, {C::Person, C::Name},
              "{A} couldn't hear {B}|{A} could not hear {B}|{A} didn't hear {B}", "Why couldn't {A} hear {B}?",
              "{A} tried to hear {B}", "", false, "distracted sleepy busy", "quiet far far_away"),
        frame("trust", {C::Person, C::Name}, {C::Person, C::Name},
              "{A} didn't trust {B}|{A} didn't believe {B}|{A} never trusted {B}", "Why didn't {A} trust {B}?", "", "", false,
              "careful suspicious wise", "dishonest sneaky =lying rude"),
        frame("follow", {C::Animal, C::Person, C::Name}, {C::Person, C::Name},
              "{A} followed {B}|{A} stayed close to {B}|{A} walked behind {B}", "Why did {A} follow {B}?", "", "{B} was followed by {A}",
              false, "=lost curious scared lonely", "friendly kind =holding_food nice"),
        frame("carry", {C::Vehicle}, {C::Item, C::Container, C::Animal},
              "{A} couldn't carry {B}|{A} could not hold {B}|{A} didn't take {B}", "Why couldn't {A} carry {B}?",
              "we tried to load {B} onto {A}", "", true, "small full tiny", "heavy big large huge"),
    };
    return all;
}

const std::vector<Syntax>& syntaxes() {
    static const std::vector<Syntax> all = {
        {QStringLiteral("^{M} {C} {R}.")},
        {QStringLiteral("^{M}, {C} {R}.")},
        {QStringLiteral("^{M} {C} {R}!")},
        {QStringLiteral("^{PRE}, {M} {C} {R}.")},
        {QStringLiteral("^{PRE} {M} {C} {R}.")},
        {QStringLiteral("^{M} {C} {R}{POST}.")},
        {QStringLiteral("^{PRE}, {M}, {C} {R}.")},
        {QStringLiteral("Because {R}, {M}."), true},
        {QStringLiteral("Since {R}, {M}."), true},
        {QStringLiteral("^{PRE}, because {R}, {M}."), true},
        {QStringLiteral("^{M} since {R}."), true},
        {QStringLiteral("^{M} as {R}."), true},
        {QStringLiteral("^{M}. ^{R}."), true},
        {QStringLiteral("^{M}; {R}."), true},
        {QStringLiteral("^{M}: {R}."), true},
        {QStringLiteral("^{M} — {R}."), true},
        {QStringLiteral("^{Q} Because {R}."), true},
        {QStringLiteral("^{Q} ^{R}."), true},
        {QStringLiteral("^{T}, but {R}."), true},
        {QStringLiteral("^{T} but {R}."), true},
        {QStringLiteral("^{T}. But {R}."), true},
        {QStringLiteral("^{P} {C} {R}.")},
        {QStringLiteral("^{P}, {C} {R}.")},
        {QStringLiteral("^{RNP} {RBE} {DEG}, so {MR}."), true},
        {QStringLiteral("^{RNP} {RBE} {DEG} and {MR}."), true},
        {QStringLiteral("^{RNP} {RBE} {DEG}. That is why {MR}."), true},
        {QStringLiteral("^{R}, so {M}."), true},
        {QStringLiteral("^{SPK} {M} {C} {R}."), false, true},
        {QStringLiteral("^{SPK} that {M} {C} {R}."), false, true},
        {QStringLiteral("^{SPK}, \"^{M} {C} {R}.\""), false, true},
        {QStringLiteral("\"^{M} {C} {R},\" {SPK}."), false, true},
        {QStringLiteral("^{M} {C} {R}.") , false, false, 1},
        {QStringLiteral("^{M} {C} {R}."), false, false, 2},
        {QStringLiteral("^{PRE}, {M} {C} {R}."), false, false, 1},
        {QStringLiteral("Because {R}, {M}."), true, false, 1},
        {QStringLiteral("^{M} {C} {R}, so we went home.")},
        {QStringLiteral("^{M} {C} {R}, as always.")},
        {QStringLiteral("^{M} only {C} {R}.")},
        {QStringLiteral("^{M} simply {C} {R}.")},
        {QStringLiteral("^{M} {C}, as everyone knew, {R}.")},
        {QStringLiteral("Everyone knew that {M} {C} {R}.")},
        {QStringLiteral("^{M}, and that was {C} {R}."), true},
        {QStringLiteral("In the story, {M} {C} {R}.")},
        {QStringLiteral("^{M} {C} {R} and nobody could help."), true},
    };
    return all;
}

const QStringList& openingPhrases() {
    static const QStringList all = alts(
        "Yesterday|Last night|This morning|After a long day|After a long walk in the rain|On Monday|In the morning|Later that day|"
        "In the end|Sadly|Of course|Once again|Unfortunately|That afternoon|During the storm|At the end of the day|Last week|Today");
    return all;
}

const QStringList& closingPhrases() {
    static const QStringList all = alts(" that day| that morning| after the long trip| again| at the time| in the end| that night");
    return all;
}

const QStringList& speakers() {
    static const QStringList all = alts("Tom said|Mary said|the teacher said|my friend said|I think|we knew|she told us|he said|Dad said");
    return all;
}

const QStringList& nounModifiers() {
    static const QStringList all = alts(
        "from the village|near the house|in the picture|next to the school|from next door|that we saw yesterday|"
        "that I told you about|from the story|in the garden|at the farm|by the old mill");
    return all;
}

QStringList nounAdjectives(Category c) {
    switch (c) {
        case C::Animal: return alts("little|big|old|young|small|brown|black|white|gray|spotted");
        case C::Person: case C::Name: return alts("old|young|little|tall|new");
        case C::Way: case C::Obstacle: case C::Opening: return alts("old|new|long|stone|wooden|busy|narrow|wide|high");
        case C::Food: return alts("hot|warm|fresh|big|small|green");
        default: return alts("red|blue|green|brown|black|white|old|new|big|small|yellow|wooden");
    }
}

}  // namespace attnscope::core::train
