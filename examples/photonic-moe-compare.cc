#include "ns3/pmoe-demand-matrix.h"

int
main()
{
    return 0;
}
