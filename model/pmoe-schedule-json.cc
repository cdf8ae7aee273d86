// placeholder: being written
#include "pmoe-schedule-json.h"
