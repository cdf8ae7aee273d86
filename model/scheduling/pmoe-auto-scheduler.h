/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_AUTO_SCHEDULER_H
#define PMOE_AUTO_SCHEDULER_H

/**
 * @file
 * @ingroup photonic-moe
 * The compute-aware scheduler "auto": picks the algorithm, duration policy, number of
 * matchings K and order of matchings that minimise the predicted layer time, with the fluid
 * evaluator as its model. Also the per-port lower bound on a makespan.
 */

#include "pmoe-decomposer.h"
#include "pmoe-fluid-evaluator.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * What the auto scheduler predicts beyond communication: the expert compute each GPU (a
 * destination port) runs on the bytes it receives, and how compute overlaps the dispatch.
 * Without chunkComputeNs the predicted time is the communication makespan alone.
 */
struct LayerTimeModel
{
    /**
     * Compute time of one batch: chunkComputeNs(gpu, bytes) for @c bytes of token copies
     * received (or held locally) by @c gpu, fixed cost per launch included; 0 for 0 bytes.
     * Empty: no compute.
     */
    std::function<Ns(uint32_t gpu, Bytes bytes)> chunkComputeNs;
    /** true: per-matching overlap (local copies at the start, then one batch per
     *  configuration that delivers to the GPU, at its end); false: one batch once everything
     *  for the GPU has arrived. */
    bool perMatching{false};
    /** true: a pair's residual enters the electrical fabric when the pair's last circuit
     *  ends (0 if it has none), as the hosts release it at packet level, and each port sends
     *  and receives its released residual at the electrical rate; false: all of it from time
     *  0 (FluidResult::epsTimeNs). */
    bool residualAfterLastCircuit{true};
};

/**
 * @ingroup photonic-moe
 * A predicted layer time.
 */
struct LayerPrediction
{
    Ns layerTimeNs{0}; //!< max(communication makespan, last GPU's compute end)
    /// communication makespan: max(circuit makespan, when the electrical fabric has delivered
    /// the residual under LayerTimeModel::residualAfterLastCircuit); without residual, or with
    /// residualAfterLastCircuit false, FluidResult::makespanNs
    Ns makespanNs{0};
    Ns computeEndNs{0}; //!< when the last GPU finishes computing (0 without compute)
    /// when the first byte can leave: the lit start of the first configuration that serves
    /// demand, or 0 if a pair's whole demand goes to the electrical fabric (or nothing is sent)
    Ns firstByteNs{0};
    FluidResult fluid; //!< the evaluation of the schedule
};

/**
 * @ingroup photonic-moe
 * Predict the layer time of @p schedule on @p demand: evaluate it with the fluid evaluator
 * and, if the model has compute, replay the bytes each configuration delivers to each GPU
 * (same serving rule and timeline as the evaluator; relayed bytes arrive at the end of their
 * second hop; the residual arrives when the electrical fabric has delivered it, see
 * LayerTimeModel::residualAfterLastCircuit) and
 * run each GPU's batches one after another: a batch starts when its data is there and the
 * previous batch is done. The layer time is the later of the communication makespan and the
 * last compute end. A residual without an electrical fabric makes the time kNeverNs.
 * @param demand the demand
 * @param schedule a schedule for it
 * @param fluid evaluation parameters
 * @param model compute and overlap
 * @return the prediction
 * @throws InputError as EvaluateSchedule()
 */
LayerPrediction PredictLayerTime(const DemandMatrix& demand,
                                 const Schedule& schedule,
                                 const FluidParams& fluid,
                                 const LayerTimeModel& model = LayerTimeModel());

/**
 * @ingroup photonic-moe
 * One schedule the auto scheduler considered.
 */
struct AutoCandidate
{
    std::string name;  //!< e.g. "greedy/delta-aware K=12 critical-path"
    std::size_t k{0};  //!< configurations
    Ns predictedNs{0}; //!< predicted layer time (kNeverNs: infeasible)
};

/**
 * @ingroup photonic-moe
 * The auto scheduler's choice.
 */
struct AutoResult
{
    Schedule schedule;                     //!< the chosen schedule
    LayerPrediction prediction;            //!< its prediction
    std::size_t k{0};                      //!< its number of configurations
    std::string choice;                    //!< the chosen candidate's name
    std::vector<AutoCandidate> candidates; //!< everything considered, in order
};

/**
 * @ingroup photonic-moe
 * The compute-aware scheduler: decompose @p demand with every base algorithm (greedy with
 * each duration policy, Eclipse, BvN, Solstice, rotor, static, and under a changed-only switch
 * also Sunflow), each within
 * the budget params.maxMatchings and with params.residualPolicy; when the residual policy is
 * EPS and an electrical fabric exists (params.epsRateBps > 0), also its prefixes of K
 * configurations of those without stuffing (the rest to the electrical fabric): every K for a
 * schedule of up to 64 configurations, otherwise K = 1, 2, 3, 4, 6, 9, 13, ... (x1.5); when the
 * model has compute, also each all-stop schedule reordered by critical path (configurations that
 * feed the GPUs with the most compute first: by the largest, then by the byte-weighted compute of
 * their receivers). Each candidate is predicted with PredictLayerTime() (delta, rate, mode and
 * electrical rate from @p params) and the one with the smallest predicted time wins (ties: the
 * earlier candidate). Its Schedule::algorithm is "auto" ("auto+append" if the candidate
 * appended beyond K). Deterministic.
 * @param demand the demand
 * @param params parameters (algorithm and durationPolicy are ignored)
 * @param model compute and overlap
 * @return the choice, with every candidate's prediction
 * @throws InputError on invalid input
 */
AutoResult AutoSchedule(const DemandMatrix& demand,
                        const DecompositionParams& params,
                        const LayerTimeModel& model = LayerTimeModel());

/**
 * @ingroup photonic-moe
 * The decomposer "auto": AutoSchedule() without compute (it minimises the predicted
 * communication makespan, including the electrical residual when params.epsRateBps > 0).
 */
class AutoDecomposer : public Decomposer
{
  public:
    /** @return "auto" */
    std::string Name() const override;

    /**
     * @param demand the demand
     * @param params parameters
     * @return AutoSchedule(demand, params).schedule
     */
    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override;
};

/**
 * @ingroup photonic-moe
 * Per-port lower bound on the makespan of any circuit schedule that serves all of
 * @p demand over circuits, under either reconfiguration mode: every circuit a port takes part
 * in is dark for delta before it carries light, and a port carries its load at the link rate.
 * Unidirectional: max over sending ports of (peers x delta + TransmissionTimeNs(row sum)) and
 * over receiving ports of the same for columns; duplex: max over ports of (peers x delta +
 * TransmissionTimeNs(sum over peers of the larger direction)).
 * @param demand the demand
 * @param model circuit model
 * @param linkRateBps rate, > 0
 * @param deltaNs reconfiguration delay, >= 0
 * @return the bound in ns
 */
Ns PerPortLowerBoundNs(const DemandMatrix& demand, CircuitModel model, Bps linkRateBps, Ns deltaNs);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_AUTO_SCHEDULER_H */
