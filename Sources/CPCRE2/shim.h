// PCRE2 (8-bit code units) for the display filter's `matches` / `~` operator.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
