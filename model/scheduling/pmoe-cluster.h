/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_CLUSTER_H
#define PMOE_CLUSTER_H

/**
 * @file
 * @ingroup photonic-moe
 * Cluster shapes: S servers of G GPUs joined by NVLink inside a server, one NIC per GPU, the
 * NICs of the same local index forming a rail, rails on P parallel OCS planes (the first
 * alpha NICs of a server) or on an electrical fabric (the rest). ClusterShape describes and
 * validates a shape; MapClusterDemand() turns a GPU-to-GPU demand into per-rail
 * server-to-server demands and NVLink hops under a ForwardingRule; ScheduleClusterPlanes()
 * decomposes each plane; EvaluateCluster() is the two-level (NVLink stage, network stage)
 * fluid model. See doc/cluster.rst.
 */

#include "pmoe-decomposer.h"
#include "pmoe-demand-matrix.h"
#include "pmoe-enum-names.h"
#include "pmoe-fluid-evaluator.h"
#include "pmoe-moe-config.h"
#include "pmoe-moe-workload.h"
#include "pmoe-schedule.h"
#include "pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * How a byte from GPU (s, a) to GPU (t, b) of another server crosses the cluster (s, t:
 * servers; a, b: local GPU indices). Bytes between GPUs of one server always take one NVLink
 * hop and never touch a NIC.
 */
enum class ForwardingRule
{
    RAIL_ALIGNED,  //!< NVLink (s, a) -> (s, b) if a != b, then rail b from s to t (DeepEP/PXN)
    NETWORK_FIRST, //!< rail a from s to t, then NVLink (t, a) -> (t, b) if a != b
    DIRECT,        //!< one GPU per server: the GPU's own NIC (G = 1 only)
};

/**
 * @ingroup photonic-moe
 * Names of ForwardingRule: rail-aligned, network-first, direct.
 */
template <>
struct EnumTable<ForwardingRule>
{
    static constexpr const char* kNoun = "forwarding rule"; //!< for messages
    static constexpr bool kIgnoreCase = false;              //!< names match exactly
    /** The names. */
    static constexpr EnumName<ForwardingRule> kNames[] = {
        {ForwardingRule::RAIL_ALIGNED, "rail-aligned"},
        {ForwardingRule::NETWORK_FIRST, "network-first"},
        {ForwardingRule::DIRECT, "direct"},
    };
};

/**
 * @ingroup photonic-moe
 * The shape of a cluster. GPU g is local GPU g mod G of server g / G; its NIC is NIC
 * g mod G of that server, on rail g mod G. NIC l of a server is on OCS plane l mod P if
 * l < ocsNics, otherwise on the electrical fabric. A plane holding k rails connects the
 * servers with one matching at a time, realised as k parallel circuits (one per rail).
 */
struct ClusterShape
{
    uint32_t servers{1};       //!< S >= 1
    uint32_t gpusPerServer{1}; //!< G >= 1 (GPUs, and NICs, per server)
    uint32_t planes{1};        //!< P, 1 <= P <= ocsNics
    uint32_t ocsNics{1};       //!< alpha: NICs per server on OCS planes, P <= alpha <= G

    /**
     * A shape for @p gpus GPUs.
     * @param gpus total GPUs N
     * @param gpusPerServer G, must divide N
     * @param planes P
     * @param ocsNics alpha; 0 means all G NICs
     * @return the validated shape
     * @throws InputError naming the offending value
     */
    static ClusterShape FromGpus(std::size_t gpus,
                                 uint32_t gpusPerServer,
                                 uint32_t planes,
                                 uint32_t ocsNics);

    /**
     * Check the shape: S >= 1, G >= 1, 1 <= P <= G, P <= alpha <= G.
     * @throws InputError naming the offending value
     */
    void Validate() const;

    /**
     * Check the shape and that it can use @p rule (direct needs G = 1).
     * @param rule forwarding rule
     * @throws InputError naming the offending value
     */
    void Validate(ForwardingRule rule) const;

    /** @return N = S x G */
    uint32_t Gpus() const
    {
        return servers * gpusPerServer;
    }

    /** @param gpu a GPU @return its server */
    uint32_t ServerOf(uint32_t gpu) const
    {
        return gpu / gpusPerServer;
    }

    /** @param gpu a GPU @return its local index (and rail) */
    uint32_t LocalOf(uint32_t gpu) const
    {
        return gpu % gpusPerServer;
    }

    /**
     * @param server a server
     * @param local a local index
     * @return the GPU
     */
    uint32_t GpuAt(uint32_t server, uint32_t local) const
    {
        return server * gpusPerServer + local;
    }

    /** @param rail a rail (local NIC index) @return true if it is on an OCS plane */
    bool RailOnOcs(uint32_t rail) const
    {
        return rail < ocsNics;
    }

    /** @param rail a rail on an OCS plane @return its plane */
    uint32_t PlaneOfRail(uint32_t rail) const
    {
        return rail % planes;
    }

    /**
     * @param plane a plane < P
     * @return its rails, increasing
     */
    std::vector<uint32_t> RailsOfPlane(uint32_t plane) const;
};

/**
 * @ingroup photonic-moe
 * A GPU demand mapped onto a cluster by a forwarding rule.
 *
 * Conservation: intraServerBytes + sum of PlaneBytes() + EpsBytes() + deduplicatedBytes ==
 * demandBytes, the off-diagonal total of the GPU demand (every demand byte stays inside its
 * server, crosses the network exactly once on one rail, or, with per-server de-duplication,
 * rides a copy of its token that crosses anyway), and NvlinkBytes() == intraServerBytes +
 * forwardedBytes (a forwarded byte takes one NVLink hop besides the network).
 */
struct ClusterDemand
{
    ClusterShape shape;                          //!< the shape
    ForwardingRule rule{ForwardingRule::DIRECT}; //!< the rule
    std::vector<DemandMatrix> rails;             //!< per rail: S x S server-to-server bytes
    DemandMatrix nvlink;                         //!< N x N NVLink hop bytes (intra-server)
    Bytes localBytes{0};                         //!< demand a GPU keeps for itself
    Bytes intraServerBytes{0};                   //!< demand between GPUs of one server
    Bytes forwardedBytes{0};                     //!< network bytes that also take NVLink
    Bytes demandBytes{0};                        //!< off-diagonal total of the GPU demand
    Bytes deduplicatedBytes{0}; //!< demand bytes not sent because a token crosses the
                                //!< network once per destination server (0 without)

    /** @param plane a plane @return sum of its rails' matrices (bytes it carries) */
    DemandMatrix PlaneDemand(uint32_t plane) const;

    /**
     * The matrix a plane is scheduled on: entry (s, t) is the largest (s, t) entry of its
     * rails. A matching held for that entry's time at the NIC rate serves every rail's
     * (s, t) bytes, since the k rails of the plane are k parallel circuits.
     * @param plane a plane
     * @return the S x S scheduling demand
     */
    DemandMatrix PlaneScheduleDemand(uint32_t plane) const;

    /** @param plane a plane @return bytes it carries */
    Bytes PlaneBytes(uint32_t plane) const;

    /** @return bytes on the electrical rails (NICs alpha..G-1) */
    Bytes EpsBytes() const;

    /** @return bytes sent by all NICs (planes plus electrical rails) */
    Bytes NicBytes() const;

    /** @return NVLink hop bytes */
    Bytes NvlinkBytes() const
    {
        return nvlink.Total();
    }

    /**
     * @param gpu a GPU
     * @return bytes its NIC sends
     */
    Bytes NicSendBytes(uint32_t gpu) const;

    /**
     * @param gpu a GPU
     * @return bytes its NIC receives
     */
    Bytes NicReceiveBytes(uint32_t gpu) const;
};

/**
 * @ingroup photonic-moe
 * Map a GPU-to-GPU demand onto a cluster.
 * @param gpuDemand N x N demand, N = shape.Gpus()
 * @param shape the shape
 * @param rule the forwarding rule
 * @return the mapped demand
 * @throws InputError on a size mismatch, a bad shape or a rule the shape cannot use
 */
ClusterDemand MapClusterDemand(const DemandMatrix& gpuDemand,
                               const ClusterShape& shape,
                               ForwardingRule rule);

/**
 * @ingroup photonic-moe
 * The next hop of a byte on its way between two GPUs of a cluster (what a packet-level GPU
 * node routes by): a GPU of the same server over NVLink, or a GPU of another server over the
 * NIC (same rail at both ends).
 */
struct ClusterHop
{
    uint32_t gpu{0};    //!< the GPU the byte goes to next (the destination on the last hop)
    bool nvlink{false}; //!< true: over NVLink; false: over the NIC (a rail)
};

/**
 * @ingroup photonic-moe
 * The next hop under @p rule of a byte at GPU @p at bound for GPU @p to (at != to), the hops
 * MapClusterDemand() counts: same server, NVLink to @p to; rail-aligned, NVLink to the GPU on
 * the destination's rail unless @p at is on it, then that rail; network-first (and direct),
 * the rail of @p at to the GPU of the same local index in the destination's server, then
 * NVLink.
 * @param shape the shape
 * @param rule the forwarding rule
 * @param at the GPU holding the byte
 * @param to its destination GPU
 * @return the next hop
 * @throws InputError if @p at == @p to or either is not a GPU of the shape
 */
ClusterHop NextHop(const ClusterShape& shape, ForwardingRule rule, uint32_t at, uint32_t to);

/**
 * @ingroup photonic-moe
 * Decompose every plane's scheduling demand (ClusterDemand::PlaneScheduleDemand()) with
 * @p params (linkRateBps: the NIC rate). A plane with nothing to send, or a cluster of one
 * server, gets an empty schedule.
 * @param demand mapped demand
 * @param params decomposition parameters
 * @return one schedule per plane
 * @throws InputError naming the offending value
 */
std::vector<Schedule> ScheduleClusterPlanes(const ClusterDemand& demand,
                                            const DecompositionParams& params);

/**
 * @ingroup photonic-moe
 * Compute-aware order of every plane's configurations, the cluster form of the circuit
 * scheduler's ComputeAware ordering (configurations sorted, descending and stable, by the sum
 * over their circuits of pair demand x total demand of the receiving GPU). Here a byte from
 * GPU i to GPU j of another server crosses the network once, from the NIC NextHop() sends it
 * by (at i, or at the GPU of i's server it is relayed to) on that NIC's rail: it counts on
 * the circuit (server of i, server of j) of that rail's plane, weighted by the load of its
 * destination GPU j (column sum of @p gpuDemand, j's expert work), whichever GPU of j's
 * server it lands at. A configuration's rank is the sum of its circuits' weights; bytes inside
 * a server and on electrical rails rank nothing. With one GPU per server this is the
 * single-switch rank.
 * @param planes one schedule per plane, S ports each (ScheduleClusterPlanes()), reordered in
 *        place
 * @param shape the shape
 * @param rule the forwarding rule
 * @param gpuDemand the N x N GPU demand the schedules serve
 * @throws InputError on a count or size mismatch, a bad shape or a rule it cannot use
 */
void OrderPlanesComputeAware(std::vector<Schedule>& planes,
                             const ClusterShape& shape,
                             ForwardingRule rule,
                             const DemandMatrix& gpuDemand);

/**
 * @ingroup photonic-moe
 * The switch-level schedule of a plane of @p rails rails: its server-level schedule (S ports,
 * ScheduleClusterPlanes()) realised as @p rails parallel circuits, one per rail. Port
 * r x S + s is the NIC of the plane's r-th rail on server s; server circuit s -> t becomes
 * r x S + s -> r x S + t for every r. Durations, planned bytes and the algorithm are kept;
 * the residual is not (it is per server pair).
 * @param plane a server-level schedule of S ports
 * @param rails k >= 1
 * @return a schedule of k x S ports
 * @throws InputError if @p rails is 0
 */
Schedule ExpandPlaneSchedule(const Schedule& plane, uint32_t rails);

/**
 * @ingroup photonic-moe
 * Parameters of the two-level fluid model.
 */
struct ClusterFluidParams
{
    Bps nicRateBps{400000000000};              //!< per NIC (circuit and electrical rail)
    Bps nvlinkRateBps{3600000000000};          //!< per GPU and direction into the NVLink fabric
    Ns nvlinkLatencyNs{0};                     //!< added once to a non-empty NVLink stage
    Ns reconfigDelayNs{10000};                 //!< delta of every plane
    ReconfigMode mode{ReconfigMode::ALL_STOP}; //!< reconfiguration mode of every plane
    Bps epsRateBps{0}; //!< electrical fallback per OCS NIC for plane residual; 0 = none
};

/**
 * @ingroup photonic-moe
 * What one plane achieved.
 */
struct PlaneFluidResult
{
    Ns makespanNs{0};                //!< its slowest rail (circuits and fallback)
    Ns lastByteNs{0};                //!< its rails' last byte (FluidResult::lastByteNs)
    std::size_t matchings{0};        //!< configurations in its schedule
    std::size_t reconfigurations{0}; //!< reconfigurations (as FluidResult counts them)
    double bubbleFraction{0};        //!< bubble / lit time over its rails' circuits
    Bytes bytes{0};                  //!< bytes its rails carry (demand)
    Bytes residualBytes{0};          //!< of which left to the electrical fallback
    Ns lowerBoundNs{0};              //!< slowest rail's rho / r
};

/**
 * @ingroup photonic-moe
 * Result of the two-level fluid model.
 */
struct ClusterFluidResult
{
    Ns nvlinkStageNs{0};  //!< busiest GPU's NVLink bytes (in or out) / rate, + latency
    Ns networkStageNs{0}; //!< slowest plane or electrical rail
    Ns epsRailsNs{0};     //!< slowest electrical rail (NIC-limited, non-blocking fabric)
    Ns makespanNs{0};     //!< staged: nvlinkStageNs + networkStageNs
    Ns overlappedNs{0};   //!< fully overlapped: max(nvlinkStageNs, networkStageNs)
    /// the network's last byte: the planes' lastByteNs and the electrical rails' time (a
    /// plane whose work-conserving circuits finish early leaves idle configurations behind)
    Ns networkLastByteNs{0};
    /// overlapped with the network's last byte: max(nvlinkStageNs, networkLastByteNs)
    Ns overlappedLastByteNs{0};
    Ns idealNetworkNs{0};                 //!< non-blocking rail fabric: slowest rail's rho / r
    Ns idealMakespanNs{0};                //!< staged makespan on the ideal rail fabric
    Bytes nvlinkBytes{0};                 //!< NVLink hop bytes
    Bytes nicBytes{0};                    //!< bytes sent by NICs
    Bytes epsBytes{0};                    //!< bytes on electrical rails
    std::vector<PlaneFluidResult> planes; //!< per plane
};

/**
 * @ingroup photonic-moe
 * The two-level fluid model. Network stage: each rail of plane p is evaluated
 * (EvaluateSchedule()) with the plane's schedule at the NIC rate; the plane's makespan is
 * that of its slowest rail; an electrical rail takes TransmissionTimeNs(its rho, NIC rate)
 * (a non-blocking fabric limited by the NICs). NVLink stage: every GPU sends and receives
 * its NVLink hop bytes at nvlinkRateBps, TransmissionTimeNs(busiest GPU's larger direction)
 * + nvlinkLatencyNs. The stages run one after the other (rail-aligned: NVLink first;
 * network-first: network first), so makespanNs is their sum; overlappedNs = their maximum
 * is the bound for perfect pipelining. The ideal baseline replaces the planes by a
 * non-blocking rail fabric.
 * @param demand mapped demand
 * @param schedules one schedule per plane, S ports each
 * @param params parameters
 * @return the result
 * @throws InputError on a count or size mismatch or bad parameters
 */
ClusterFluidResult EvaluateCluster(const ClusterDemand& demand,
                                   const std::vector<Schedule>& schedules,
                                   const ClusterFluidParams& params);

/**
 * @ingroup photonic-moe
 * Token copies of a routing, with the per-server view that de-duplication needs.
 */
struct ClusterRouting
{
    std::vector<uint64_t> copies;       //!< N x N token copies, row-major (diagonal local)
    std::vector<uint64_t> serverTokens; //!< N x S: tokens of GPU i with an expert on server t
    /// N x E: tokens of GPU i routed to expert e (one per token and chosen expert, as
    /// LayerWorkload::tokens counts them)
    TokenMatrix tokens;
};

/**
 * @ingroup photonic-moe
 * DeepEP-like dispatch or combine with one network copy per token and destination server
 * (network-first: the copy crosses the source GPU's rail to the GPU of the same local index,
 * which forwards it over NVLink to every destination GPU of its server; combine reverses the
 * path and the forwarding GPU reduces a token's replies to one before the network). A GPU's
 * copies to its own server take one NVLink hop each.
 * @param routing copies and per-server tokens (NodeLimitedRouting())
 * @param shape the shape (any G; direct is not involved)
 * @param bytesPerCopy bytes of one token copy (dispatch or combine)
 * @param combine false: dispatch (GPU i to the experts' GPUs); true: combine (the reverse)
 * @return the mapped demand, rule NETWORK_FIRST, deduplicatedBytes set
 * @throws InputError on a size mismatch or a bad shape
 */
ClusterDemand MapServerDeduplicated(const ClusterRouting& routing,
                                    const ClusterShape& shape,
                                    Bytes bytesPerCopy,
                                    bool combine);

/**
 * @ingroup photonic-moe
 * Check that node-limited routing can route @p config on @p shape with @p maxServers
 * (what NodeLimitedRouting() checks before drawing).
 * @param config the MoE configuration
 * @param shape the cluster shape
 * @param maxServers M
 * @throws InputError naming the offending value (an invalid configuration or shape, a GPU
 *         count mismatch, M = 0, fewer than topK experts on the M servers holding fewest)
 */
void CheckNodeLimited(const MoeConfig& config, const ClusterShape& shape, uint32_t maxServers);

/**
 * @ingroup photonic-moe
 * NodeLimitedCopies() with the per-server token counts (same draws, same copies).
 * @param config the MoE configuration
 * @param shape the cluster shape
 * @param maxServers M >= 1
 * @param seed random seed
 * @return the routing
 * @throws InputError as NodeLimitedCopies()
 */
ClusterRouting NodeLimitedRouting(const MoeConfig& config,
                                  const ClusterShape& shape,
                                  uint32_t maxServers,
                                  uint64_t seed);

/**
 * @ingroup photonic-moe
 * Node-limited routing (DeepSeek-V3's group-limited gating at server granularity): every
 * token of every GPU picks min(M, S) distinct servers uniformly at random, then topK distinct
 * experts uniformly among the experts placed on those servers (config.ExpertToGpu()). One
 * token copy goes to each chosen expert's GPU, or with config.dedup one per (token, GPU), as
 * the workload model counts copies.
 * @param config the MoE configuration (numGpus must equal shape.Gpus(); its routing kind is
 *        ignored)
 * @param shape the cluster shape
 * @param maxServers M >= 1
 * @param seed random seed (the same seed gives the same matrix on every platform)
 * @return N x N token copies, row-major (the diagonal is local)
 * @throws InputError naming the offending value (M = 0, fewer than topK experts on M
 *         servers, a GPU count mismatch)
 */
std::vector<uint64_t> NodeLimitedCopies(const MoeConfig& config,
                                        const ClusterShape& shape,
                                        uint32_t maxServers,
                                        uint64_t seed);

/**
 * @ingroup photonic-moe
 * One layer of a workload under node-limited routing: the routing of NodeLimitedRouting()
 * with the seed DeriveSeed(workload seed, purpose, layer) (a stream of its own per layer),
 * turned into the layer's tokens, copies, dispatch and combine bytes and expert loads as
 * MoeWorkload::Generate() turns its own routing (MoeWorkload::LayerFromRouting()). The
 * workload's routing kind is not used.
 * @param workload the workload (configuration, placement and seed)
 * @param shape the cluster shape
 * @param maxServers M >= 1
 * @param layer layer index
 * @return the layer
 * @throws InputError as NodeLimitedRouting()
 */
LayerWorkload NodeLimitedLayer(const MoeWorkload& workload,
                               const ClusterShape& shape,
                               uint32_t maxServers,
                               uint32_t layer);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_CLUSTER_H */
