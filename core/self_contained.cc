// Includes every public core header, each first in turn would be ideal; together they must
// compile with CORE_COPTS and no other dependency.
#include "connac/bytes.h"
#include "connac/connac.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/status.h"
#include "connac/time.h"
#include "connac/keys.h"
