/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_BATCH_POLICY_H
#define MOE_BATCH_POLICY_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * When a GPU turns the token copies that have arrived into an expert batch: how expert
 * compute overlaps with the dispatch (attribute MoeGpuApplication::BatchPolicy).
 *
 * Whatever the policy, a GPU batches everything still pending once its whole dispatch has
 * arrived. Before that it asks its policy at three moments: when it starts a layer (its
 * local copies are pending), when copies arrive, and when a dispatch phase (one circuit
 * configuration bringing data to it) ends. Each batch pays the compute model's fixed cost, so
 * a policy trades waiting against small batches.
 *
 * A policy may also ask to be called whenever the GPU's compute model has a free stream
 * (StreamWhenIdle()): then the pending copies are batched as soon as the GPU can run them.
 *
 * Built in: MoeNoOverlapBatchPolicy ("none"), MoePerMatchingBatchPolicy ("per-matching"),
 * MoeThresholdBatchPolicy ("threshold"), MoeStreamingBatchPolicy ("streaming"). A new
 * policy subclasses this class and is installed with MoeGpuApplicationHelper::SetBatchPolicy().
 */
class MoeBatchPolicy : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    ~MoeBatchPolicy() override;

    /** @return true to batch the local copies as soon as the layer starts */
    virtual bool BatchAtLayerStart() const;

    /**
     * @param pendingCopies token copies arrived and not batched yet (> 0)
     * @return true to batch them now
     */
    virtual bool BatchNow(uint64_t pendingCopies) const;

    /**
     * @return how long pending copies may wait after the first of them arrived before they
     *         are batched anyway; Time::Max(): no limit
     */
    virtual Time MaxWait() const;

    /**
     * @return how long after a dispatch phase that brought data ends its arrivals are
     *         batched; Time::Max(): phases do not matter
     */
    virtual Time PhaseEndDelay() const;

    /**
     * @param pendingCopies token copies arrived and not batched yet (> 0)
     * @return true to batch them now if the GPU has a compute stream free (asked on every
     *         arrival and whenever one of the GPU's batches ends); the default never does
     */
    virtual bool StreamWhenIdle(uint64_t pendingCopies) const;

    /** @return the policy's short name (as on the command line of the examples) */
    virtual std::string GetName() const = 0;
};

/**
 * @ingroup photonic-moe
 * "none": no overlap; one batch when the whole dispatch has arrived.
 */
class MoeNoOverlapBatchPolicy : public MoeBatchPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @return "none" */
    std::string GetName() const override;
};

/**
 * @ingroup photonic-moe
 * "per-matching" (the seed paper's overlap): the local copies at the layer start, then the
 * arrivals of each circuit phase at its end (plus PhaseSlack for propagation and the last
 * frames). On the ideal fabric, where there are no phases, it batches once at the end.
 */
class MoePerMatchingBatchPolicy : public MoeBatchPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoePerMatchingBatchPolicy();

    /** @return true */
    bool BatchAtLayerStart() const override;
    /** @return PhaseSlack */
    Time PhaseEndDelay() const override;
    /** @return "per-matching" */
    std::string GetName() const override;

  private:
    Time m_phaseSlack; //!< wait after a phase's light goes off
};

/**
 * @ingroup photonic-moe
 * "threshold": a batch once Copies token copies are pending, or Timeout after the first
 * pending arrival.
 */
class MoeThresholdBatchPolicy : public MoeBatchPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeThresholdBatchPolicy();

    /** @copydoc MoeBatchPolicy::BatchNow */
    bool BatchNow(uint64_t pendingCopies) const override;
    /** @return Timeout */
    Time MaxWait() const override;
    /** @return "threshold" */
    std::string GetName() const override;

  private:
    uint64_t m_copies{256}; //!< batch size in token copies
    Time m_timeout;         //!< longest wait
};

/**
 * @ingroup photonic-moe
 * "streaming": computes arrivals in chunks as they come. Whenever the GPU has a compute
 * stream free and at least MinCopies token copies are pending, they form a batch (a chunk of
 * each expert's tokens, one fixed cost per launch as for every batch); while the GPU
 * computes, new arrivals accumulate into the next chunk. The local copies are batched at the
 * layer start. The chunk size adapts to the arrival rate: small while the GPU is idle, larger
 * while it is busy. It needs no circuit phases, so it overlaps compute with the dispatch on
 * every fabric, the ideal one included.
 */
class MoeStreamingBatchPolicy : public MoeBatchPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @return true */
    bool BatchAtLayerStart() const override;
    /** @copydoc MoeBatchPolicy::StreamWhenIdle */
    bool StreamWhenIdle(uint64_t pendingCopies) const override;
    /** @return "streaming" */
    std::string GetName() const override;

  private:
    uint64_t m_minCopies{1}; //!< smallest chunk while the dispatch is still arriving
};

/**
 * @param name a built-in policy's short name: none, per-matching, threshold or streaming
 * @return its TypeId name, e.g. "ns3::MoeThresholdBatchPolicy"
 * @throws pmoe::InputError naming @p name otherwise
 */
std::string MoeBatchPolicyTypeName(const std::string& name);

} // namespace ns3

#endif /* MOE_BATCH_POLICY_H */
