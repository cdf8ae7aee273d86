/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-moe-workload.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace
{

__extension__ typedef unsigned __int128 UWide; // __extension__: no -Wpedantic warning

// ---------------------------------------------------------------------------------------------
// Randomness: raw std::mt19937_64 outputs (specified bit for bit by the standard) and our own
// transforms. Never std::*_distribution: those are implementation-defined.

/// SplitMix64 finaliser: a bijective 64-bit mix.
uint64_t
Mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// Purposes of derived random streams.
constexpr uint64_t kStreamRouting = 1;
constexpr uint64_t kStreamRanking = 2;

/// An independent seed for (purpose, index) under the user's seed.
uint64_t
DeriveSeed(uint64_t seed, uint64_t purpose, uint64_t index)
{
    return Mix64(Mix64(seed ^ Mix64(purpose)) + index);
}

/// A generator with portable uniform transforms.
class Rng
{
  public:
    explicit Rng(uint64_t seed)
        : m_gen(seed)
    {
    }

    /// @return a uniform integer in [0, n), n >= 1 (rejection sampling: exactly unbiased)
    uint64_t UniformInt(uint64_t n)
    {
        const uint64_t threshold = (0 - n) % n; // 2^64 mod n
        while (true)
        {
            uint64_t x = m_gen();
            if (x >= threshold)
            {
                return x % n;
            }
        }
    }

    /// @return a uniform double in [0, 1) with 53 random bits
    double UniformReal()
    {
        return static_cast<double>(m_gen() >> 11) * 0x1.0p-53;
    }

  private:
    std::mt19937_64 m_gen;
};

// Natural logarithm and exponential from + - * / and exact frexp/ldexp/floor only, so that the
// Zipf weights do not depend on the platform's libm.
constexpr double kLn2 = 0.6931471805599453094172321;

double
PortableLog(double x) // x > 0, finite
{
    int e = 0;
    double m = std::frexp(x, &e); // x = m * 2^e, m in [0.5, 1)
    if (m < 0.70710678118654752440)
    {
        m *= 2.0;
        --e;
    }
    // ln m = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.172
    double z = (m - 1.0) / (m + 1.0);
    double z2 = z * z;
    double term = z;
    double sum = 0.0;
    for (int k = 1; k <= 41; k += 2)
    {
        sum += term / k;
        term *= z2;
    }
    return e * kLn2 + 2.0 * sum;
}

double
PortableExp(double y) // y <= 0
{
    if (y < -745.0)
    {
        return 0.0;
    }
    double k = std::floor(y / kLn2 + 0.5);
    double r = y - k * kLn2; // |r| <= ~0.35
    double term = 1.0;
    double sum = 1.0;
    for (int n = 1; n <= 24; ++n)
    {
        term *= r / n;
        sum += term;
    }
    return std::ldexp(sum, static_cast<int>(k));
}

/// Zipf weight of rank r >= 1 (1 = hottest), quantised: max(1, floor(2^40 r^-s)).
uint64_t
ZipfWeight(uint64_t rank, double s)
{
    constexpr double kScale = 1099511627776.0; // 2^40
    if (s == 0.0 || rank == 1)
    {
        return static_cast<uint64_t>(kScale);
    }
    double w = kScale * PortableExp(-s * PortableLog(static_cast<double>(rank)));
    uint64_t q = static_cast<uint64_t>(std::floor(w));
    return std::max<uint64_t>(q, 1);
}

/// Fenwick tree over integer weights: sampling without replacement with exact arithmetic.
class Fenwick
{
  public:
    explicit Fenwick(const std::vector<uint64_t>& w)
        : m_n(w.size()),
          m_tree(w.size() + 1, 0)
    {
        for (std::size_t i = 1; i <= m_n; ++i)
        {
            m_tree[i] += w[i - 1];
            std::size_t j = i + (i & (~i + 1));
            if (j <= m_n)
            {
                m_tree[j] += m_tree[i];
            }
        }
        m_top = 1;
        while (m_top * 2 <= m_n)
        {
            m_top *= 2;
        }
    }

    void Add(std::size_t idx, uint64_t delta)
    {
        for (std::size_t i = idx + 1; i <= m_n; i += i & (~i + 1))
        {
            m_tree[i] += delta;
        }
    }

    void Sub(std::size_t idx, uint64_t delta)
    {
        for (std::size_t i = idx + 1; i <= m_n; i += i & (~i + 1))
        {
            m_tree[i] -= delta;
        }
    }

    /// @return the index whose cumulative interval contains x (x < total)
    std::size_t Find(uint64_t x) const
    {
        std::size_t pos = 0;
        for (std::size_t step = m_top; step > 0; step /= 2)
        {
            if (pos + step <= m_n && m_tree[pos + step] <= x)
            {
                pos += step;
                x -= m_tree[pos];
            }
        }
        return pos;
    }

  private:
    std::size_t m_n;
    std::size_t m_top{1};
    std::vector<uint64_t> m_tree;
};

// ---------------------------------------------------------------------------------------------
// Text input.

std::string
Lower(std::string s)
{
    for (char& c : s)
    {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

/// A field of a line for error messages: printable ASCII kept, other bytes as \xNN, capped.
std::string
Printable(const std::string& s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        if (i == 32)
        {
            out += "...";
            break;
        }
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f)
        {
            out += static_cast<char>(c);
        }
        else
        {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

struct Field
{
    std::string text;
    std::size_t col; // 1-based byte column
};

/// Reads lines with a length cap, numbering them and splitting them into fields.
class LineReader
{
  public:
    LineReader(std::istream& in, std::string name)
        : m_buf(in.rdbuf()),
          m_name(std::move(name))
    {
    }

    /// Next line's fields (comments removed); false at end of input.
    bool Next(std::vector<Field>& fields)
    {
        fields.clear();
        if (!m_buf || m_eof)
        {
            return false;
        }
        std::string line;
        bool any = false;
        while (true)
        {
            int c = m_buf->sbumpc();
            if (c == std::char_traits<char>::eof())
            {
                m_eof = true;
                break;
            }
            any = true;
            if (c == '\n')
            {
                break;
            }
            if (line.size() >= kMaxInputLineBytes)
            {
                throw InputError(Where(m_line + 1, 1) + "line longer than " +
                                 std::to_string(kMaxInputLineBytes) + " bytes");
            }
            line += static_cast<char>(c);
        }
        if (!any)
        {
            return false;
        }
        ++m_line;
        std::size_t end = line.find('#');
        if (end == std::string::npos)
        {
            end = line.size();
        }
        std::size_t i = 0;
        while (i < end)
        {
            while (i < end && IsSeparator(line[i]))
            {
                ++i;
            }
            std::size_t start = i;
            while (i < end && !IsSeparator(line[i]))
            {
                ++i;
            }
            if (i > start)
            {
                fields.push_back({line.substr(start, i - start), start + 1});
            }
        }
        return true;
    }

    uint64_t Line() const
    {
        return m_line;
    }

    std::string Where(uint64_t line, std::size_t col) const
    {
        return m_name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
    }

    std::string Where(const Field& f) const
    {
        return Where(m_line, f.col);
    }

    /// Parse a field as an integer in [0, max].
    uint64_t Integer(const Field& f, uint64_t max, const std::string& what) const
    {
        const std::string& t = f.text;
        bool digits = !t.empty() && t.size() <= 30;
        for (char c : t)
        {
            digits = digits && c >= '0' && c <= '9';
        }
        if (!digits)
        {
            if (!t.empty() && t[0] == '-')
            {
                throw InputError(Where(f) + what + " must be non-negative, got '" + Printable(t) +
                                 "'");
            }
            throw InputError(Where(f) + "expected a non-negative integer " + what + ", got '" +
                             Printable(t) + "'");
        }
        uint64_t v = 0;
        for (char c : t)
        {
            uint64_t d = static_cast<uint64_t>(c - '0');
            if (d > max || v > (max - d) / 10)
            {
                throw InputError(Where(f) + what + " " + Printable(t) + " is too large (max " +
                                 std::to_string(max) + ")");
            }
            v = v * 10 + d;
        }
        return v;
    }

  private:
    static bool IsSeparator(char c)
    {
        return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\v' || c == '\f';
    }

    std::streambuf* m_buf;
    std::string m_name;
    uint64_t m_line{0};
    bool m_eof{false};
};

std::string
Join(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
    {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// TokenMatrix

TokenMatrix::TokenMatrix(std::size_t rows, std::size_t cols)
    : m_rows(rows),
      m_cols(cols),
      m_data(rows * cols, 0)
{
}

void
TokenMatrix::Add(std::size_t i, std::size_t j, uint64_t count)
{
    if (i >= m_rows || j >= m_cols)
    {
        throw InputError("index (" + std::to_string(i) + ", " + std::to_string(j) +
                         ") out of range for a " + std::to_string(m_rows) + "x" +
                         std::to_string(m_cols) + " token matrix");
    }
    m_data[i * m_cols + j] += count;
}

uint64_t
TokenMatrix::RowSum(std::size_t i) const
{
    uint64_t s = 0;
    for (std::size_t j = 0; j < m_cols; ++j)
    {
        s += At(i, j);
    }
    return s;
}

uint64_t
TokenMatrix::ColSum(std::size_t j) const
{
    uint64_t s = 0;
    for (std::size_t i = 0; i < m_rows; ++i)
    {
        s += At(i, j);
    }
    return s;
}

uint64_t
TokenMatrix::Total() const
{
    uint64_t s = 0;
    for (uint64_t v : m_data)
    {
        s += v;
    }
    return s;
}

bool
TokenMatrix::operator==(const TokenMatrix& other) const
{
    return m_rows == other.m_rows && m_cols == other.m_cols && m_data == other.m_data;
}

// ---------------------------------------------------------------------------------------------
// Presets and names

const std::vector<MoeModelPreset>&
MoeModelPresets()
{
    // parameters.md, "MoE models": hidden h, expert FFN I, routed experts, top-k, MoE layers.
    static const std::vector<MoeModelPreset> kPresets = {
        {"mixtral-8x7b", 4096, 14336, 8, 2, 32},
        {"mixtral-8x22b", 6144, 16384, 8, 2, 56},
        {"deepseek-v2", 5120, 1536, 160, 6, 59},
        {"deepseek-v3", 7168, 2048, 256, 8, 58},
        {"qwen2-57b-a14b", 3584, 2560, 64, 8, 28},
        {"qwen3-30b-a3b", 2048, 768, 128, 8, 48},
        {"qwen3-235b-a22b", 4096, 1536, 128, 8, 94},
        {"dbrx", 6144, 10752, 16, 4, 40},
    };
    return kPresets;
}

const MoeModelPreset&
FindMoeModelPreset(const std::string& name)
{
    std::string key = Lower(name);
    std::vector<std::string> names;
    for (const auto& p : MoeModelPresets())
    {
        if (p.name == key)
        {
            return p;
        }
        names.push_back(p.name);
    }
    throw InputError("unknown MoE model preset '" + Printable(name) + "' (known: " + Join(names) +
                     ")");
}

PlacementKind
ParsePlacementKind(const std::string& name)
{
    std::string key = Lower(name);
    if (key == "contiguous")
    {
        return PlacementKind::CONTIGUOUS;
    }
    if (key == "round-robin")
    {
        return PlacementKind::ROUND_ROBIN;
    }
    if (key == "explicit")
    {
        return PlacementKind::EXPLICIT;
    }
    throw InputError("unknown placement '" + Printable(name) +
                     "' (known: contiguous, round-robin, explicit)");
}

std::string
PlacementKindName(PlacementKind kind)
{
    switch (kind)
    {
    case PlacementKind::CONTIGUOUS:
        return "contiguous";
    case PlacementKind::ROUND_ROBIN:
        return "round-robin";
    case PlacementKind::EXPLICIT:
        return "explicit";
    }
    return "unknown";
}

RoutingKind
ParseRoutingKind(const std::string& name)
{
    std::string key = Lower(name);
    if (key == "uniform")
    {
        return RoutingKind::UNIFORM;
    }
    if (key == "zipf")
    {
        return RoutingKind::ZIPF;
    }
    if (key == "hot-expert")
    {
        return RoutingKind::HOT_EXPERT;
    }
    if (key == "trace")
    {
        return RoutingKind::TRACE;
    }
    throw InputError("unknown routing '" + Printable(name) +
                     "' (known: uniform, zipf, hot-expert, trace)");
}

std::string
RoutingKindName(RoutingKind kind)
{
    switch (kind)
    {
    case RoutingKind::UNIFORM:
        return "uniform";
    case RoutingKind::ZIPF:
        return "zipf";
    case RoutingKind::HOT_EXPERT:
        return "hot-expert";
    case RoutingKind::TRACE:
        return "trace";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Trace and placement files

RoutingTrace
ParseRoutingTrace(std::istream& in, const std::string& name)
{
    LineReader reader(in, name);
    RoutingTrace trace;
    bool haveHeader = false;
    bool inLayer = false;
    uint64_t rows = 0;            // rows read for the open layer
    std::vector<uint64_t> values; // the open layer's values, grown as rows are read
    uint64_t openedAt = 0;        // line of the open layer's header
    uint64_t cells = 0;           // cells of all layers so far (cap kMaxTraceCells)
    std::vector<Field> fields;

    auto closeLayer = [&]() {
        TokenMatrix m(trace.numGpus, trace.numExperts);
        for (std::size_t i = 0; i < trace.numGpus; ++i)
        {
            for (std::size_t e = 0; e < trace.numExperts; ++e)
            {
                m.Add(i, e, values[i * trace.numExperts + e]);
            }
        }
        trace.layers.push_back(std::move(m));
        values.clear();
        inLayer = false;
        rows = 0;
    };

    while (reader.Next(fields))
    {
        if (fields.empty())
        {
            continue;
        }
        const Field& first = fields[0];
        if (!haveHeader)
        {
            if (first.text != "gpus")
            {
                throw InputError(reader.Where(first) + "expected header 'gpus N experts E', got '" +
                                 Printable(first.text) + "'");
            }
            if (fields.size() < 4 || fields[2].text != "experts")
            {
                const Field& bad = fields.size() < 3 ? fields.back() : fields[2];
                throw InputError(reader.Where(bad) + "expected header 'gpus N experts E'");
            }
            if (fields.size() > 4)
            {
                throw InputError(reader.Where(fields[4]) + "unexpected '" +
                                 Printable(fields[4].text) + "' after the header");
            }
            uint64_t n = reader.Integer(fields[1], kMaxMoeGpus, "number of GPUs");
            if (n < 2)
            {
                throw InputError(reader.Where(fields[1]) + "number of GPUs must be >= 2, got " +
                                 std::to_string(n));
            }
            uint64_t e = reader.Integer(fields[3], kMaxMoeExperts, "number of experts");
            if (e < 1)
            {
                throw InputError(reader.Where(fields[3]) + "number of experts must be >= 1");
            }
            if (n * e > kMaxMoeCells)
            {
                throw InputError(reader.Where(fields[3]) +
                                 "GPUs x experts = " + std::to_string(n * e) + " exceeds " +
                                 std::to_string(kMaxMoeCells));
            }
            trace.numGpus = static_cast<uint32_t>(n);
            trace.numExperts = static_cast<uint32_t>(e);
            haveHeader = true;
            continue;
        }
        if (first.text == "layer")
        {
            if (inLayer)
            {
                throw InputError(reader.Where(first) + "layer " +
                                 std::to_string(trace.layers.size()) + " (line " +
                                 std::to_string(openedAt) + ") has " + std::to_string(rows) +
                                 " rows, expected " + std::to_string(trace.numGpus));
            }
            if (fields.size() < 2)
            {
                throw InputError(reader.Where(first) + "expected 'layer " +
                                 std::to_string(trace.layers.size()) + "'");
            }
            if (fields.size() > 2)
            {
                throw InputError(reader.Where(fields[2]) + "unexpected '" +
                                 Printable(fields[2].text) + "' after the layer number");
            }
            uint64_t l = reader.Integer(fields[1], kMaxTraceLayers, "layer number");
            if (l != trace.layers.size())
            {
                throw InputError(reader.Where(fields[1]) + "expected layer " +
                                 std::to_string(trace.layers.size()) + ", got layer " +
                                 std::to_string(l) +
                                 " (layers are numbered 0, 1, 2, ... in order)");
            }
            uint64_t layerCells = static_cast<uint64_t>(trace.numGpus) * trace.numExperts;
            if (l >= kMaxTraceLayers || cells + layerCells > kMaxTraceCells)
            {
                throw InputError(reader.Where(first) + "trace too large: more than " +
                                 std::to_string(kMaxTraceCells) + " cells or " +
                                 std::to_string(kMaxTraceLayers) + " layers");
            }
            cells += layerCells;
            inLayer = true;
            openedAt = reader.Line();
            continue;
        }
        if (!inLayer)
        {
            throw InputError(reader.Where(first) + "expected 'layer " +
                             std::to_string(trace.layers.size()) + "', got '" +
                             Printable(first.text) + "'");
        }
        if (fields.size() > trace.numExperts)
        {
            throw InputError(reader.Where(fields[trace.numExperts]) + "row " +
                             std::to_string(rows) + " of layer " +
                             std::to_string(trace.layers.size()) + " has more than " +
                             std::to_string(trace.numExperts) + " entries");
        }
        if (fields.size() < trace.numExperts)
        {
            const Field& last = fields.back();
            throw InputError(reader.Where(reader.Line(), last.col + last.text.size()) + "row " +
                             std::to_string(rows) + " of layer " +
                             std::to_string(trace.layers.size()) + " has " +
                             std::to_string(fields.size()) + " entries, expected " +
                             std::to_string(trace.numExperts));
        }
        for (const Field& f : fields)
        {
            values.push_back(reader.Integer(f, kMaxTraceCount, "token count"));
        }
        ++rows;
        if (rows == trace.numGpus)
        {
            closeLayer();
        }
    }
    uint64_t endLine = reader.Line() + 1;
    if (!haveHeader)
    {
        throw InputError(reader.Where(endLine, 1) +
                         "empty trace: expected header 'gpus N experts E'");
    }
    if (inLayer)
    {
        throw InputError(reader.Where(endLine, 1) + "unexpected end of file: layer " +
                         std::to_string(trace.layers.size()) + " has " + std::to_string(rows) +
                         " rows, expected " + std::to_string(trace.numGpus));
    }
    if (trace.layers.empty())
    {
        throw InputError(reader.Where(endLine, 1) + "trace has no layers (expected 'layer 0')");
    }
    return trace;
}

RoutingTrace
ReadRoutingTrace(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw InputError("cannot open routing trace '" + path + "'");
    }
    return ParseRoutingTrace(in, path);
}

void
WriteRoutingTrace(std::ostream& out, const RoutingTrace& trace)
{
    out << "gpus " << trace.numGpus << " experts " << trace.numExperts << "\n";
    for (std::size_t l = 0; l < trace.layers.size(); ++l)
    {
        const TokenMatrix& m = trace.layers[l];
        out << "layer " << l << "\n";
        for (std::size_t i = 0; i < m.Rows(); ++i)
        {
            for (std::size_t e = 0; e < m.Cols(); ++e)
            {
                out << (e ? " " : "") << m.At(i, e);
            }
            out << "\n";
        }
    }
}

std::vector<uint32_t>
ParsePlacement(std::istream& in, const std::string& name, uint32_t numGpus)
{
    LineReader reader(in, name);
    std::vector<uint32_t> gpuOf;
    std::vector<Field> fields;
    uint64_t max = numGpus > 0 ? numGpus - 1 : kMaxMoeGpus - 1;
    while (reader.Next(fields))
    {
        for (const Field& f : fields)
        {
            if (gpuOf.size() >= kMaxMoeExperts)
            {
                throw InputError(reader.Where(f) + "more than " + std::to_string(kMaxMoeExperts) +
                                 " experts");
            }
            uint64_t g = 0;
            try
            {
                g = reader.Integer(f, max, "GPU index");
            }
            catch (const InputError&)
            {
                // Re-phrase the range error: name the expert and the number of GPUs.
                bool digits = !f.text.empty();
                for (char c : f.text)
                {
                    digits = digits && c >= '0' && c <= '9';
                }
                if (digits && numGpus > 0)
                {
                    throw InputError(reader.Where(f) + "expert " + std::to_string(gpuOf.size()) +
                                     " placed on GPU " + Printable(f.text) +
                                     ", but there are only " + std::to_string(numGpus) + " GPUs");
                }
                throw;
            }
            gpuOf.push_back(static_cast<uint32_t>(g));
        }
    }
    if (gpuOf.empty())
    {
        throw InputError(reader.Where(reader.Line() + 1, 1) +
                         "empty placement: expected one GPU index per expert");
    }
    return gpuOf;
}

std::vector<uint32_t>
ReadPlacement(const std::string& path, uint32_t numGpus)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw InputError("cannot open placement file '" + path + "'");
    }
    return ParsePlacement(in, path, numGpus);
}

// ---------------------------------------------------------------------------------------------
// MoeConfig

namespace
{
uint64_t
DispatchBytesPerCopy(const MoeConfig& c)
{
    return c.hiddenSize * c.bytesPerElementDispatch + c.dispatchExtraBytesPerCopy;
}

uint64_t
CombineBytesPerCopy(const MoeConfig& c)
{
    return c.hiddenSize * c.bytesPerElementCombine;
}
} // namespace

void
MoeConfig::Validate() const
{
    auto fail = [](const std::string& msg) { throw InputError("MoE config: " + msg); };
    if (numGpus < 2 || numGpus > kMaxMoeGpus)
    {
        fail("numGpus must be in [2, " + std::to_string(kMaxMoeGpus) + "], got " +
             std::to_string(numGpus));
    }
    if (numExperts < 1 || numExperts > kMaxMoeExperts)
    {
        fail("numExperts must be in [1, " + std::to_string(kMaxMoeExperts) + "], got " +
             std::to_string(numExperts));
    }
    if (static_cast<uint64_t>(numGpus) * numExperts > kMaxMoeCells)
    {
        fail("numGpus x numExperts = " +
             std::to_string(static_cast<uint64_t>(numGpus) * numExperts) + " exceeds " +
             std::to_string(kMaxMoeCells));
    }
    if (placement == PlacementKind::EXPLICIT)
    {
        if (explicitPlacement.size() != numExperts)
        {
            fail("explicit placement lists " + std::to_string(explicitPlacement.size()) +
                 " experts, expected numExperts = " + std::to_string(numExperts));
        }
        for (std::size_t e = 0; e < explicitPlacement.size(); ++e)
        {
            if (explicitPlacement[e] >= numGpus)
            {
                fail("explicit placement puts expert " + std::to_string(e) + " on GPU " +
                     std::to_string(explicitPlacement[e]) +
                     ", but numGpus = " + std::to_string(numGpus));
            }
        }
    }
    if (hiddenSize < 1 || hiddenSize > kMaxHiddenSize)
    {
        fail("hiddenSize must be in [1, " + std::to_string(kMaxHiddenSize) + "], got " +
             std::to_string(hiddenSize));
    }
    if (bytesPerElementDispatch < 1 || bytesPerElementDispatch > kMaxBytesPerElement)
    {
        fail("bytesPerElementDispatch must be in [1, " + std::to_string(kMaxBytesPerElement) +
             "], got " + std::to_string(bytesPerElementDispatch));
    }
    if (bytesPerElementCombine < 1 || bytesPerElementCombine > kMaxBytesPerElement)
    {
        fail("bytesPerElementCombine must be in [1, " + std::to_string(kMaxBytesPerElement) +
             "], got " + std::to_string(bytesPerElementCombine));
    }
    if (dispatchExtraBytesPerCopy > kMaxHiddenSize)
    {
        fail("dispatchExtraBytesPerCopy must be <= " + std::to_string(kMaxHiddenSize) + ", got " +
             std::to_string(dispatchExtraBytesPerCopy));
    }
    if (routing == RoutingKind::TRACE)
    {
        if (!trace)
        {
            fail("routing 'trace' needs a trace");
        }
        if (trace->numGpus != numGpus || trace->numExperts != numExperts)
        {
            fail("trace is for " + std::to_string(trace->numGpus) + " GPUs and " +
                 std::to_string(trace->numExperts) + " experts, but numGpus = " +
                 std::to_string(numGpus) + " and numExperts = " + std::to_string(numExperts));
        }
        if (trace->layers.empty())
        {
            fail("trace has no layers");
        }
        for (std::size_t l = 0; l < trace->layers.size(); ++l)
        {
            if (trace->layers[l].Rows() != numGpus || trace->layers[l].Cols() != numExperts)
            {
                fail("trace layer " + std::to_string(l) + " is not " + std::to_string(numGpus) +
                     " x " + std::to_string(numExperts));
            }
        }
        if (dedup)
        {
            fail("dedup cannot be applied to a trace: it gives token copies per expert, not "
                 "per-token choices (record de-duplicated counts in the trace instead)");
        }
        return; // tokens per GPU and top-k are implied by the trace
    }
    if (tokensPerGpu < 1 || tokensPerGpu > kMaxTokensPerGpu)
    {
        fail("tokensPerGpu must be in [1, " + std::to_string(kMaxTokensPerGpu) + "], got " +
             std::to_string(tokensPerGpu));
    }
    if (topK < 1 || topK > numExperts || topK > kMaxTopK)
    {
        fail("topK must be in [1, min(numExperts = " + std::to_string(numExperts) + ", " +
             std::to_string(kMaxTopK) + ")], got " + std::to_string(topK));
    }
    if (routing == RoutingKind::ZIPF && !(zipfExponent >= 0.0 && zipfExponent <= 16.0))
    {
        fail("zipfExponent must be in [0, 16], got " + std::to_string(zipfExponent));
    }
    if (routing == RoutingKind::HOT_EXPERT)
    {
        if (!(hotFraction >= 0.0 && hotFraction <= 1.0))
        {
            fail("hotFraction must be in [0, 1], got " + std::to_string(hotFraction));
        }
        if (numHotExperts < 1 || numHotExperts > numExperts)
        {
            fail("numHotExperts must be in [1, numExperts = " + std::to_string(numExperts) +
                 "], got " + std::to_string(numHotExperts));
        }
    }
    UWide bytes = static_cast<UWide>(numGpus) * tokensPerGpu * topK *
                  std::max(DispatchBytesPerCopy(*this), CombineBytesPerCopy(*this));
    if (bytes > static_cast<UWide>(kMaxDemandBytes))
    {
        fail("a layer would move more than 2^62 bytes (numGpus x tokensPerGpu x topK x bytes "
             "per copy)");
    }
}

std::vector<uint32_t>
MoeConfig::ExpertToGpu() const
{
    Validate();
    std::vector<uint32_t> gpu(numExperts);
    for (uint32_t e = 0; e < numExperts; ++e)
    {
        switch (placement)
        {
        case PlacementKind::CONTIGUOUS:
            gpu[e] = static_cast<uint32_t>(static_cast<uint64_t>(e) * numGpus / numExperts);
            break;
        case PlacementKind::ROUND_ROBIN:
            gpu[e] = e % numGpus;
            break;
        case PlacementKind::EXPLICIT:
            gpu[e] = explicitPlacement[e];
            break;
        }
    }
    return gpu;
}

MoeConfig
MoeConfig::FromPreset(const MoeModelPreset& preset, uint32_t numGpus, uint64_t tokensPerGpu)
{
    MoeConfig c;
    c.numGpus = numGpus;
    c.numExperts = preset.numExperts;
    c.topK = preset.topK;
    c.hiddenSize = preset.hiddenSize;
    c.tokensPerGpu = tokensPerGpu;
    return c;
}

// ---------------------------------------------------------------------------------------------
// MoeWorkload

MoeWorkload::MoeWorkload(const MoeConfig& config, uint64_t seed)
    : m_config(config),
      m_seed(seed),
      m_expertGpu(config.ExpertToGpu()),
      m_localExperts(config.numGpus)
{
    for (uint32_t e = 0; e < m_config.numExperts; ++e)
    {
        m_localExperts[m_expertGpu[e]].push_back(e);
    }
}

const std::vector<uint32_t>&
MoeWorkload::LocalExperts(uint32_t gpu) const
{
    if (gpu >= m_localExperts.size())
    {
        throw InputError("GPU " + std::to_string(gpu) +
                         " out of range (numGpus = " + std::to_string(m_localExperts.size()) + ")");
    }
    return m_localExperts[gpu];
}

std::vector<uint32_t>
MoeWorkload::ExpertRanking(uint32_t layer) const
{
    uint64_t period = m_config.redrawPeriod == 0 ? 0 : layer / m_config.redrawPeriod;
    Rng rng(DeriveSeed(m_seed, kStreamRanking, period));
    std::vector<uint32_t> perm(m_config.numExperts);
    for (uint32_t e = 0; e < m_config.numExperts; ++e)
    {
        perm[e] = e;
    }
    for (std::size_t i = perm.size(); i > 1; --i) // Fisher-Yates
    {
        std::size_t j = rng.UniformInt(i);
        std::swap(perm[i - 1], perm[j]);
    }
    return perm;
}

TokenMatrix
MoeWorkload::RouteTokens(uint32_t layer, TokenMatrix& copies) const
{
    const MoeConfig& c = m_config;
    const uint32_t n = c.numGpus;
    const uint32_t numE = c.numExperts;
    copies = TokenMatrix(n, n);
    if (c.routing == RoutingKind::TRACE)
    {
        const TokenMatrix& t = c.trace->layers[layer % c.trace->layers.size()];
        for (uint32_t i = 0; i < n; ++i)
        {
            for (uint32_t e = 0; e < numE; ++e)
            {
                copies.Add(i, m_expertGpu[e], t.At(i, e));
            }
        }
        return t;
    }

    TokenMatrix tokens(n, numE);
    Rng rng(DeriveSeed(m_seed, kStreamRouting, layer));
    const uint32_t k = c.topK;
    std::vector<uint32_t> chosen(k);
    std::vector<uint64_t> stamp(n, 0); // dedup: token serial + 1 that last reached GPU g
    uint64_t serial = 0;

    // Per-routing state, reused for every token.
    std::vector<uint32_t> pool;     // UNIFORM: experts; HOT_EXPERT: hot set then cold set
    std::vector<std::size_t> swaps; // partial Fisher-Yates swaps, undone after each token
    std::vector<uint64_t> weight;   // ZIPF: weight of each expert
    std::unique_ptr<Fenwick> tree;  // ZIPF
    uint64_t totalWeight = 0;
    uint32_t hot = 0;
    if (c.routing == RoutingKind::UNIFORM)
    {
        pool.resize(numE);
        for (uint32_t e = 0; e < numE; ++e)
        {
            pool[e] = e;
        }
    }
    else
    {
        std::vector<uint32_t> ranking = ExpertRanking(layer);
        if (c.routing == RoutingKind::ZIPF)
        {
            weight.resize(numE);
            for (uint32_t r = 0; r < numE; ++r)
            {
                weight[ranking[r]] = ZipfWeight(r + 1, c.zipfExponent);
                totalWeight += weight[ranking[r]];
            }
            tree = std::make_unique<Fenwick>(weight);
        }
        else
        {
            pool = ranking; // first numHotExperts are hot
            hot = c.numHotExperts;
        }
    }
    swaps.reserve(k);

    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint64_t t = 0; t < c.tokensPerGpu; ++t)
        {
            ++serial;
            if (c.routing == RoutingKind::UNIFORM)
            {
                swaps.clear();
                for (uint32_t j = 0; j < k; ++j)
                {
                    std::size_t r = j + rng.UniformInt(numE - j);
                    std::swap(pool[j], pool[r]);
                    swaps.push_back(r);
                    chosen[j] = pool[j];
                }
                for (uint32_t j = k; j-- > 0;)
                {
                    std::swap(pool[j], pool[swaps[j]]);
                }
            }
            else if (c.routing == RoutingKind::ZIPF)
            {
                uint64_t remaining = totalWeight;
                for (uint32_t j = 0; j < k; ++j)
                {
                    std::size_t e = tree->Find(rng.UniformInt(remaining));
                    chosen[j] = static_cast<uint32_t>(e);
                    tree->Sub(e, weight[e]);
                    remaining -= weight[e];
                }
                for (uint32_t j = 0; j < k; ++j)
                {
                    tree->Add(chosen[j], weight[chosen[j]]);
                }
            }
            else // HOT_EXPERT: pool[0, hot) hot, pool[hot, E) cold; each set sampled without
                 // replacement by a partial Fisher-Yates, undone after the token.
            {
                swaps.clear();
                uint32_t hotUsed = 0;
                uint32_t coldUsed = 0;
                const uint32_t cold = numE - hot;
                for (uint32_t j = 0; j < k; ++j)
                {
                    bool wantHot = rng.UniformReal() < c.hotFraction;
                    bool useHot = (wantHot && hotUsed < hot) || coldUsed == cold;
                    std::size_t base = useHot ? 0 : hot;
                    uint32_t& used = useHot ? hotUsed : coldUsed;
                    uint32_t size = useHot ? hot : cold;
                    std::size_t a = base + used;
                    std::size_t r = a + rng.UniformInt(size - used);
                    std::swap(pool[a], pool[r]);
                    swaps.push_back(a);
                    swaps.push_back(r);
                    chosen[j] = pool[a];
                    ++used;
                }
                for (std::size_t s = swaps.size(); s > 0; s -= 2)
                {
                    std::swap(pool[swaps[s - 2]], pool[swaps[s - 1]]);
                }
            }

            for (uint32_t j = 0; j < k; ++j)
            {
                tokens.Add(i, chosen[j], 1);
                uint32_t g = m_expertGpu[chosen[j]];
                if (!c.dedup || stamp[g] != serial)
                {
                    copies.Add(i, g, 1);
                    stamp[g] = serial;
                }
            }
        }
    }
    return tokens;
}

LayerWorkload
MoeWorkload::Generate(uint32_t layer) const
{
    const MoeConfig& c = m_config;
    LayerWorkload w;
    w.layer = layer;
    w.tokens = RouteTokens(layer, w.copies);

    const uint64_t dispatchPerCopy = DispatchBytesPerCopy(c);
    const uint64_t combinePerCopy = CombineBytesPerCopy(c);
    UWide total = static_cast<UWide>(w.copies.Total()) * std::max(dispatchPerCopy, combinePerCopy);
    if (total > static_cast<UWide>(kMaxDemandBytes))
    {
        throw InputError("layer " + std::to_string(layer) + ": " +
                         std::to_string(w.copies.Total()) +
                         " token copies would move more than 2^62 bytes");
    }
    w.dispatch = DemandMatrix(c.numGpus);
    w.combine = DemandMatrix(c.numGpus);
    for (uint32_t i = 0; i < c.numGpus; ++i)
    {
        for (uint32_t g = 0; g < c.numGpus; ++g)
        {
            uint64_t n = w.copies.At(i, g);
            w.dispatch.Set(i, g, static_cast<Bytes>(n * dispatchPerCopy));
            w.combine.Set(g, i, static_cast<Bytes>(n * combinePerCopy));
        }
    }
    w.expertTokens.resize(c.numExperts);
    for (uint32_t e = 0; e < c.numExperts; ++e)
    {
        w.expertTokens[e] = w.tokens.ColSum(e);
    }
    w.gpuExpertTokens.resize(c.numGpus);
    for (uint32_t g = 0; g < c.numGpus; ++g)
    {
        for (uint32_t e : m_localExperts[g])
        {
            w.gpuExpertTokens[g].push_back(w.expertTokens[e]);
        }
    }
    return w;
}

} // namespace pmoe
} // namespace ns3
