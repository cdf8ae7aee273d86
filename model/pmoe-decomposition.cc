// placeholder: being written
#include "pmoe-decomposition.h"
