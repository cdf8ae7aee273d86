// placeholder: being written
#include "pmoe-matching.h"
