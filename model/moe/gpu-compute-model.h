/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef GPU_COMPUTE_MODEL_H
#define GPU_COMPUTE_MODEL_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/pmoe-compute-model.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * The GPU expert compute model of one host, aggregated to its Node: an ns-3 Object around
 * pmoe::ComputeModel (roofline with a fixed cost per launch, doc/parameters.rst) with every
 * constant an attribute.
 *
 * **Parameters.** The expert shape comes from the Preset attribute (a model preset name,
 * e.g. "deepseek-v3"); HiddenSize and FfnSize override it when non-zero. The hardware
 * constants (PeakFlops, MemoryBandwidth, efficiencies, FixedCost, element sizes) are
 * attributes of their own, so they are independent of the order in which attributes are set.
 *
 * **Execution.** Submit() queues a batch (tokens per local expert). Streams independent
 * executors run the queued batches in FIFO order, one batch at a time per stream; a batch
 * takes BatchSetTimeNs() under the LaunchMode ("grouped": one fixed cost per launch over all
 * local experts; "per-expert": one per expert with tokens). BatchStart and BatchEnd trace
 * every batch with its token count.
 */
class GpuComputeModel : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    GpuComputeModel();
    ~GpuComputeModel() override;

    /**
     * The constants currently configured (preset shape, overrides, hardware).
     * @return the parameters
     * @throws pmoe::InputError on an unknown preset or an invalid constant
     */
    pmoe::ComputeParams GetParams() const;

    /** @return the launch mode */
    pmoe::LaunchMode GetLaunchMode() const;

    /** @return the number of streams */
    uint32_t GetStreams() const;

    /**
     * Time of one batch (one launch in grouped mode).
     * @param tokensPerLocalExpert tokens of each local expert (zeros allowed)
     * @return the busy time; zero if there are no tokens
     */
    Time BatchTime(const std::vector<uint64_t>& tokensPerLocalExpert) const;

    /**
     * Ideal compute time: every expert's tokens in one batch.
     * @param tokensPerLocalExpert total tokens per local expert
     * @return the time
     */
    Time IdealTime(const std::vector<uint64_t>& tokensPerLocalExpert) const;

    /**
     * Queue a batch; @p done is called when it has been computed.
     * @param tokensPerLocalExpert tokens per local expert
     * @param done completion callback (may be null)
     */
    void Submit(const std::vector<uint64_t>& tokensPerLocalExpert, Callback<void> done);

    /** @return true if no batch runs or waits */
    bool IsIdle() const;

    /** @return total busy time of all streams so far */
    Time GetBusyTime() const;

    /** @return number of batches completed */
    uint64_t GetBatches() const;

    /** @return tokens computed (sum over completed batches) */
    uint64_t GetTokens() const;

    /** Reset the busy time, batch and token counters. */
    void ResetCounters();

    /**
     * TracedCallback signature for batch start and end.
     * @param tokens tokens in the batch (sum over local experts)
     * @param duration busy time of the batch
     */
    typedef void (*BatchTracedCallback)(uint64_t tokens, Time duration);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    /** A queued batch. */
    struct Batch
    {
        std::vector<uint64_t> tokens; //!< per local expert
        Callback<void> done;          //!< completion callback
    };

    /** Start queued batches on idle streams. */
    void StartBatches();
    /**
     * End of a batch on a stream.
     * @param stream the stream
     * @param tokens tokens of the batch
     * @param duration its busy time
     * @param done its callback
     */
    void EndBatch(uint32_t stream, uint64_t tokens, Time duration, Callback<void> done);
    /** @return a compute model for the current attributes */
    pmoe::ComputeModel Model() const;
    /** @param streams number of streams, >= 1 @throws pmoe::InputError otherwise */
    void SetStreams(uint32_t streams);

    std::string m_preset;             //!< model preset name ("" = default shape)
    uint64_t m_hiddenSize{0};         //!< h override (0 = preset)
    uint64_t m_ffnSize{0};            //!< I override (0 = preset)
    double m_peakFlops{989e12};       //!< P
    double m_memBandwidth{3.35e12};   //!< BW
    double m_computeEfficiency{0.62}; //!< eta_c
    double m_memoryEfficiency{0.72};  //!< eta_m
    Time m_fixedCost;                 //!< t_fix
    double m_weightBytes{2.0};        //!< s_w
    double m_activationBytes{2.0};    //!< s_a
    pmoe::LaunchMode m_launchMode{pmoe::LaunchMode::GROUPED}; //!< launch mode
    uint32_t m_streams{1};                                    //!< parallel streams

    std::deque<Batch> m_queue;        //!< batches waiting for a stream
    std::vector<bool> m_streamBusy;   //!< busy flag per stream
    std::vector<EventId> m_streamEnd; //!< end event per stream
    Time m_busy;                      //!< total busy time
    uint64_t m_batches{0};            //!< batches completed
    uint64_t m_tokens{0};             //!< tokens computed

    TracedCallback<uint64_t, Time> m_batchStartTrace; //!< BatchStart
    TracedCallback<uint64_t, Time> m_batchEndTrace;   //!< BatchEnd
};

} // namespace ns3

#endif /* GPU_COMPUTE_MODEL_H */
