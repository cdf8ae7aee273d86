/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-units.h"

namespace ns3
{
namespace pmoe
{

namespace
{
// 128-bit intermediates keep bytes * 8e9 exact for any realistic byte count.
__extension__ typedef __int128 Wide;          // __extension__: no -Wpedantic warning
const Wide kBitsNsPerByteSecond = 8000000000; // 8 bits x 1e9 ns/s
} // namespace

Ns
TransmissionTimeNs(Bytes bytes, Bps rate)
{
    if (bytes < 0)
    {
        throw InputError("negative byte count " + std::to_string(bytes));
    }
    if (rate <= 0)
    {
        throw InputError("data rate must be positive, got " + std::to_string(rate) + " bit/s");
    }
    Wide num = static_cast<Wide>(bytes) * kBitsNsPerByteSecond;
    return static_cast<Ns>((num + rate - 1) / rate);
}

Bytes
BytesInNs(Ns duration, Bps rate)
{
    if (duration < 0)
    {
        throw InputError("negative duration " + std::to_string(duration) + " ns");
    }
    if (rate <= 0)
    {
        throw InputError("data rate must be positive, got " + std::to_string(rate) + " bit/s");
    }
    return static_cast<Bytes>(static_cast<Wide>(duration) * rate / kBitsNsPerByteSecond);
}

} // namespace pmoe
} // namespace ns3
