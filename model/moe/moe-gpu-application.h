/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_GPU_APPLICATION_H
#define MOE_GPU_APPLICATION_H

#include "circuit-plan.h"
#include "gpu-compute-model.h"
#include "moe-batch-policy.h"
#include "moe-transport.h"
#include "moe-workload-data.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"
#include "ns3/type-id.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace ns3
{

class CircuitSchedulerApplication;

/**
 * @ingroup photonic-moe
 * A GPU running MoE layers: dispatch, expert compute in batches, combine.
 *
 * Per layer l:
 * 1. The GPU starts the layer (after the previous one plus NonMoeTime). With a circuit
 *    scheduler it reports its dispatch row (over the modelled control path) and releases
 *    bytes to each destination only when the plan it receives says that pair's circuit
 *    carries light; the residual is released after the pair's last circuit (or at the
 *    schedule start) and crosses the electrical fabric. Without a scheduler (ideal fabric) it
 *    releases the whole row at once.
 * 2. Received dispatch bytes are counted per source and converted to token copies
 *    (MoeWorkloadData::dispatchBytesPerCopy); a stream carries layers in order, so bytes
 *    beyond a layer's total belong to the next layer.
 * 3. The BatchPolicy decides when pending copies become a batch; a batch is turned into
 *    tokens per local expert (each source's copies split among its experts in proportion
 *    to the routing) and submitted to the node's GpuComputeModel.
 * 4. When a batch is computed, combine bytes for its copies become available towards each
 *    source; they are released at once on the ideal fabric, or as the combine plan allows.
 * 5. The layer is complete at this GPU when all of its combine bytes are back and its local
 *    tokens are computed.
 *
 * The Transport (a MoeTransport) moves the bytes; the application never touches a socket.
 * Statistics are trace sources (Tx, Rx, Batch, BatchDone, LayerStart, LayerDone): the
 * MoeStatsCollector helper turns them into per-layer and per-GPU results.
 */
class MoeGpuApplication : public Application
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeGpuApplication();
    ~MoeGpuApplication() override;

    /**
     * Configure the GPU (before the simulation starts).
     * @param workload the run's workload
     * @param index this GPU's index
     * @param endpoints every GPU of the layer, by index (for the transport)
     * @param scheduler circuit scheduler (null: ideal fabric, no circuit plan)
     * @throws pmoe::InputError on inconsistent data
     */
    void Setup(std::shared_ptr<const MoeWorkloadData> workload,
               uint32_t index,
               std::vector<MoeEndpoint> endpoints,
               Ptr<CircuitSchedulerApplication> scheduler);

    /**
     * Follow a circuit scheduler: report demand and readiness to it and release traffic as
     * its plans allow (before the simulation starts). Without one the GPU releases its
     * traffic at once (the ideal fabric).
     * @param scheduler the scheduler (null: none)
     */
    void SetScheduler(Ptr<CircuitSchedulerApplication> scheduler);

    /**
     * Install a transport object (e.g. with attributes of its own); the Transport attribute
     * creates one from its TypeId. Before Setup().
     * @param transport the transport
     */
    void SetTransport(Ptr<MoeTransport> transport);

    /** @return the transport */
    Ptr<MoeTransport> GetTransport() const;

    /**
     * Install a batch policy object; the BatchPolicy attribute creates one from its TypeId.
     * @param policy the policy
     */
    void SetBatchPolicy(Ptr<MoeBatchPolicy> policy);

    /** @return the batch policy */
    Ptr<MoeBatchPolicy> GetBatchPolicy() const;

    /**
     * Receive a circuit plan from the scheduler (called over the modelled control path).
     * @param plan the plan
     */
    void ReceivePlan(std::shared_ptr<const CircuitPlan> plan);

    /** @return this GPU's index */
    uint32_t GetIndex() const;

    /** @return the workload (null before Setup()) */
    std::shared_ptr<const MoeWorkloadData> GetWorkload() const;

    /** @return the number of layers completed */
    uint32_t GetLayersDone() const;

    /**
     * @return bytes received that belong to no layer or come from an unknown sender (a
     *         conservation error if > 0)
     */
    uint64_t GetUnexpectedBytes() const;

    /**
     * TracedCallback signature for layer events.
     * @param layer layer index
     */
    typedef void (*LayerTracedCallback)(uint32_t layer);

    /**
     * TracedCallback signature for bytes of a layer handed to or received from the transport.
     * @param kind MOE_DISPATCH or MOE_COMBINE
     * @param peer the other GPU
     * @param bytes bytes
     * @param layer the layer they belong to
     */
    typedef void (*TrafficTracedCallback)(uint32_t kind,
                                          uint32_t peer,
                                          uint64_t bytes,
                                          uint32_t layer);

    /**
     * TracedCallback signature for a batch submitted to the compute model.
     * @param layer layer
     * @param tokens expert tokens in the batch (sum over local experts)
     * @param busy its compute time
     */
    typedef void (*BatchTracedCallback)(uint32_t layer, uint64_t tokens, Time busy);

    /**
     * TracedCallback signature for a batch computed.
     * @param layer layer
     * @param tokens expert tokens in the batch
     */
    typedef void (*BatchDoneTracedCallback)(uint32_t layer, uint64_t tokens);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** Per-layer receive and compute state. */
    struct LayerState
    {
        std::vector<uint64_t> arrivedCopies;   //!< dispatch copies arrived per source
        std::vector<uint64_t> consumedCopies;  //!< copies already put into batches
        std::vector<uint64_t> combineReceived; //!< combine bytes received per source
        uint64_t arrivedTotal{0};              //!< sum of arrivedCopies
        uint32_t combineMissing{0};            //!< sources whose combine bytes are incomplete
        uint64_t pendingCopies{0};             //!< arrived and not yet batched
        uint64_t totalCopies{0};               //!< copies expected in the layer (with local)
        uint64_t computedCopies{0};            //!< copies whose batch finished
        uint64_t localComputed{0};             //!< local copies whose batch finished
        bool started{false};                   //!< the GPU started this layer
        bool done{false};                      //!< the layer is complete at this GPU
        bool reportedReady{false};             //!< combine readiness reported
        EventId timeout;                       //!< MaxWait timer of the batch policy
    };

    /** Per-destination send state of one kind. */
    struct TxState
    {
        uint64_t produced{0};  //!< bytes the layers produced (cumulative, all layers)
        uint64_t allowance{0}; //!< bytes the plan allows (cumulative; ideal: unlimited)
    };

    /** A batch being computed. */
    struct RunningBatch
    {
        std::vector<uint64_t> copies; //!< token copies per source
        uint64_t tokens{0};           //!< expert tokens
    };

    /** Start layer @p layer. @param layer the layer */
    void StartLayer(uint32_t layer);
    /**
     * Tell the transport what it may send of (kind, dst).
     * @param kind traffic kind
     * @param dst destination GPU
     */
    void Release(uint32_t kind, uint32_t dst);
    /**
     * Add to the allowance of (kind, dst) and release.
     * @param kind kind
     * @param dst destination
     * @param bytes bytes
     */
    void Allow(uint32_t kind, uint32_t dst, uint64_t bytes);
    /**
     * The transport handed bytes to the network: account them to layers (Tx trace).
     * @param kind traffic kind
     * @param dst destination
     * @param bytes bytes
     */
    void Sent(uint32_t kind, uint32_t dst, uint64_t bytes);
    /**
     * The transport delivered bytes of a kind from a source (Rx trace).
     * @param kind traffic kind
     * @param src source GPU
     * @param bytes bytes
     */
    void Received(uint32_t kind, uint32_t src, uint64_t bytes);
    /**
     * Dispatch bytes of layer @p layer from @p src now total @p total.
     * @param layer layer
     * @param src source
     * @param total bytes received so far in this layer from src
     */
    void OnDispatchProgress(uint32_t layer, uint32_t src, uint64_t total);
    /**
     * Form a batch of the pending copies of a layer and submit it.
     * @param layer the layer
     */
    void FormBatch(uint32_t layer);
    /**
     * A batch finished.
     * @param layer its layer
     * @param id its identifier (key of m_batches)
     */
    void BatchDone(uint32_t layer, uint64_t id);
    /** @return true if the compute model has a stream without a batch of this GPU */
    bool ComputeStreamFree() const;
    /**
     * Form a batch of a layer's pending copies if a stream is free and the batch policy
     * streams them (MoeBatchPolicy::StreamWhenIdle).
     * @param layer the layer
     */
    void StreamPending(uint32_t layer);
    /** Check whether the current layer completed. @param layer the layer */
    void CheckLayerDone(uint32_t layer);
    /**
     * Tell the scheduler (after the control latency) that this GPU's combine data for the
     * layer is ready; at most once per layer, and only when a scheduler is attached.
     * @param r the layer's state
     * @param layer the layer
     */
    void ReportCombineReadyOnce(LayerState& r, uint32_t layer);
    /** @param layer layer @return true if every dispatch copy of the layer arrived */
    bool DispatchComplete(uint32_t layer) const;
    /** @param tid a MoeTransport subclass @throws pmoe::InputError otherwise */
    void SetTransportType(TypeId tid);
    /** @return the transport's TypeId */
    TypeId GetTransportType() const;
    /** @param tid a MoeBatchPolicy subclass @throws pmoe::InputError otherwise */
    void SetBatchPolicyType(TypeId tid);
    /** @return the batch policy's TypeId */
    TypeId GetBatchPolicyType() const;

    std::shared_ptr<const MoeWorkloadData> m_workload; //!< the run's workload
    uint32_t m_index{0};                               //!< this GPU
    Ptr<CircuitSchedulerApplication> m_scheduler;      //!< scheduler (null: ideal)
    Ptr<GpuComputeModel> m_gpu;                        //!< compute model of the node
    Ptr<MoeTransport> m_transport;                     //!< the transport
    Ptr<MoeBatchPolicy> m_batchPolicy;                 //!< the batch policy
    Time m_nonMoeTime;                                 //!< compute between layers
    Time m_firstLayerTime;                             //!< start of layer 0

    std::vector<TxState> m_tx[2]; //!< per kind, per destination
    /// per kind, per destination: (layer, bytes not yet sent) in production order
    std::vector<std::deque<std::pair<uint32_t, uint64_t>>> m_txChunks[2];
    std::map<uint64_t, RunningBatch> m_batches; //!< batches being computed, by identifier
    uint64_t m_nextBatchId{0};                  //!< next batch identifier

    std::vector<uint64_t> m_rxBytesLayer[2]; //!< per kind, per source: bytes in current layer
    std::vector<uint32_t> m_rxLayer[2];      //!< per kind, per source: layer being received
    uint64_t m_unexpected{0};                //!< bytes beyond the last layer
    std::vector<LayerState> m_layers;        //!< per layer
    uint32_t m_layer{0};                     //!< current layer
    uint32_t m_layersDone{0};                //!< layers completed
    std::vector<EventId> m_planEvents;       //!< pending plan events

    TracedCallback<uint32_t> m_layerStartTrace;                       //!< LayerStart
    TracedCallback<uint32_t> m_layerDoneTrace;                        //!< LayerDone
    TracedCallback<uint32_t, uint32_t, uint64_t, uint32_t> m_txTrace; //!< Tx
    TracedCallback<uint32_t, uint32_t, uint64_t, uint32_t> m_rxTrace; //!< Rx
    TracedCallback<uint32_t, uint64_t, Time> m_batchTrace;            //!< Batch
    TracedCallback<uint32_t, uint64_t> m_batchDoneTrace;              //!< BatchDone
};

} // namespace ns3

#endif /* MOE_GPU_APPLICATION_H */
