// Session files (.attnscope JSON): parsed into a SessionFile or refused with a message.
#include "fuzz_common.h"
#include "session/session_file.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto s = attnscope::ui::sessionFromJson(attnscope::fuzz::bytes(data, size));
    if (s) (void)attnscope::ui::sessionToJson(*s);
    return 0;
}
