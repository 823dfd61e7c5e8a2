#include "splitcheck/testkit/tracker/tracker_contract.h"

#include <cstdint>
#include <string>

namespace splitcheck::testkit {

SPLITCHECK_TRACKER_CONTRACT_INSTANCES_(template, std::int64_t);
SPLITCHECK_TRACKER_CONTRACT_INSTANCES_(template, std::string);

}  // namespace splitcheck::testkit
