/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_MOE_WORKLOAD_H
#define PMOE_MOE_WORKLOAD_H

/**
 * @file
 * @ingroup photonic-moe
 * MoE routing workload: which tokens go to which experts, and the dispatch and combine byte
 * demands that follow. Plain C++17 (no ns-3 types); the ns-3 wrapper seeds it from an ns-3
 * random stream through MoeWorkload::SetSeed().
 *
 * Randomness uses only the raw 64-bit outputs of std::mt19937_64 (fully specified by the
 * standard) with the module's own uniform-integer, uniform-real and power-law code, so the
 * same seed gives the same matrices with every compiler and standard library.
 */

#include "pmoe-demand-matrix.h"
#include "pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
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
 * Shape of a public MoE model (parameters.md, "MoE models").
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

/** @return every model preset, in the order of parameters.md */
const std::vector<MoeModelPreset>& MoeModelPresets();

/**
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
 * @param name contiguous | round-robin | explicit
 * @return the kind
 * @throws InputError on an unknown name
 */
PlacementKind ParsePlacementKind(const std::string& name);
/** @param kind a placement kind @return its name (see ParsePlacementKind()) */
std::string PlacementKindName(PlacementKind kind);
/**
 * @param name uniform | zipf | hot-expert | trace
 * @return the kind
 * @throws InputError on an unknown name
 */
RoutingKind ParseRoutingKind(const std::string& name);
/** @param kind a routing kind @return its name (see ParseRoutingKind()) */
std::string RoutingKindName(RoutingKind kind);

/**
 * @ingroup photonic-moe
 * A routing trace: per layer, an N x E matrix of token copies (row = source GPU, column =
 * expert). Format: see ParseRoutingTrace().
 */
struct RoutingTrace
{
    uint32_t numGpus{0};             //!< N
    uint32_t numExperts{0};          //!< E
    std::vector<TokenMatrix> layers; //!< one N x E matrix per layer, layer 0 first
};

/**
 * Parse a routing trace.
 *
 * @verbatim
 * # comment (anywhere; '#' to the end of the line)
 * gpus 4 experts 8        <- header, first non-blank line
 * layer 0                 <- layers numbered 0, 1, 2, ... in order
 * 10 0 3 5 0 0 2 4        <- N rows of E non-negative integers: token copies that
 * ...                        source GPU i sends to expert e (spaces, tabs or commas)
 * layer 1
 * ...
 * @endverbatim
 *
 * @param in the text (arbitrary bytes are rejected cleanly)
 * @param name the file name used in error messages
 * @return the trace (at least one layer)
 * @throws InputError "NAME:LINE:COL: message" on any malformed input: missing or bad
 *         header, sizes beyond the caps, a layer out of order, a row with the wrong number
 *         of entries, a missing row, a non-integer or too-large count, a line too long
 */
RoutingTrace ParseRoutingTrace(std::istream& in, const std::string& name);

/**
 * Read a routing trace file (see ParseRoutingTrace()).
 * @param path file path
 * @return the trace
 * @throws InputError if the file cannot be opened or does not parse
 */
RoutingTrace ReadRoutingTrace(const std::string& path);

/**
 * Write a trace in the format ParseRoutingTrace() reads.
 * @param out stream
 * @param trace the trace
 */
void WriteRoutingTrace(std::ostream& out, const RoutingTrace& trace);

/**
 * Parse an expert placement: one GPU index per expert, in expert order, separated by
 * whitespace, commas or newlines; '#' starts a comment.
 * @param in the text
 * @param name the file name used in error messages
 * @param numGpus if > 0, every index must be below it
 * @return the GPU of each expert
 * @throws InputError "NAME:LINE:COL: message" on a malformed or out-of-range index, more
 *         than kMaxMoeExperts entries, or an empty placement
 */
std::vector<uint32_t> ParsePlacement(std::istream& in, const std::string& name, uint32_t numGpus);

/**
 * Read a placement file (see ParsePlacement()).
 * @param path file path
 * @param numGpus if > 0, every index must be below it
 * @return the GPU of each expert
 * @throws InputError if the file cannot be opened or does not parse
 */
std::vector<uint32_t> ReadPlacement(const std::string& path, uint32_t numGpus);

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
};

/**
 * @ingroup photonic-moe
 * One MoE layer's routing and the traffic it causes.
 */
struct LayerWorkload
{
    uint32_t layer{0}; //!< layer index
    /** N x E: token copies that source GPU i sends to expert e (one per token and expert). */
    TokenMatrix tokens;
    /**
     * N x N: token vectors sent from GPU i to GPU g (after de-duplication when enabled;
     * otherwise the sum of tokens over g's experts). The diagonal is local.
     */
    TokenMatrix copies;
    /** Dispatch bytes: copies x (h x bytesPerElementDispatch + extra). Local on the diagonal. */
    DemandMatrix dispatch;
    /** Combine bytes: copies transposed x h x bytesPerElementCombine. */
    DemandMatrix combine;
    /** Per expert: tokens it receives (column sums of tokens). */
    std::vector<uint64_t> expertTokens;
    /** Per GPU: tokens received by each of its local experts, in expert-index order. */
    std::vector<std::vector<uint64_t>> gpuExpertTokens;
};

/**
 * @ingroup photonic-moe
 * Generates the routing of MoE layers. Generate(layer) depends only on the configuration,
 * the seed and the layer index (not on which layers were generated before).
 */
class MoeWorkload
{
  public:
    /**
     * @param config the configuration (validated here)
     * @param seed the random seed
     * @throws InputError if the configuration is invalid
     */
    explicit MoeWorkload(const MoeConfig& config, uint64_t seed = 1);

    /** @param seed the new random seed (the ns-3 wrapper draws it from an ns-3 stream) */
    void SetSeed(uint64_t seed)
    {
        m_seed = seed;
    }

    /** @return the seed */
    uint64_t GetSeed() const
    {
        return m_seed;
    }

    /** @return the configuration */
    const MoeConfig& GetConfig() const
    {
        return m_config;
    }

    /** @return the GPU of every expert */
    const std::vector<uint32_t>& ExpertToGpu() const
    {
        return m_expertGpu;
    }

    /** @param gpu a GPU @return its experts, in increasing index order */
    const std::vector<uint32_t>& LocalExperts(uint32_t gpu) const;

    /**
     * The experts ranked by popularity for a layer (ZIPF: rank 0 is the hottest; HOT_EXPERT:
     * the first H are the hot set). Constant within a re-draw period.
     * @param layer layer index
     * @return a permutation of 0..E-1
     */
    std::vector<uint32_t> ExpertRanking(uint32_t layer) const;

    /**
     * Generate one layer. A trace is replayed cyclically (layer mod number of trace layers).
     * @param layer layer index
     * @return the layer's routing and traffic
     * @throws InputError if a byte total would exceed kMaxDemandBytes
     */
    LayerWorkload Generate(uint32_t layer) const;

  private:
    TokenMatrix RouteTokens(uint32_t layer, TokenMatrix& copies) const;

    MoeConfig m_config;
    uint64_t m_seed;
    std::vector<uint32_t> m_expertGpu;
    std::vector<std::vector<uint32_t>> m_localExperts;
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_MOE_WORKLOAD_H */
