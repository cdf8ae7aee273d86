/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-batch-policy.h"

#include "ns3/photonic-moe-type-names.h"
#include "ns3/pmoe-units.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MoeBatchPolicy);
NS_OBJECT_ENSURE_REGISTERED(MoeNoOverlapBatchPolicy);
NS_OBJECT_ENSURE_REGISTERED(MoePerMatchingBatchPolicy);
NS_OBJECT_ENSURE_REGISTERED(MoeThresholdBatchPolicy);
NS_OBJECT_ENSURE_REGISTERED(MoeStreamingBatchPolicy);

TypeId
MoeBatchPolicy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MoeBatchPolicy").SetParent<Object>().SetGroupName("PhotonicMoe");
    return tid;
}

MoeBatchPolicy::~MoeBatchPolicy() = default;

bool
MoeBatchPolicy::BatchAtLayerStart() const
{
    return false;
}

bool
MoeBatchPolicy::BatchNow(uint64_t /* pendingCopies */) const
{
    return false;
}

Time
MoeBatchPolicy::MaxWait() const
{
    return Time::Max();
}

Time
MoeBatchPolicy::PhaseEndDelay() const
{
    return Time::Max();
}

bool
MoeBatchPolicy::StreamWhenIdle(uint64_t /* pendingCopies */) const
{
    return false;
}

TypeId
MoeNoOverlapBatchPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MoeNoOverlapBatchPolicy")
                            .SetParent<MoeBatchPolicy>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<MoeNoOverlapBatchPolicy>();
    return tid;
}

std::string
MoeNoOverlapBatchPolicy::GetName() const
{
    return "none";
}

TypeId
MoePerMatchingBatchPolicy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MoePerMatchingBatchPolicy")
            .SetParent<MoeBatchPolicy>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<MoePerMatchingBatchPolicy>()
            .AddAttribute("PhaseSlack",
                          "Wait after a phase's light goes off before forming its batch "
                          "(propagation and the last frames).",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&MoePerMatchingBatchPolicy::m_phaseSlack),
                          MakeTimeChecker(Time(0)));
    return tid;
}

MoePerMatchingBatchPolicy::MoePerMatchingBatchPolicy()
    : m_phaseSlack(MicroSeconds(1))
{
}

bool
MoePerMatchingBatchPolicy::BatchAtLayerStart() const
{
    return true;
}

Time
MoePerMatchingBatchPolicy::PhaseEndDelay() const
{
    return m_phaseSlack;
}

std::string
MoePerMatchingBatchPolicy::GetName() const
{
    return "per-matching";
}

TypeId
MoeThresholdBatchPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MoeThresholdBatchPolicy")
                            .SetParent<MoeBatchPolicy>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<MoeThresholdBatchPolicy>()
                            .AddAttribute("Copies",
                                          "Pending token copies that trigger a batch (>= 1).",
                                          UintegerValue(256),
                                          MakeUintegerAccessor(&MoeThresholdBatchPolicy::m_copies),
                                          MakeUintegerChecker<uint64_t>(1))
                            .AddAttribute("Timeout",
                                          "Longest wait after the first pending arrival.",
                                          TimeValue(MicroSeconds(50)),
                                          MakeTimeAccessor(&MoeThresholdBatchPolicy::m_timeout),
                                          MakeTimeChecker(Time(0)));
    return tid;
}

MoeThresholdBatchPolicy::MoeThresholdBatchPolicy()
    : m_timeout(MicroSeconds(50))
{
}

bool
MoeThresholdBatchPolicy::BatchNow(uint64_t pendingCopies) const
{
    return pendingCopies >= m_copies;
}

Time
MoeThresholdBatchPolicy::MaxWait() const
{
    return m_timeout;
}

std::string
MoeThresholdBatchPolicy::GetName() const
{
    return "threshold";
}

TypeId
MoeStreamingBatchPolicy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MoeStreamingBatchPolicy")
            .SetParent<MoeBatchPolicy>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<MoeStreamingBatchPolicy>()
            .AddAttribute("MinCopies",
                          "Smallest chunk (pending token copies) launched while the dispatch is "
                          "still arriving (>= 1); the rest is batched when the dispatch is "
                          "complete.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&MoeStreamingBatchPolicy::m_minCopies),
                          MakeUintegerChecker<uint64_t>(1));
    return tid;
}

bool
MoeStreamingBatchPolicy::BatchAtLayerStart() const
{
    return true;
}

bool
MoeStreamingBatchPolicy::StreamWhenIdle(uint64_t pendingCopies) const
{
    return pendingCopies >= m_minCopies;
}

std::string
MoeStreamingBatchPolicy::GetName() const
{
    return "streaming";
}

std::string
MoeBatchPolicyTypeName(const std::string& name)
{
    static const PmoeShortTypeName kPolicies[] = {
        {"none", "ns3::MoeNoOverlapBatchPolicy"},
        {"per-matching", "ns3::MoePerMatchingBatchPolicy"},
        {"threshold", "ns3::MoeThresholdBatchPolicy"},
        {"streaming", "ns3::MoeStreamingBatchPolicy"}};
    return PmoeTypeNameOf(kPolicies, name, "overlap policy");
}

} // namespace ns3
