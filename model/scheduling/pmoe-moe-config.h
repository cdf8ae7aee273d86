/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_MOE_CONFIG_H
#define PMOE_MOE_CONFIG_H

/**
 * @file
 * @ingroup photonic-moe
 * What an MoE layer's routing workload is made of: token-count matrices, the size caps, the
 * shapes of public MoE models, expert placement and routing kinds, routing traces (data;
 * files in pmoe-workload-io.h) and MoeConfig. The generator is in pmoe-moe-workload.h.
 */

#include "pmoe-enum-names.h"
#include "pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/// @name Size caps (inputs beyond them are rejected with InputError, never allocated)
/// @{
constexpr uint32_t kMaxMoeGpus = 4096;              //!< largest number of GPUs
constexpr uint32_t kMaxMoeExperts = 65536;          //!< largest number of experts
constexpr uint64_t kMaxMoeCells = 1ULL << 24;       //!< largest GPUs x experts
constexpr uint32_t kMaxTopK = 1024;                 //!< largest top-k
constexpr uint64_t kMaxTokensPerGpu = 1ULL << 24;   //!< largest tokens per GPU per layer
constexpr uint64_t kMaxHiddenSize = 1ULL << 20;     //!< largest hidden size
constexpr uint32_t kMaxBytesPerElement = 16;        //!< largest bytes per element
constexpr uint64_t kMaxTraceCount = 1ULL << 32;     //!< largest token count in one trace cell
constexpr uint64_t kMaxTraceCells = 1ULL << 26;     //!< largest layers x GPUs x experts in a trace
constexpr uint32_t kMaxTraceLayers = 1U << 20;      //!< largest number of layers in a trace
constexpr std::size_t kMaxInputLineBytes = 1 << 22; //!< longest line in a trace/placement file
constexpr Bytes kMaxDemandBytes = 1LL << 62;        //!< largest byte total a layer may produce

/// @}

/**
 * @ingroup photonic-moe
 * A dense rows x cols matrix of token counts (row-major).
 */
class TokenMatrix
{
  public:
    /** An empty (0 x 0) matrix. */
    TokenMatrix() = default;

    /**
     * An all-zero matrix.
     * @param rows number of rows
     * @param cols number of columns
     */
    TokenMatrix(std::size_t rows, std::size_t cols);

    std::size_t Rows() const //!< @return number of rows
    {
        return m_rows;
    }

    std::size_t Cols() const //!< @return number of columns
    {
        return m_cols;
    }

    /**
     * @param i row
     * @param j column
     * @return the count at (i, j); indices are not checked
     */
    uint64_t At(std::size_t i, std::size_t j) const
    {
        return m_data[i * m_cols + j];
    }

    /**
     * Add to an entry.
     * @param i row
     * @param j column
     * @param count amount to add
     * @throws InputError on an index out of range
     */
    void Add(std::size_t i, std::size_t j, uint64_t count);

    uint64_t RowSum(std::size_t i) const; //!< @param i row @return sum of row i
    uint64_t ColSum(std::size_t j) const; //!< @param j column @return sum of column j
    uint64_t Total() const;               //!< @return sum of all entries

    /** @return row-major entries */
    const std::vector<uint64_t>& Data() const
    {
        return m_data;
    }

    bool operator==(const TokenMatrix& other) const; //!< @param other @return equal

    bool operator!=(const TokenMatrix& other) const //!< @param other @return not equal
    {
        return !(*this == other);
    }

  private:
    std::size_t m_rows{0};
    std::size_t m_cols{0};
    std::vector<uint64_t> m_data;
};

/**
 * @ingroup photonic-moe
 * Shape of a public MoE model, from its technical report or model card (Mixtral of Experts;
 * DeepSeek-V2 and DeepSeek-V3 technical reports; Qwen2 and Qwen3 technical reports; the DBRX
 * model card). Routed experts exclude shared experts.
 */
struct MoeModelPreset
{
    std::string name;    //!< preset name, e.g. "deepseek-v3"
    uint64_t hiddenSize; //!< hidden size h
    uint64_t ffnSize;    //!< expert FFN (intermediate) size I
    uint32_t numExperts; //!< routed experts E (shared experts excluded)
    uint32_t topK;       //!< experts per token
    uint32_t numLayers;  //!< MoE layers
};

/**
 * @ingroup photonic-moe
 * @return every model preset: Mixtral 8x7B and 8x22B, DeepSeek-V2 and V3, Qwen2-57B-A14B,
 *         Qwen3-30B-A3B and 235B-A22B, DBRX, in that order
 */
const std::vector<MoeModelPreset>& MoeModelPresets();

/**
 * @ingroup photonic-moe
 * @param name a preset name (case-insensitive): mixtral-8x7b, mixtral-8x22b, deepseek-v2,
 *        deepseek-v3, qwen2-57b-a14b, qwen3-30b-a3b, qwen3-235b-a22b, dbrx
 * @return the preset
 * @throws InputError naming the unknown preset and listing the known ones
 */
const MoeModelPreset& FindMoeModelPreset(const std::string& name);

/**
 * @ingroup photonic-moe
 * Where experts live.
 */
enum class PlacementKind
{
    CONTIGUOUS,  //!< balanced blocks: expert e on GPU floor(e * N / E)
    ROUND_ROBIN, //!< expert e on GPU e mod N
    EXPLICIT,    //!< MoeConfig::explicitPlacement[e]
};

/**
 * @ingroup photonic-moe
 * Names of PlacementKind (case-insensitive): contiguous, round-robin, explicit.
 */
template <>
struct EnumTable<PlacementKind>
{
    static constexpr const char* kNoun = "placement"; //!< for messages
    static constexpr bool kIgnoreCase = true;         //!< "Round-Robin" is accepted
    /** The names. */
    static constexpr EnumName<PlacementKind> kNames[] = {
        {PlacementKind::CONTIGUOUS, "contiguous"},
        {PlacementKind::ROUND_ROBIN, "round-robin"},
        {PlacementKind::EXPLICIT, "explicit"},
    };
};

/**
 * @ingroup photonic-moe
 * How tokens choose experts.
 */
enum class RoutingKind
{
    UNIFORM,    //!< top-k distinct experts, uniformly
    ZIPF,       //!< top-k distinct experts, Zipf(s) popularity over a random expert ranking
    HOT_EXPERT, //!< each choice goes to the hot set with probability f
    TRACE,      //!< token counts replayed from a routing trace
};

/**
 * @ingroup photonic-moe
 * Names of RoutingKind (case-insensitive): uniform, zipf, hot-expert, trace.
 */
template <>
struct EnumTable<RoutingKind>
{
    static constexpr const char* kNoun = "routing"; //!< for messages
    static constexpr bool kIgnoreCase = true;       //!< "Zipf" is accepted
    /** The names. */
    static constexpr EnumName<RoutingKind> kNames[] = {
        {RoutingKind::UNIFORM, "uniform"},
        {RoutingKind::ZIPF, "zipf"},
        {RoutingKind::HOT_EXPERT, "hot-expert"},
        {RoutingKind::TRACE, "trace"},
    };
};

/**
 * @ingroup photonic-moe
 * A routing trace: per layer, an N x E matrix of token copies (row = source GPU, column =
 * expert). Format: see ParseRoutingTrace() (pmoe-workload-io.h).
 */
struct RoutingTrace
{
    uint32_t numGpus{0};             //!< N
    uint32_t numExperts{0};          //!< E
    std::vector<TokenMatrix> layers; //!< one N x E matrix per layer, layer 0 first
};

/**
 * @ingroup photonic-moe
 * Parameters of an MoE layer's routing workload. Defaults: 16 GPUs, 64 experts, top-4,
 * 1024 tokens per GPU, DeepSeek-V3's hidden size 7168, BF16 dispatch and combine.
 */
struct MoeConfig
{
    uint32_t numGpus{16};                               //!< N >= 2 (expert-parallel size)
    uint32_t numExperts{64};                            //!< E >= 1
    PlacementKind placement{PlacementKind::CONTIGUOUS}; //!< placement rule
    std::vector<uint32_t> explicitPlacement;            //!< GPU of each expert (EXPLICIT only)
    uint64_t tokensPerGpu{1024};                        //!< T >= 1 tokens per GPU per layer
    uint32_t topK{4};                                   //!< experts per token, 1 <= k <= E
    uint64_t hiddenSize{7168};                          //!< h >= 1
    uint32_t bytesPerElementDispatch{2};                //!< 2 = BF16, 1 = FP8
    uint32_t bytesPerElementCombine{2};                 //!< 2 = BF16
    uint32_t dispatchExtraBytesPerCopy{0};              //!< e.g. FP8 block scales: h / 128 * 4
    bool dedup{false}; //!< one copy per (token, GPU) even if several chosen experts share it
    RoutingKind routing{RoutingKind::UNIFORM}; //!< routing model
    double zipfExponent{0.6};                  //!< Zipf exponent s >= 0 (ZIPF)
    uint32_t redrawPeriod{0};  //!< re-draw the hot ranking every P layers; 0 = never (ZIPF,
                               //!< HOT_EXPERT)
    double hotFraction{0.5};   //!< f in [0, 1]: share of choices sent to hot experts
    uint32_t numHotExperts{1}; //!< H in [1, E]: size of the hot set (HOT_EXPERT)
    std::shared_ptr<const RoutingTrace> trace; //!< the trace (TRACE)

    /**
     * Check every field.
     * @throws InputError naming the offending field and value
     */
    void Validate() const;

    /**
     * The GPU of every expert under this configuration's placement.
     * @return a vector of E GPU indices
     * @throws InputError if the configuration is invalid
     */
    std::vector<uint32_t> ExpertToGpu() const;

    /**
     * A configuration with a model's experts, top-k and hidden size.
     * @param preset the model
     * @param numGpus N
     * @param tokensPerGpu T
     * @return the configuration (other fields at their defaults)
     */
    static MoeConfig FromPreset(const MoeModelPreset& preset,
                                uint32_t numGpus,
                                uint64_t tokensPerGpu);

    /** @return bytes of one dispatched token copy: h x bytesPerElementDispatch + extra */
    uint64_t DispatchBytesPerCopy() const
    {
        return hiddenSize * bytesPerElementDispatch + dispatchExtraBytesPerCopy;
    }

    /** @return bytes of one combined token copy: h x bytesPerElementCombine */
    uint64_t CombineBytesPerCopy() const
    {
        return hiddenSize * bytesPerElementCombine;
    }
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_MOE_CONFIG_H */
