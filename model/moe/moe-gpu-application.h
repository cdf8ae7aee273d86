/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_GPU_APPLICATION_H
#define MOE_GPU_APPLICATION_H

#include "gpu-compute-model.h"

#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule-timeline.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"
#include "ns3/tcp-socket-state.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class CircuitSchedulerApplication;

/**
 * @ingroup photonic-moe
 * Data of a scenario shared (read-only) by every GPU application: the layers' routing and
 * traffic, the expert placement and the hosts' addresses.
 */
struct MoeLayerShared
{
    uint32_t numGpus{0};                             //!< N
    std::vector<pmoe::LayerWorkload> layers;         //!< one per layer, in order
    std::vector<std::vector<uint32_t>> localExperts; //!< experts of each GPU
    std::vector<Ipv4Address> addresses;              //!< address of each GPU
    uint64_t dispatchBytesPerCopy{0};                //!< bytes of one dispatched token copy
    uint64_t combineBytesPerCopy{0};                 //!< bytes of one combined token copy
};

/**
 * @ingroup photonic-moe
 * What the circuit scheduler tells the hosts about one schedule it runs on the switch: its
 * timeline (when each circuit carries light, the same pmoe::ScheduleTimeline the switch runs)
 * and how many bytes of each pair each configuration is planned to carry, plus the residual
 * left for the electrical fabric.
 */
struct CircuitPlan
{
    uint32_t layer{0};                       //!< layer index
    bool combine{false};                     //!< combine (true) or dispatch (false) traffic
    Time start;                              //!< when the schedule starts (first step)
    pmoe::ScheduleTimeline timeline;         //!< steps and circuits, absolute times (ns)
    std::vector<pmoe::DemandMatrix> planned; //!< per configuration: bytes planned per pair
    pmoe::DemandMatrix residual;             //!< bytes left for the electrical fabric
};

/**
 * @ingroup photonic-moe
 * Per-layer measurements of one GPU host.
 */
struct MoeGpuLayerStats
{
    Time layerStart{Time::Max()};           //!< the host started the layer
    Time firstDispatchSent{Time::Max()};    //!< first dispatch byte handed to a socket
    Time lastCombineReceived{Time(0)};      //!< last combine byte received
    Time lastDispatchReceived{Time(0)};     //!< last dispatch byte received
    Time lastBatchDone{Time(0)};            //!< last batch of the layer computed
    Time done{Time::Max()};                 //!< layer complete at this host
    std::vector<uint64_t> dispatchSent;     //!< bytes sent to each destination
    std::vector<uint64_t> dispatchReceived; //!< bytes received from each source
    std::vector<uint64_t> combineSent;      //!< bytes sent to each destination
    std::vector<uint64_t> combineReceived;  //!< bytes received from each source
    Time computeBusy{Time(0)};              //!< busy time of this layer's batches
    Time idealCompute{Time(0)};             //!< all tokens of each local expert in one batch
    uint64_t batches{0};                    //!< batches computed
    uint64_t batchTokens{0};                //!< expert tokens computed (sum over batches)
    std::vector<uint64_t> batchSizes;       //!< tokens of each batch, in order of formation
};

/**
 * @ingroup photonic-moe
 * A GPU host running MoE layers: dispatch over sockets, expert compute in batches, combine.
 *
 * Per layer l (see doc/moe-layer.md for the full semantics):
 * 1. The host starts the layer (after the previous one plus NonMoeTime). With a circuit
 *    scheduler it reports its dispatch row (over the modelled control path) and releases
 *    bytes to each destination only when the plan it receives says that pair's circuit is
 *    lit; the residual is released after the pair's last circuit phase (or at the schedule
 *    start) and crosses the electrical fabric. Without a scheduler (ideal fabric) it
 *    releases the whole row at once.
 * 2. Received dispatch bytes are counted per source and converted to token copies
 *    (MoeLayerShared::dispatchBytesPerCopy); byte streams carry layers in order, so bytes
 *    beyond a layer's total belong to the next layer.
 * 3. Batches are formed by the OverlapPolicy (none | per-matching | threshold), turned
 *    into tokens per local expert (each source's copies split among its experts in
 *    proportion to the routing), and submitted to the node's GpuComputeModel.
 * 4. When a batch is computed, combine bytes for its copies become available towards each
 *    source; they are sent at once on the ideal fabric, or as the combine plan allows.
 * 5. The layer is complete at this host when all of its combine bytes are back and its
 *    local tokens are computed.
 *
 * Transport: one connection per ordered pair and direction of traffic kind (dispatch and
 * combine each have their own TCP connection, so that the receiver can tell them apart
 * without framing), or, with SharedConnection, one TCP connection per ordered pair (i, j)
 * opened by i: dispatch i -> j flows one way and combine j -> i the other way (each direction
 * of a TCP connection is its own byte stream, so no framing is needed either; half the
 * sockets, and ACKs can ride on data), or UDP datagrams paced by the application at the NIC
 * rate.
 */
class MoeGpuApplication : public Application
{
  public:
    /// TCP port of dispatch connections.
    static constexpr uint16_t DISPATCH_PORT = 5000;
    /// TCP port of combine connections.
    static constexpr uint16_t COMBINE_PORT = 5001;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeGpuApplication();
    ~MoeGpuApplication() override;

    /**
     * Configure the host (before the simulation starts).
     * @param shared scenario data
     * @param index this host's GPU index
     * @param scheduler circuit scheduler (null: ideal fabric, no circuit plan)
     */
    void Setup(std::shared_ptr<const MoeLayerShared> shared,
               uint32_t index,
               Ptr<CircuitSchedulerApplication> scheduler);

    /**
     * Set per-socket TCP attributes applied to every socket this host creates.
     * @param attributes name/value pairs (string form)
     */
    void SetTcpAttributes(const std::map<std::string, std::string>& attributes);

    /**
     * Receive a circuit plan from the scheduler (called over the modelled control path).
     * @param plan the plan
     */
    void ReceivePlan(std::shared_ptr<const CircuitPlan> plan);

    /** @return per-layer measurements */
    const std::vector<MoeGpuLayerStats>& GetLayerStats() const;

    /** @return the number of layers completed */
    uint32_t GetLayersDone() const;

    /** @return bytes received that belong to no layer (a conservation error if > 0) */
    uint64_t GetUnexpectedBytes() const;

    /**
     * @return retransmission timeouts of this host's sending TCP sockets (transitions of
     *         their congestion state to CA_LOSS); 0 with UDP
     */
    uint64_t GetTcpTimeouts() const;

    /** @return fast recoveries of this host's sending TCP sockets (entries to CA_RECOVERY) */
    uint64_t GetTcpFastRecoveries() const;

    /**
     * TracedCallback signature for layer events.
     * @param layer layer index
     */
    typedef void (*LayerTracedCallback)(uint32_t layer);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** Traffic kinds. */
    enum Kind
    {
        DISPATCH = 0,
        COMBINE = 1
    };

    /** Per-layer receive state. */
    struct RxLayer
    {
        std::vector<uint64_t> arrivedCopies;  //!< dispatch copies arrived per source
        std::vector<uint64_t> consumedCopies; //!< copies already put into batches
        uint64_t pendingCopies{0};            //!< arrived and not yet batched
        uint64_t totalCopies{0};              //!< copies expected in the layer (with local)
        uint64_t batchedCopies{0};            //!< copies put into batches
        uint64_t computedCopies{0};           //!< copies whose batch finished
        uint64_t localComputed{0};            //!< local copies whose batch finished
        bool started{false};                  //!< the host started this layer
        bool reportedReady{false};            //!< combine readiness reported
        EventId timeout;                      //!< threshold timeout
    };

    /** Per-destination send state of one kind. */
    struct TxStream
    {
        Ptr<Socket> socket;    //!< socket (TCP: connected; UDP: shared)
        bool connected{false}; //!< TCP connection established
        uint64_t produced{0};  //!< bytes the application has (cumulative, all layers)
        uint64_t allowance{0}; //!< bytes the plan allows (cumulative; ideal: max)
        uint64_t written{0};   //!< bytes handed to the socket (cumulative)
    };

    /** Start layer @p layer. @param layer the layer */
    void StartLayer(uint32_t layer);
    /** Create the listening sockets and connect to every peer. */
    void OpenSockets();
    /** @param s a socket @param kind its kind */
    void ConfigureSocket(Ptr<Socket> s);
    /**
     * Hand released bytes to the socket of (kind, dst).
     * @param kind traffic kind
     * @param dst destination GPU
     */
    void Pump(uint32_t kind, uint32_t dst);
    /** UDP: send the next paced datagram. */
    void PumpUdp();
    /**
     * UDP end-of-window guard: is a circuit to @p dst lit now but ending too soon for a
     * datagram of @p bytes started now (and one queued ahead of it) to finish?
     * @param dst destination
     * @param bytes datagram payload
     * @param end set to the window's end if true
     * @return true if the datagram should wait until @p end (then it crosses the EPS)
     */
    bool WindowEndsSoon(uint32_t dst, uint32_t bytes, Time& end) const;
    /**
     * Account bytes written to a socket to layers.
     * @param kind traffic kind
     * @param dst destination
     * @param bytes bytes written
     */
    void AccountSent(uint32_t kind, uint32_t dst, uint64_t bytes);
    /**
     * Received bytes of a kind from a source.
     * @param kind traffic kind
     * @param src source GPU
     * @param bytes bytes
     */
    void OnBytes(uint32_t kind, uint32_t src, uint64_t bytes);
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
     * @param id its identifier (key of m_batchCopies)
     */
    void BatchDone(uint32_t layer, uint64_t id);
    /** Check whether the current layer completed. @param layer the layer */
    void CheckLayerDone(uint32_t layer);
    /**
     * Tell the scheduler (after the control latency) that this GPU's combine data for the
     * layer is ready; at most once per layer, and only when a scheduler is attached.
     * @param r the layer's receive state
     * @param layer the layer
     */
    void ReportCombineReadyOnce(RxLayer& r, uint32_t layer);
    /** @param layer layer @return true if every dispatch copy of the layer arrived */
    bool DispatchComplete(uint32_t layer) const;
    /**
     * Add to the allowance of (kind, dst) and pump.
     * @param kind kind
     * @param dst destination
     * @param bytes bytes
     */
    void Allow(uint32_t kind, uint32_t dst, uint64_t bytes);
    /** @param s listening socket @param from peer address */
    void HandleAccept(Ptr<Socket> s, const Address& from);
    /** @param s socket with data */
    void HandleRead(Ptr<Socket> s);
    /** @param s connected socket */
    void ConnectionSucceeded(Ptr<Socket> s);
    /** @param s socket */
    void ConnectionFailed(Ptr<Socket> s);
    /**
     * CongState trace of a sending TCP socket: counts timeouts and fast recoveries.
     * @param from old state
     * @param to new state
     */
    void TcpCongStateChanged(TcpSocketState::TcpCongState_t from,
                             TcpSocketState::TcpCongState_t to);
    /** @param s socket @param available bytes available */
    void HandleSend(Ptr<Socket> s, uint32_t available);
    /** @param name policy name @throws pmoe::InputError if unknown */
    void SetOverlapPolicy(std::string name);
    /** @return policy name */
    std::string GetOverlapPolicy() const;
    /** @param name transport name @throws pmoe::InputError if unknown */
    void SetTransport(std::string name);
    /** @return transport name */
    std::string GetTransport() const;

    /** Overlap policies. */
    enum class Overlap
    {
        NONE,
        PER_MATCHING,
        THRESHOLD
    };

    std::shared_ptr<const MoeLayerShared> m_shared;     //!< scenario data
    uint32_t m_index{0};                                //!< this GPU
    Ptr<CircuitSchedulerApplication> m_scheduler;       //!< scheduler (null: ideal)
    Ptr<GpuComputeModel> m_gpu;                         //!< compute model of the node
    std::map<std::string, std::string> m_tcpAttributes; //!< per-socket TCP attributes

    Overlap m_overlap{Overlap::NONE}; //!< overlap policy
    bool m_udp{false};                //!< UDP transport
    bool m_sharedConnection{false};   //!< TCP: one connection per pair for both kinds
    uint64_t m_thresholdCopies{256};  //!< threshold policy: batch size
    Time m_thresholdTimeout;          //!< threshold policy: timeout
    Time m_nonMoeTime;                //!< compute between layers
    Time m_firstLayerTime;            //!< start of layer 0
    Time m_phaseSlack;                //!< per-matching: wait after a phase's light goes off
    uint32_t m_udpPayload{8972};      //!< UDP datagram payload bytes
    DataRate m_udpRate;               //!< UDP pacing rate

    Ptr<Socket> m_listen[2];                                     //!< TCP listening sockets
    std::vector<Ptr<Socket>> m_accepted;                         //!< accepted TCP sockets
    std::map<Ptr<Socket>, std::pair<uint32_t, uint32_t>> m_rxOf; //!< socket -> (kind, src)
    std::map<Ptr<Socket>, std::pair<uint32_t, uint32_t>> m_txOf; //!< socket -> (kind, dst)
    std::vector<TxStream> m_tx[2];                               //!< per kind, per destination
    /// per kind, per destination: (layer, bytes not yet written) in production order
    std::vector<std::deque<std::pair<uint32_t, uint64_t>>> m_txChunks[2];
    std::map<uint64_t, std::vector<uint64_t>> m_batchCopies; //!< running batch -> copies/source
    uint64_t m_nextBatchId{0};                               //!< next batch identifier
    Ptr<Socket> m_udpSocket;                                 //!< UDP socket (send and receive)
    EventId m_udpEvent;                                      //!< next paced datagram
    uint32_t m_udpNext{0};                                   //!< round-robin position
    /// per destination: lit windows [start, end) of this host's circuits to it
    std::vector<std::vector<std::pair<Time, Time>>> m_windows;

    std::vector<uint64_t> m_rxBytesLayer[2]; //!< per kind, per source: bytes in current layer
    std::vector<uint32_t> m_rxLayer[2];      //!< per kind, per source: layer being received
    uint64_t m_unexpected{0};                //!< bytes beyond the last layer
    uint64_t m_tcpTimeouts{0};               //!< TCP retransmission timeouts (senders)
    uint64_t m_tcpFastRecoveries{0};         //!< TCP fast recoveries (senders)
    std::vector<RxLayer> m_rx;               //!< per layer
    std::vector<MoeGpuLayerStats> m_stats;   //!< per layer
    uint32_t m_layer{0};                     //!< current layer
    uint32_t m_layersDone{0};                //!< layers completed
    std::vector<EventId> m_planEvents;       //!< pending plan events

    TracedCallback<uint32_t> m_layerStartTrace; //!< LayerStart
    TracedCallback<uint32_t> m_layerDoneTrace;  //!< LayerDone
};

} // namespace ns3

#endif /* MOE_GPU_APPLICATION_H */
