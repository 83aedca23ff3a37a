// File: connac/connac.h
//
// Umbrella header: everything in the connac core. Prefer including the specific header.

#ifndef CONNAC_CONNAC_H_
#define CONNAC_CONNAC_H_

#include "connac/bytes.h"
#include "connac/check.h"
#include "connac/device.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"
#include "connac/status.h"
#include "connac/time.h"
#include "connac/wifi.h"
#include "connac/wire.h"

#endif  // CONNAC_CONNAC_H_
