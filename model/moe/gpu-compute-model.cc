/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "gpu-compute-model.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/photonic-moe-enum-value.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GpuComputeModel");

NS_OBJECT_ENSURE_REGISTERED(GpuComputeModel);

TypeId
GpuComputeModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GpuComputeModel")
            .SetParent<Object>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<GpuComputeModel>()
            .AddAttribute("Preset",
                          "Expert shape from a model preset (deepseek-v3, mixtral-8x7b, "
                          "qwen3-235b-a22b, ...); empty = DeepSeek-V3's shape (h 7168, I 2048).",
                          StringValue(""),
                          MakeStringAccessor(&GpuComputeModel::m_preset),
                          MakeStringChecker())
            .AddAttribute("HiddenSize",
                          "Hidden size h; 0 = from the preset.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&GpuComputeModel::m_hiddenSize),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("FfnSize",
                          "Expert FFN size I; 0 = from the preset.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&GpuComputeModel::m_ffnSize),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("PeakFlops",
                          "Peak dense throughput P in FLOP/s (H100 BF16 989e12).",
                          DoubleValue(989e12),
                          MakeDoubleAccessor(&GpuComputeModel::m_peakFlops),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("MemoryBandwidth",
                          "HBM bandwidth BW in bytes/s (H100 3.35e12).",
                          DoubleValue(3.35e12),
                          MakeDoubleAccessor(&GpuComputeModel::m_memBandwidth),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("ComputeEfficiency",
                          "Achieved fraction of peak FLOP/s, eta_c in (0, 1].",
                          DoubleValue(0.62),
                          MakeDoubleAccessor(&GpuComputeModel::m_computeEfficiency),
                          MakeDoubleChecker<double>(0, 1))
            .AddAttribute("MemoryEfficiency",
                          "Achieved fraction of HBM bandwidth, eta_m in (0, 1].",
                          DoubleValue(0.72),
                          MakeDoubleAccessor(&GpuComputeModel::m_memoryEfficiency),
                          MakeDoubleChecker<double>(0, 1))
            .AddAttribute("FixedCost",
                          "Fixed time t_fix per launch (launch gaps and kernel tails).",
                          TimeValue(MicroSeconds(10)),
                          MakeTimeAccessor(&GpuComputeModel::m_fixedCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("WeightBytes",
                          "Bytes per weight element s_w (BF16 2, FP8 1).",
                          DoubleValue(2.0),
                          MakeDoubleAccessor(&GpuComputeModel::m_weightBytes),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("ActivationBytes",
                          "Bytes per activation element s_a.",
                          DoubleValue(2.0),
                          MakeDoubleAccessor(&GpuComputeModel::m_activationBytes),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("LaunchMode",
                          "grouped: one launch (one t_fix) per batch over all local experts; "
                          "per-expert: one launch per expert with tokens.",
                          MakePmoeEnumValue(pmoe::LaunchMode::GROUPED),
                          MakePmoeEnumAccessor(&GpuComputeModel::m_launchMode),
                          MakePmoeEnumChecker<pmoe::LaunchMode>())
            .AddAttribute(
                "Streams",
                "Number of batches the GPU runs at the same time (>= 1).",
                UintegerValue(1),
                MakeUintegerAccessor(&GpuComputeModel::SetStreams, &GpuComputeModel::GetStreams),
                MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("BatchStart",
                            "A batch starts: its tokens and its busy time.",
                            MakeTraceSourceAccessor(&GpuComputeModel::m_batchStartTrace),
                            "ns3::GpuComputeModel::BatchTracedCallback")
            .AddTraceSource("BatchEnd",
                            "A batch ends: its tokens and its busy time.",
                            MakeTraceSourceAccessor(&GpuComputeModel::m_batchEndTrace),
                            "ns3::GpuComputeModel::BatchTracedCallback");
    return tid;
}

GpuComputeModel::GpuComputeModel()
    : m_fixedCost(MicroSeconds(10)),
      m_streamBusy(1, false),
      m_streamEnd(1)
{
}

GpuComputeModel::~GpuComputeModel() = default;

void
GpuComputeModel::DoDispose()
{
    for (auto& ev : m_streamEnd)
    {
        ev.Cancel();
    }
    m_queue.clear();
    Object::DoDispose();
}

pmoe::ComputeParams
GpuComputeModel::GetParams() const
{
    pmoe::ComputeParams p =
        m_preset.empty() ? pmoe::ComputeParams() : pmoe::ComputeParams::FromPreset(m_preset);
    if (m_hiddenSize > 0)
    {
        p.hiddenSize = m_hiddenSize;
    }
    if (m_ffnSize > 0)
    {
        p.ffnSize = m_ffnSize;
    }
    p.peakFlops = m_peakFlops;
    p.memBandwidth = m_memBandwidth;
    p.computeEfficiency = m_computeEfficiency;
    p.memoryEfficiency = m_memoryEfficiency;
    p.fixedCostNs = m_fixedCost.GetNanoSeconds();
    p.weightBytes = m_weightBytes;
    p.activationBytes = m_activationBytes;
    p.Validate();
    return p;
}

pmoe::ComputeModel
GpuComputeModel::Model() const
{
    return pmoe::ComputeModel(GetParams());
}

pmoe::LaunchMode
GpuComputeModel::GetLaunchMode() const
{
    return m_launchMode;
}

uint32_t
GpuComputeModel::GetStreams() const
{
    return m_streams;
}

void
GpuComputeModel::SetStreams(uint32_t streams)
{
    if (streams == 0)
    {
        throw pmoe::InputError("GpuComputeModel Streams must be >= 1, got 0");
    }
    if (!m_queue.empty() ||
        std::find(m_streamBusy.begin(), m_streamBusy.end(), true) != m_streamBusy.end())
    {
        throw pmoe::InputError("GpuComputeModel Streams cannot change while batches run");
    }
    m_streams = streams;
    m_streamBusy.assign(streams, false);
    m_streamEnd.assign(streams, EventId());
}

Time
GpuComputeModel::BatchTime(const std::vector<uint64_t>& tokensPerLocalExpert) const
{
    return NanoSeconds(Model().BatchSetTimeNs(tokensPerLocalExpert, m_launchMode));
}

Time
GpuComputeModel::IdealTime(const std::vector<uint64_t>& tokensPerLocalExpert) const
{
    return NanoSeconds(Model().IdealComputeTimeNs(tokensPerLocalExpert, m_launchMode));
}

void
GpuComputeModel::Submit(const std::vector<uint64_t>& tokensPerLocalExpert, Callback<void> done)
{
    m_queue.push_back(Batch{tokensPerLocalExpert, done});
    StartBatches();
}

void
GpuComputeModel::StartBatches()
{
    for (uint32_t s = 0; s < m_streams && !m_queue.empty(); ++s)
    {
        if (m_streamBusy[s])
        {
            continue;
        }
        Batch b = std::move(m_queue.front());
        m_queue.pop_front();
        const uint64_t tokens = std::accumulate(b.tokens.begin(), b.tokens.end(), uint64_t{0});
        const Time duration = BatchTime(b.tokens);
        NS_LOG_INFO("stream " << s << " batch of " << tokens << " tokens for " << duration);
        m_streamBusy[s] = true;
        m_batchStartTrace(tokens, duration);
        m_streamEnd[s] = Simulator::Schedule(duration,
                                             &GpuComputeModel::EndBatch,
                                             this,
                                             s,
                                             tokens,
                                             duration,
                                             b.done);
    }
}

void
GpuComputeModel::EndBatch(uint32_t stream, uint64_t tokens, Time duration, Callback<void> done)
{
    m_streamBusy[stream] = false;
    m_busy += duration;
    ++m_batches;
    m_tokens += tokens;
    m_batchEndTrace(tokens, duration);
    if (!done.IsNull())
    {
        done();
    }
    StartBatches();
}

bool
GpuComputeModel::IsIdle() const
{
    return m_queue.empty() &&
           std::find(m_streamBusy.begin(), m_streamBusy.end(), true) == m_streamBusy.end();
}

Time
GpuComputeModel::GetBusyTime() const
{
    return m_busy;
}

uint64_t
GpuComputeModel::GetBatches() const
{
    return m_batches;
}

uint64_t
GpuComputeModel::GetTokens() const
{
    return m_tokens;
}

void
GpuComputeModel::ResetCounters()
{
    m_busy = Time(0);
    m_batches = 0;
    m_tokens = 0;
}

} // namespace ns3
