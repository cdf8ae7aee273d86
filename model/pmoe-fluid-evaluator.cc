// placeholder: being written
#include "pmoe-fluid-evaluator.h"
