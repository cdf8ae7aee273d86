/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_COMPUTE_MODEL_H
#define PMOE_COMPUTE_MODEL_H

/**
 * @file
 * @ingroup photonic-moe
 * GPU expert compute time: a roofline with a fixed cost per launch, for a SwiGLU expert
 * (three h x I matrices). Plain C++17, no ns-3 types.
 */

#include "pmoe-enum-names.h"
#include "pmoe-moe-config.h"
#include "pmoe-units.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Constants of the compute model. Defaults: H100 SXM in BF16 (NVIDIA H100 datasheet: 989
 * dense TFLOP/s, 3.35 TB/s HBM3), efficiencies fitted to public grouped-GEMM measurements,
 * and DeepSeek-V3's expert shape (DeepSeek-V3 technical report).
 */
struct ComputeParams
{
    uint64_t hiddenSize{7168};      //!< h
    uint64_t ffnSize{2048};         //!< expert FFN size I (SwiGLU: three h x I matrices)
    double peakFlops{989e12};       //!< P, dense FLOP/s (H100 BF16; FP8 1979e12; A100 312e12)
    double memBandwidth{3.35e12};   //!< BW, HBM bytes/s (H100; H200 4.8e12; A100 2.0e12)
    double computeEfficiency{0.62}; //!< eta_c in (0, 1]
    double memoryEfficiency{0.72};  //!< eta_m in (0, 1]
    Ns fixedCostNs{10000};          //!< t_fix per launch, >= 0 (0 = ablation without it)
    double weightBytes{2.0};        //!< s_w bytes per weight element (BF16 2, FP8 1)
    double activationBytes{2.0};    //!< s_a bytes per activation element

    /**
     * Check every constant.
     * @throws InputError naming the offending field and value
     */
    void Validate() const;

    /**
     * Expert shape of a model preset with the default hardware constants.
     * @param preset the model
     * @return the parameters
     */
    static ComputeParams FromPreset(const MoeModelPreset& preset);

    /**
     * Expert shape of a model preset by name (see FindMoeModelPreset()).
     * @param name preset name, e.g. "deepseek-v3", "mixtral-8x7b", "qwen3-235b-a22b"
     * @return the parameters
     * @throws InputError on an unknown name
     */
    static ComputeParams FromPreset(const std::string& name);
};

/**
 * @ingroup photonic-moe
 * How a GPU launches the batches of its local experts.
 */
enum class LaunchMode
{
    PER_EXPERT, //!< one launch (one t_fix) per expert batch, run one after another
    GROUPED,    //!< one grouped-GEMM launch (one t_fix) for all local experts' batches
};

/**
 * @ingroup photonic-moe
 * Names of LaunchMode (case-insensitive): per-expert, grouped.
 */
template <>
struct EnumTable<LaunchMode>
{
    static constexpr const char* kNoun = "launch mode"; //!< for messages
    static constexpr bool kIgnoreCase = true;           //!< "Grouped" is accepted
    /** The names. */
    static constexpr EnumName<LaunchMode> kNames[] = {
        {LaunchMode::PER_EXPERT, "per-expert"},
        {LaunchMode::GROUPED, "grouped"},
    };
};

/**
 * @ingroup photonic-moe
 * Time for a GPU to run expert batches.
 *
 * One expert, one batch of b >= 1 tokens:
 * @verbatim
 *   C(b) = 6 h I b / (eta_c P)                         compute, seconds
 *   M(b) = (3 h I s_w + b (2h + 4I) s_a) / (eta_m BW)  memory traffic, seconds
 *   t(b) = t_fix + ceil(1e9 max(C(b), M(b)))           ns
 * @endverbatim
 * and t(0) = 0 (no launch). A grouped launch over local experts with b_e tokens each charges
 * t_fix once, the weights of every expert with b_e >= 1, and sums work and traffic:
 * @verbatim
 *   t = t_fix + ceil(1e9 max(sum_e C(b_e), sum_{e: b_e >= 1} M(b_e)))
 * @endverbatim
 * Rounding: the roofline term is rounded up to a whole ns once per launch, so a launch with
 * any work takes at least 1 ns beyond t_fix. All arithmetic is IEEE double +, *, / (no libm),
 * identical on every platform.
 */
class ComputeModel
{
  public:
    /**
     * @param params the constants (validated here)
     * @throws InputError on an invalid constant
     */
    explicit ComputeModel(const ComputeParams& params = ComputeParams());

    /** @return the constants */
    const ComputeParams& GetParams() const
    {
        return m_params;
    }

    /** @param tokens b @return C(b) in seconds (unrounded, without t_fix) */
    double ComputeSeconds(uint64_t tokens) const;

    /** @param tokens b @return M(b) in seconds for one expert (weights + activations) */
    double MemorySeconds(uint64_t tokens) const;

    /**
     * One expert, one launch.
     * @param tokens batch size b
     * @return t(b) in ns; 0 for b = 0
     */
    Ns BatchTimeNs(uint64_t tokens) const;

    /**
     * One grouped launch over several local experts.
     * @param tokensPerLocalExpert b_e for each local expert (zeros allowed)
     * @return t in ns; 0 if every b_e is 0
     */
    Ns GroupedBatchTimeNs(const std::vector<uint64_t>& tokensPerLocalExpert) const;

    /**
     * Busy time of one set of batches under a launch mode: PER_EXPERT is the sum of
     * BatchTimeNs(b_e), GROUPED is GroupedBatchTimeNs(b).
     * @param tokensPerLocalExpert b_e per local expert
     * @param mode launch mode
     * @return time in ns
     */
    Ns BatchSetTimeNs(const std::vector<uint64_t>& tokensPerLocalExpert, LaunchMode mode) const;

    /**
     * Ideal compute time of a GPU's layer: every expert's tokens in one batch
     * (BatchSetTimeNs() of the totals). Splitting tokens into more batches never takes
     * less time, so ideal / actual busy time is a compute efficiency in (0, 1].
     * @param tokensPerLocalExpert total tokens per local expert in the layer
     * @param mode launch mode
     * @return time in ns
     */
    Ns IdealComputeTimeNs(const std::vector<uint64_t>& tokensPerLocalExpert, LaunchMode mode) const;

    /**
     * Batch size at which compute time equals memory time (the roofline ridge), in tokens.
     * Below it weight loading dominates.
     * @return b* = (3 h I s_w / (eta_m BW)) / (6 h I / (eta_c P) - (2h + 4I) s_a / (eta_m BW));
     *         infinity if memory always dominates
     */
    double RidgeTokens() const;

  private:
    Ns RooflineNs(double computeSeconds, double memorySeconds) const;

    ComputeParams m_params;
    double m_flopsPerToken;    // 6 h I
    double m_weightBytes;      // 3 h I s_w
    double m_actBytesPerToken; // (2h + 4I) s_a
    double m_flopRate;         // eta_c P
    double m_byteRate;         // eta_m BW
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_COMPUTE_MODEL_H */
