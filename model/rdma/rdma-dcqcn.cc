/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-dcqcn.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/pmoe-units.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RdmaDcqcn");

NS_OBJECT_ENSURE_REGISTERED(RdmaDcqcn);

namespace
{

/**
 * @param name attribute name
 * @param rate a rate
 * @throws pmoe::InputError naming the attribute and value if the rate is zero
 */
void
RequirePositiveRate(const char* name, const DataRate& rate)
{
    if (rate.GetBitRate() == 0)
    {
        throw pmoe::InputError(std::string("RdmaDcqcn::") + name + " must be > 0 bit/s, got 0");
    }
}

} // namespace

void
RdmaRequirePositive(const std::string& what, Time t)
{
    if (!t.IsStrictlyPositive())
    {
        throw pmoe::InputError(what + " must be > 0, got " + std::to_string(t.GetNanoSeconds()) +
                               " ns");
    }
}

TypeId
RdmaDcqcn::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RdmaDcqcn")
            .SetParent<Object>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<RdmaDcqcn>()
            .AddAttribute("Gain",
                          "g, the gain of the alpha moving average, in (0, 1]. Default 1/256: "
                          "DCQCN paper (Zhu et al., SIGCOMM 2015), Table 1.",
                          DoubleValue(1.0 / 256),
                          MakeDoubleAccessor(&RdmaDcqcn::SetGain, &RdmaDcqcn::GetGain),
                          MakeDoubleChecker<double>())
            .AddAttribute(
                "InitialAlpha",
                "alpha of a new queue pair, in [0, 1]. Default 1 (the first CNP halves "
                "the rate): the Mellanox NIC model of HPCC's ns-3 simulator "
                "(rdma-queue-pair.cc); the paper gives no initial value.",
                DoubleValue(1.0),
                MakeDoubleAccessor(&RdmaDcqcn::SetInitialAlpha, &RdmaDcqcn::GetInitialAlpha),
                MakeDoubleChecker<double>())
            .AddAttribute("AlphaTimer",
                          "K: alpha decays by (1 - g) once per K without a CNP (> 0). Default "
                          "1 us: ALPHA_RESUME_INTERVAL of the DCQCN configuration of HPCC's "
                          "ns-3 simulator (simulation/run.py, --cc dcqcn); the DCQCN paper's "
                          "55 us (Section 3.1) gives alpha a time constant of 14 ms.",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&RdmaDcqcn::SetAlphaTimer, &RdmaDcqcn::GetAlphaTimer),
                          MakeTimeChecker())
            .AddAttribute(
                "IncreaseTimer",
                "T: period of the rate-increase timer after a cut (> 0). Default "
                "55 us: DCQCN paper, Table 1 (Timer).",
                TimeValue(MicroSeconds(55)),
                MakeTimeAccessor(&RdmaDcqcn::SetIncreaseTimer, &RdmaDcqcn::GetIncreaseTimer),
                MakeTimeChecker())
            .AddAttribute(
                "ByteCounter",
                "B: bytes sent per byte-counter increase event (> 0). Default 10 MB: "
                "DCQCN paper, Table 1 (Byte counter).",
                UintegerValue(10000000),
                MakeUintegerAccessor(&RdmaDcqcn::SetByteCounter, &RdmaDcqcn::GetByteCounter),
                MakeUintegerChecker<uint64_t>())
            .AddAttribute("FastRecoverySteps",
                          "F: increase events of fast recovery after a cut. Default 5: DCQCN "
                          "paper, Section 3.1 (as QCN); also HPCC's FastRecoveryTimes.",
                          UintegerValue(5),
                          MakeUintegerAccessor(&RdmaDcqcn::m_fastRecoverySteps),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RateAi",
                          "R_AI: additive increase step of the target rate (> 0). Default "
                          "40 Mb/s: DCQCN paper, Section 5 (fluid-model parameters); the "
                          "Mellanox model in HPCC's simulator uses 5 Mb/s.",
                          DataRateValue(DataRate("40Mbps")),
                          MakeDataRateAccessor(&RdmaDcqcn::SetRateAi, &RdmaDcqcn::GetRateAi),
                          MakeDataRateChecker())
            .AddAttribute("RateHai",
                          "R_HAI: hyper increase step (> 0). Default 400 Mb/s = 10 R_AI: the "
                          "paper gives no value; QCN (IEEE 802.1Qau) and the Mellanox model in "
                          "HPCC's simulator (5 and 50 Mb/s) use R_HAI = 10 R_AI.",
                          DataRateValue(DataRate("400Mbps")),
                          MakeDataRateAccessor(&RdmaDcqcn::SetRateHai, &RdmaDcqcn::GetRateHai),
                          MakeDataRateChecker())
            .AddAttribute("MinRate",
                          "Lowest rate a cut may reach (> 0). Default 100 Mb/s: MinRate of the "
                          "Mellanox model in HPCC's simulator and of the DCQCN authors' ns-3 "
                          "code (the paper gives none).",
                          DataRateValue(DataRate("100Mbps")),
                          MakeDataRateAccessor(&RdmaDcqcn::SetMinRate, &RdmaDcqcn::GetMinRate),
                          MakeDataRateChecker());
    return tid;
}

RdmaDcqcn::RdmaDcqcn()
    : m_alphaTimer(MicroSeconds(1)),
      m_increaseTimer(MicroSeconds(55)),
      m_byteCounter(10000000),
      m_rateAi("40Mbps"),
      m_rateHai("400Mbps"),
      m_minRate("100Mbps")
{
}

RdmaDcqcn::~RdmaDcqcn() = default;

void
RdmaDcqcn::Init(RdmaDcqcnState& s, DataRate line) const
{
    s = RdmaDcqcnState();
    s.lineBps = static_cast<double>(line.GetBitRate());
    s.rc = s.lineBps;
    s.rt = s.lineBps;
    s.alpha = m_initialAlpha;
}

void
RdmaDcqcn::OnCnp(RdmaDcqcnState& s, Time now) const
{
    Update(s, now);
    // The alpha timer runs from the first CNP on (as in the NIC model of HPCC's simulator).
    const int64_t periods =
        s.rateCuts > 0 ? (now - s.alphaRef).GetNanoSeconds() / m_alphaTimer.GetNanoSeconds() : 0;
    if (periods > 0)
    {
        s.alpha *= std::pow(1.0 - m_g, static_cast<double>(periods));
    }
    s.rt = s.rc;
    s.rc = std::max(static_cast<double>(m_minRate.GetBitRate()), s.rc * (1.0 - s.alpha / 2));
    s.alpha = (1.0 - m_g) * s.alpha + m_g;
    s.alphaRef = now;
    s.timerRef = now;
    s.timerEvents = 0;
    s.byteEvents = 0;
    s.bytes = 0;
    s.limited = s.rc < s.lineBps;
    ++s.rateCuts;
    NS_LOG_LOGIC("CNP: rate " << s.rc << " target " << s.rt << " alpha " << s.alpha);
}

double
RdmaDcqcn::Update(RdmaDcqcnState& s, Time now) const
{
    while (s.limited && s.timerRef + m_increaseTimer <= now)
    {
        s.timerRef += m_increaseTimer;
        ++s.timerEvents;
        Increase(s);
    }
    return s.rc;
}

void
RdmaDcqcn::OnSent(RdmaDcqcnState& s, uint64_t bytes, Time now) const
{
    Update(s, now);
    if (!s.limited)
    {
        return;
    }
    s.bytes += bytes;
    while (s.limited && s.bytes >= m_byteCounter)
    {
        s.bytes -= m_byteCounter;
        ++s.byteEvents;
        Increase(s);
    }
}

void
RdmaDcqcn::Increase(RdmaDcqcnState& s) const
{
    const uint32_t most = std::max(s.timerEvents, s.byteEvents);
    const uint32_t least = std::min(s.timerEvents, s.byteEvents);
    if (least > m_fastRecoverySteps)
    {
        s.rt += static_cast<double>(least - m_fastRecoverySteps) *
                static_cast<double>(m_rateHai.GetBitRate());
    }
    else if (most > m_fastRecoverySteps)
    {
        s.rt += static_cast<double>(m_rateAi.GetBitRate());
    }
    s.rc = (s.rt + s.rc) / 2;
    if (s.rc >= s.lineBps)
    {
        // Back at the line rate: the controller is idle until the next CNP.
        s.rc = s.lineBps;
        s.rt = s.lineBps;
        s.limited = false;
        s.timerEvents = 0;
        s.byteEvents = 0;
        s.bytes = 0;
    }
}

void
RdmaDcqcn::SetGain(double g)
{
    if (!(g > 0 && g <= 1))
    {
        throw pmoe::InputError("RdmaDcqcn::Gain must be in (0, 1], got " + std::to_string(g));
    }
    m_g = g;
}

double
RdmaDcqcn::GetGain() const
{
    return m_g;
}

void
RdmaDcqcn::SetInitialAlpha(double alpha)
{
    if (!(alpha >= 0 && alpha <= 1))
    {
        throw pmoe::InputError("RdmaDcqcn::InitialAlpha must be in [0, 1], got " +
                               std::to_string(alpha));
    }
    m_initialAlpha = alpha;
}

double
RdmaDcqcn::GetInitialAlpha() const
{
    return m_initialAlpha;
}

void
RdmaDcqcn::SetAlphaTimer(Time t)
{
    RdmaRequirePositive("RdmaDcqcn::AlphaTimer", t);
    m_alphaTimer = t;
}

Time
RdmaDcqcn::GetAlphaTimer() const
{
    return m_alphaTimer;
}

void
RdmaDcqcn::SetIncreaseTimer(Time t)
{
    RdmaRequirePositive("RdmaDcqcn::IncreaseTimer", t);
    m_increaseTimer = t;
}

Time
RdmaDcqcn::GetIncreaseTimer() const
{
    return m_increaseTimer;
}

void
RdmaDcqcn::SetByteCounter(uint64_t bytes)
{
    if (bytes == 0)
    {
        throw pmoe::InputError("RdmaDcqcn::ByteCounter must be > 0 bytes, got 0");
    }
    m_byteCounter = bytes;
}

uint64_t
RdmaDcqcn::GetByteCounter() const
{
    return m_byteCounter;
}

void
RdmaDcqcn::SetRateAi(DataRate rate)
{
    RequirePositiveRate("RateAi", rate);
    m_rateAi = rate;
}

DataRate
RdmaDcqcn::GetRateAi() const
{
    return m_rateAi;
}

void
RdmaDcqcn::SetRateHai(DataRate rate)
{
    RequirePositiveRate("RateHai", rate);
    m_rateHai = rate;
}

DataRate
RdmaDcqcn::GetRateHai() const
{
    return m_rateHai;
}

void
RdmaDcqcn::SetMinRate(DataRate rate)
{
    RequirePositiveRate("MinRate", rate);
    m_minRate = rate;
}

DataRate
RdmaDcqcn::GetMinRate() const
{
    return m_minRate;
}

} // namespace ns3
