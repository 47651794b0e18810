#include "dissect_plugin_abi.h"

uint32_t dk_abi_header_version(void) { return DK_ABI_VERSION; }
