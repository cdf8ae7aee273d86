// placeholder: being written
#include "pmoe-matrix-io.h"
