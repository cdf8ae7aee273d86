/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-general-matcher.h"

#include "pmoe-matching.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace ns3
{
namespace pmoe
{

namespace
{

/** Larger than any slack or dual step (int64 arithmetic never overflows with it). */
constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;

/**
 * The edge of a blossom cycle between child @p a and child @p a + @p step (cyclically).
 * @param cycle cycle edges: cycle[k] joins child k (first) and child k+1 (second)
 * @param a child index
 * @param step +1 or -1
 * @return (endpoint in child a, endpoint in the other child)
 */
std::pair<int32_t, int32_t>
OrientedCycleEdge(const std::vector<std::pair<int32_t, int32_t>>& cycle, std::size_t a, int step)
{
    const std::size_t m = cycle.size();
    if (step > 0)
    {
        return cycle[a];
    }
    const auto& e = cycle[(a + m - 1) % m];
    return {e.second, e.first};
}

/**
 * @param a index
 * @param step +1 or -1
 * @param m cycle length
 * @return (a + step) mod m
 */
std::size_t
CycleNext(std::size_t a, int step, std::size_t m)
{
    return step > 0 ? (a + 1) % m : (a + m - 1) % m;
}

} // namespace

// ---------------------------------------------------------------------------------------
// General graph: Edmonds' blossom algorithm with dual variables, O(n^3) as organised by
// Galil (1986). Weights are multiplied by 4 so that every dual stays an even integer:
//   slack(x, y) = u_x + u_y - 4 w(x, y)   for x, y in different top-level blossoms.
// Jump start: u_v = 2 max_j w(v, j) (feasible), and mutually heaviest pairs, whose edges are
// then tight, are matched greedily.
//
// Every free vertex with a positive dual roots an alternating tree. Tight edges from S
// vertices grow the forest (T label and the mate's S label), shrink odd cycles into blossoms,
// or augment between two trees. When no tight edge is left, a dual step of size delta is
// taken: S vertices lose delta, T vertices gain delta, top-level S blossoms gain 2 delta and T
// blossoms lose 2 delta; delta is the largest step keeping duals and slacks non-negative:
//   1. the least S-vertex dual: that vertex reaches 0; the even alternating path from its
//      root to it is flipped, the root is matched and the vertex stays free with dual 0,
//      which optimality allows;
//   2. the least slack from an S vertex to a vertex outside the forest;
//   3. half the least slack between S vertices of different blossoms (even, see below);
//   4. half the least dual of a T blossom, which is then expanded.
// After a change of the matching (cases 1 and 3, or an augmentation into a free vertex with
// dual 0), only the trees involved are dissolved: their nodes leave the forest, zero-dual
// blossoms among them are expanded, and least-slack records pointing into them are
// recomputed; all other trees are kept. The algorithm stops when no tree is left: every free
// vertex then has dual 0 and the matching is optimal by complementary slackness.
//
// Integrality: roots have been free since the start and have moved together since, so their
// duals share parity (all are even initially); a vertex joins a tree through a tight edge of
// even weight, so all S vertices share parity and S-S slacks are even.
//
// Least-slack bookkeeping, so that a dual step costs O(n). An S vertex x keeps
// u_x + shift constant (shift = sum of the steps so far), so candidate edges are compared by
// the key u_x + shift - 4 w(x, v), which never needs recomputing while x stays S:
//  - m_bestS[v], for every non-S vertex v: the S vertex of least slack to v.
//  - m_bestTo[b][v], for each S blossom b and every vertex v: the vertex of b nearest to v;
//    a new blossom merges the rows of its S children and scans its former T children.
//  - m_bestFrom/m_bestOther[b], for each top-level S node: its least-slack edge to another
//    S node, computed when b becomes S; an edge between two S nodes is covered by the one
//    that became S later.
// Edges of weight 0 are ignored: they never increase a matching's weight.
// ---------------------------------------------------------------------------------------

void
GeneralMatcher::Reset(const DemandMatrix& w)
{
    const std::size_t n = w.Size();
    m_n = static_cast<int32_t>(n);
    const std::size_t nodes = 2 * n;
    m_weight.resize(n * n);
    const std::vector<Bytes>& data = w.Data();
    m_dual.assign(nodes, 0);
    for (std::size_t i = 0; i < n; ++i)
    {
        Bytes rowMax = 0;
        for (std::size_t j = 0; j < n; ++j)
        {
            m_weight[i * n + j] = 4 * data[i * n + j];
            rowMax = std::max(rowMax, data[i * n + j]);
        }
        m_dual[i] = 2 * rowMax;
    }
    m_mate.assign(n, -1);
    m_top.resize(n);
    std::iota(m_top.begin(), m_top.end(), 0);
    m_parent.assign(nodes, -1);
    m_base.assign(nodes, -1);
    std::iota(m_base.begin(), m_base.begin() + static_cast<std::ptrdiff_t>(n), 0);
    m_inUse.assign(nodes, 0);
    m_freeIds.clear();
    for (std::size_t b = nodes; b-- > n;)
    {
        m_freeIds.push_back(static_cast<int32_t>(b));
    }
    m_children.resize(nodes);
    m_cycle.resize(nodes);
    for (std::size_t b = 0; b < nodes; ++b)
    {
        m_children[b].clear();
        m_cycle[b].clear();
    }
    m_label.assign(nodes, FREE);
    m_labelFrom.assign(nodes, -1);
    m_labelTo.assign(nodes, -1);
    m_bestS.assign(n, -1);
    m_bestSKey.assign(n, 0);
    m_bestTo.assign(n * n, -1);
    m_bestToKey.assign(n * n, 0);
    m_bestFrom.assign(nodes, -1);
    m_bestOther.assign(nodes, -1);
    m_queue.clear();
    m_queueHead = 0;
    m_mark.assign(nodes, 0);
    m_stamp = 0;
    m_shift = 0;
    m_treeOf.assign(n, -1);
    m_dissolve.clear();
    m_inD.assign(n, 0);
}

void
GeneralMatcher::InitialMatching()
{
    // Edge (i, j) is tight iff w(i, j) is the heaviest edge at both ends.
    for (int32_t i = 0; i < m_n; ++i)
    {
        if (m_mate[static_cast<std::size_t>(i)] >= 0 || m_dual[static_cast<std::size_t>(i)] == 0)
        {
            continue;
        }
        for (int32_t j = i + 1; j < m_n; ++j)
        {
            if (m_mate[static_cast<std::size_t>(j)] < 0 && Weight(i, j) > 0 && Slack(i, j) == 0)
            {
                m_mate[static_cast<std::size_t>(i)] = j;
                m_mate[static_cast<std::size_t>(j)] = i;
                break;
            }
        }
    }
}

const std::vector<int32_t>&
GeneralMatcher::Solve(const DemandMatrix& w)
{
    const std::size_t n = w.Size();
    CheckSymmetricWeights("GeneralMatcher", w);
    const Bytes maxW = w.MaxEntry();
    if (n > 0)
    {
        CheckMatchingWeightRange("GeneralMatcher", maxW, n);
    }
    Reset(w);
    if (maxW == 0)
    {
        return m_mate;
    }
    InitialMatching();
    Run();
    return m_mate;
}

template <typename F>
void
GeneralMatcher::ForEachVertex(int32_t b, F&& f) const
{
    if (b < m_n)
    {
        f(b);
        return;
    }
    for (int32_t c : m_children[static_cast<std::size_t>(b)])
    {
        ForEachVertex(c, f);
    }
}

void
GeneralMatcher::CollectVertices(int32_t b, std::vector<int32_t>& out) const
{
    ForEachVertex(b, [&out](int32_t v) { out.push_back(v); });
}

void
GeneralMatcher::SetTop(int32_t b, int32_t top)
{
    ForEachVertex(b, [this, top](int32_t v) { m_top[static_cast<std::size_t>(v)] = top; });
}

std::pair<int32_t, int64_t>
GeneralMatcher::BestTo(int32_t b, int32_t v) const
{
    if (b < m_n)
    {
        const int64_t wv = Weight(b, v);
        if (wv == 0)
        {
            return {-1, 0};
        }
        return {b, m_dual[static_cast<std::size_t>(b)] + m_shift - wv};
    }
    const std::size_t k = static_cast<std::size_t>(b - m_n) * static_cast<std::size_t>(m_n) +
                          static_cast<std::size_t>(v);
    return {m_bestTo[k], m_bestToKey[k]};
}

void
GeneralMatcher::ScanFresh(int32_t b, const std::vector<int32_t>& verts)
{
    const int32_t n = m_n;
    const std::size_t rowStart =
        b >= n ? static_cast<std::size_t>(b - n) * static_cast<std::size_t>(n) : 0;
    int32_t* bestRow = b >= n ? &m_bestTo[rowStart] : nullptr;
    int64_t* keyRow = b >= n ? &m_bestToKey[rowStart] : nullptr;
    for (int32_t x : verts)
    {
        const int64_t* wrow = &m_weight[static_cast<std::size_t>(x) * static_cast<std::size_t>(n)];
        const int64_t kx = m_dual[static_cast<std::size_t>(x)] + m_shift;
        for (int32_t v = 0; v < n; ++v)
        {
            if (wrow[v] == 0)
            {
                continue;
            }
            const auto uv = static_cast<std::size_t>(v);
            const int32_t tv = m_top[uv];
            if (tv == b)
            {
                continue;
            }
            const int64_t key = kx - wrow[v];
            if (m_label[static_cast<std::size_t>(tv)] != S &&
                (m_bestS[uv] < 0 || key < m_bestSKey[uv]))
            {
                m_bestS[uv] = x;
                m_bestSKey[uv] = key;
            }
            if (bestRow && (bestRow[v] < 0 || key < keyRow[v]))
            {
                bestRow[v] = x;
                keyRow[v] = key;
            }
        }
    }
}

void
GeneralMatcher::ComputeBestOuterEdge(int32_t b)
{
    int32_t bestX = -1;
    int32_t bestY = -1;
    int64_t bestSlack = kInf;
    for (int32_t v = 0; v < m_n; ++v)
    {
        const int32_t tv = m_top[static_cast<std::size_t>(v)];
        if (tv == b || m_label[static_cast<std::size_t>(tv)] != S)
        {
            continue;
        }
        const auto [x, key] = BestTo(b, v);
        if (x < 0)
        {
            continue;
        }
        const int64_t s = key + m_dual[static_cast<std::size_t>(v)];
        if (s < bestSlack)
        {
            bestSlack = s;
            bestX = x;
            bestY = v;
        }
    }
    m_bestFrom[static_cast<std::size_t>(b)] = bestX;
    m_bestOther[static_cast<std::size_t>(b)] = bestY;
}

void
GeneralMatcher::MakeOuter(int32_t b)
{
    m_verts.clear();
    CollectVertices(b, m_verts);
    m_queue.insert(m_queue.end(), m_verts.begin(), m_verts.end());
    if (b >= m_n)
    {
        auto first = m_bestTo.begin() + static_cast<std::ptrdiff_t>(b - m_n) * m_n;
        std::fill(first, first + m_n, -1);
    }
    ScanFresh(b, m_verts);
    ComputeBestOuterEdge(b);
}

void
GeneralMatcher::LabelInner(int32_t b, int32_t from, int32_t to)
{
    const auto ub = static_cast<std::size_t>(b);
    m_label[ub] = T;
    m_labelFrom[ub] = from;
    m_labelTo[ub] = to;
    const int32_t base = m_base[ub];
    const int32_t m = m_mate[static_cast<std::size_t>(base)];
    const int32_t c = m_top[static_cast<std::size_t>(m)];
    const int32_t tree = m_treeOf[static_cast<std::size_t>(from)];
    SetTree(b, tree);
    SetTree(c, tree);
    m_label[static_cast<std::size_t>(c)] = S;
    m_labelFrom[static_cast<std::size_t>(c)] = base;
    m_labelTo[static_cast<std::size_t>(c)] = m;
    MakeOuter(c);
}

bool
GeneralMatcher::HandleTightEdge(int32_t x, int32_t y)
{
    const int32_t by = m_top[static_cast<std::size_t>(y)];
    if (m_label[static_cast<std::size_t>(by)] == S)
    {
        const int32_t base = FindCommonAncestor(x, y);
        if (base >= 0)
        {
            AddBlossom(base, x, y);
            return false;
        }
        m_dissolve.push_back(m_treeOf[static_cast<std::size_t>(x)]);
        m_dissolve.push_back(m_treeOf[static_cast<std::size_t>(y)]);
        AugmentFrom(x, y);
        AugmentFrom(y, x);
        return true;
    }
    if (m_mate[static_cast<std::size_t>(m_base[static_cast<std::size_t>(by)])] < 0)
    {
        // A free node outside the forest (its base has dual 0): augment into it.
        m_dissolve.push_back(m_treeOf[static_cast<std::size_t>(x)]);
        AugmentFrom(x, y);
        AugmentBlossom(by, y);
        m_mate[static_cast<std::size_t>(y)] = x;
        return true;
    }
    LabelInner(by, x, y);
    return false;
}

int32_t
GeneralMatcher::NextOuterUp(int32_t b) const
{
    const int32_t from = m_labelFrom[static_cast<std::size_t>(b)];
    if (from < 0)
    {
        return -1;
    }
    const int32_t t = m_top[static_cast<std::size_t>(from)];
    return m_top[static_cast<std::size_t>(m_labelFrom[static_cast<std::size_t>(t)])];
}

int32_t
GeneralMatcher::FindCommonAncestor(int32_t x, int32_t y)
{
    if (++m_stamp == 0)
    {
        std::fill(m_mark.begin(), m_mark.end(), 0);
        m_stamp = 1;
    }
    int32_t a = m_top[static_cast<std::size_t>(x)];
    int32_t b = m_top[static_cast<std::size_t>(y)];
    while (a >= 0 || b >= 0)
    {
        if (a >= 0)
        {
            if (m_mark[static_cast<std::size_t>(a)] == m_stamp)
            {
                return a;
            }
            m_mark[static_cast<std::size_t>(a)] = m_stamp;
            a = NextOuterUp(a);
        }
        std::swap(a, b);
    }
    return -1;
}

void
GeneralMatcher::AddBlossom(int32_t base, int32_t x, int32_t y)
{
    const int32_t bx = m_top[static_cast<std::size_t>(x)];
    const int32_t by = m_top[static_cast<std::size_t>(y)];
    const int32_t id = m_freeIds.back();
    m_freeIds.pop_back();
    const auto uid = static_cast<std::size_t>(id);
    m_inUse[uid] = 1;
    m_base[uid] = m_base[static_cast<std::size_t>(base)];
    m_parent[uid] = -1;
    m_dual[uid] = 0;
    auto& children = m_children[uid];
    auto& cycle = m_cycle[uid];
    children.clear();
    cycle.clear();

    // Children in cycle order: base, down the tree path to bx, then from by up to the base.
    std::vector<int32_t> upX;
    for (int32_t b = bx; b != base;
         b = m_top[static_cast<std::size_t>(m_labelFrom[static_cast<std::size_t>(b)])])
    {
        upX.push_back(b);
    }
    children.push_back(base);
    for (std::size_t k = upX.size(); k-- > 0;)
    {
        const auto node = static_cast<std::size_t>(upX[k]);
        cycle.emplace_back(m_labelFrom[node], m_labelTo[node]);
        children.push_back(upX[k]);
    }
    cycle.emplace_back(x, y);
    for (int32_t b = by; b != base;
         b = m_top[static_cast<std::size_t>(m_labelFrom[static_cast<std::size_t>(b)])])
    {
        const auto node = static_cast<std::size_t>(b);
        children.push_back(b);
        cycle.emplace_back(m_labelTo[node], m_labelFrom[node]);
    }

    for (int32_t c : children)
    {
        m_parent[static_cast<std::size_t>(c)] = id;
    }
    m_label[uid] = S;
    m_labelFrom[uid] = m_labelFrom[static_cast<std::size_t>(base)];
    m_labelTo[uid] = m_labelTo[static_cast<std::size_t>(base)];
    SetTop(id, id);

    // Least-slack rows: merge the S children, scan the T children (their vertices become S).
    const int32_t n = m_n;
    const std::size_t rowStart = static_cast<std::size_t>(id - n) * static_cast<std::size_t>(n);
    int32_t* row = &m_bestTo[rowStart];
    int64_t* keys = &m_bestToKey[rowStart];
    std::fill(row, row + n, -1);
    for (int32_t c : children)
    {
        if (m_label[static_cast<std::size_t>(c)] != S)
        {
            continue;
        }
        for (int32_t v = 0; v < n; ++v)
        {
            const auto [e, key] = BestTo(c, v);
            if (e >= 0 && m_top[static_cast<std::size_t>(v)] != id && (row[v] < 0 || key < keys[v]))
            {
                row[v] = e;
                keys[v] = key;
            }
        }
    }
    std::vector<int32_t> verts;
    for (int32_t c : children)
    {
        if (m_label[static_cast<std::size_t>(c)] == S)
        {
            continue;
        }
        verts.clear();
        CollectVertices(c, verts);
        m_queue.insert(m_queue.end(), verts.begin(), verts.end());
        ScanFresh(id, verts);
    }
    ComputeBestOuterEdge(id);
}

void
GeneralMatcher::ReleaseBlossom(int32_t b)
{
    const auto ub = static_cast<std::size_t>(b);
    m_inUse[ub] = 0;
    m_children[ub].clear();
    m_cycle[ub].clear();
    m_label[ub] = FREE;
    m_base[ub] = -1;
    m_dual[ub] = 0;
    m_freeIds.push_back(b);
}

void
GeneralMatcher::ExpandInner(int32_t b)
{
    const auto ub = static_cast<std::size_t>(b);
    const std::vector<int32_t> children = m_children[ub];
    const std::vector<std::pair<int32_t, int32_t>> cycle = m_cycle[ub];
    const int32_t from = m_labelFrom[ub];
    const int32_t to = m_labelTo[ub];
    const int32_t tree = m_treeOf[static_cast<std::size_t>(to)];
    int32_t entry = to;
    while (m_parent[static_cast<std::size_t>(entry)] != b)
    {
        entry = m_parent[static_cast<std::size_t>(entry)];
    }
    for (int32_t c : children)
    {
        m_parent[static_cast<std::size_t>(c)] = -1;
        m_label[static_cast<std::size_t>(c)] = FREE;
        SetTop(c, c);
        SetTree(c, -1);
    }
    ReleaseBlossom(b);

    // Relabel the even-length path from the entry child to the base child: T, S, T, ..., T.
    const std::size_t m = children.size();
    const auto i = static_cast<std::size_t>(std::find(children.begin(), children.end(), entry) -
                                            children.begin());
    const int step = (i % 2 == 1) ? 1 : -1;
    const auto ue = static_cast<std::size_t>(entry);
    SetTree(entry, tree);
    m_label[ue] = T;
    m_labelFrom[ue] = from;
    m_labelTo[ue] = to;
    std::size_t j = i;
    while (j != 0)
    {
        const std::size_t j1 = CycleNext(j, step, m);
        const auto matched = OrientedCycleEdge(cycle, j, step);
        const auto c1 = static_cast<std::size_t>(children[j1]);
        SetTree(children[j1], tree);
        m_label[c1] = S;
        m_labelFrom[c1] = matched.first;
        m_labelTo[c1] = matched.second;
        MakeOuter(children[j1]);
        const std::size_t j2 = CycleNext(j1, step, m);
        const auto unmatched = OrientedCycleEdge(cycle, j1, step);
        const auto c2 = static_cast<std::size_t>(children[j2]);
        SetTree(children[j2], tree);
        m_label[c2] = T;
        m_labelFrom[c2] = unmatched.first;
        m_labelTo[c2] = unmatched.second;
        j = j2;
    }
}

void
GeneralMatcher::ExpandFree(int32_t b)
{
    const auto ub = static_cast<std::size_t>(b);
    const std::vector<int32_t> children = m_children[ub];
    for (int32_t c : children)
    {
        const auto uc = static_cast<std::size_t>(c);
        m_parent[uc] = -1;
        m_label[uc] = FREE;
        m_labelFrom[uc] = -1;
        m_labelTo[uc] = -1;
        m_bestFrom[uc] = -1;
        m_bestOther[uc] = -1;
        SetTop(c, c);
    }
    ReleaseBlossom(b);
    for (int32_t c : children)
    {
        if (c >= m_n && m_dual[static_cast<std::size_t>(c)] == 0)
        {
            ExpandFree(c);
        }
    }
}

void
GeneralMatcher::AugmentBlossom(int32_t b, int32_t v)
{
    if (b < m_n)
    {
        return;
    }
    const auto ub = static_cast<std::size_t>(b);
    int32_t t = v;
    while (m_parent[static_cast<std::size_t>(t)] != b)
    {
        t = m_parent[static_cast<std::size_t>(t)];
    }
    AugmentBlossom(t, v);
    auto& children = m_children[ub];
    auto& cycle = m_cycle[ub];
    const std::size_t m = children.size();
    const auto i =
        static_cast<std::size_t>(std::find(children.begin(), children.end(), t) - children.begin());
    const int step = (i % 2 == 1) ? 1 : -1;
    std::size_t j = i;
    while (j != 0)
    {
        const std::size_t j1 = CycleNext(j, step, m);
        const std::size_t j2 = CycleNext(j1, step, m);
        const auto e = OrientedCycleEdge(cycle, j1, step);
        AugmentBlossom(children[j1], e.first);
        AugmentBlossom(children[j2], e.second);
        m_mate[static_cast<std::size_t>(e.first)] = e.second;
        m_mate[static_cast<std::size_t>(e.second)] = e.first;
        j = j2;
    }
    std::rotate(children.begin(),
                children.begin() + static_cast<std::ptrdiff_t>(i),
                children.end());
    std::rotate(cycle.begin(), cycle.begin() + static_cast<std::ptrdiff_t>(i), cycle.end());
    m_base[ub] = v;
}

void
GeneralMatcher::AugmentFrom(int32_t s, int32_t partner)
{
    while (true)
    {
        const int32_t bs = m_top[static_cast<std::size_t>(s)];
        AugmentBlossom(bs, s);
        m_mate[static_cast<std::size_t>(s)] = partner;
        const int32_t t = m_labelFrom[static_cast<std::size_t>(bs)];
        if (t < 0)
        {
            return; // reached the root: its old base was free
        }
        const int32_t bt = m_top[static_cast<std::size_t>(t)];
        const int32_t f = m_labelFrom[static_cast<std::size_t>(bt)];
        const int32_t z = m_labelTo[static_cast<std::size_t>(bt)];
        AugmentBlossom(bt, z);
        m_mate[static_cast<std::size_t>(z)] = f;
        s = f;
        partner = z;
    }
}

void
GeneralMatcher::SetTree(int32_t b, int32_t root)
{
    ForEachVertex(b, [this, root](int32_t v) { m_treeOf[static_cast<std::size_t>(v)] = root; });
}

void
GeneralMatcher::RecomputeBestS(int32_t v)
{
    // Weights are symmetric: row v holds w(x, v) for every x.
    const int64_t* wrow = &m_weight[static_cast<std::size_t>(v) * static_cast<std::size_t>(m_n)];
    int32_t best = -1;
    int64_t bestKey = 0;
    for (int32_t x = 0; x < m_n; ++x)
    {
        const auto ux = static_cast<std::size_t>(x);
        if (wrow[x] == 0 || m_label[static_cast<std::size_t>(m_top[ux])] != S)
        {
            continue;
        }
        const int64_t key = m_dual[ux] + m_shift - wrow[x];
        if (best < 0 || key < bestKey)
        {
            best = x;
            bestKey = key;
        }
    }
    m_bestS[static_cast<std::size_t>(v)] = best;
    m_bestSKey[static_cast<std::size_t>(v)] = bestKey;
}

void
GeneralMatcher::Dissolve()
{
    // The trees whose matching just changed leave the forest; every other tree is kept, and
    // the least-slack records that pointed into the dissolved trees are recomputed.
    const int32_t n = m_n;
    m_verts.clear();
    for (int32_t v = 0; v < n; ++v)
    {
        const int32_t t = m_treeOf[static_cast<std::size_t>(v)];
        if (t >= 0 && std::find(m_dissolve.begin(), m_dissolve.end(), t) != m_dissolve.end())
        {
            m_verts.push_back(v);
            m_inD[static_cast<std::size_t>(v)] = 1;
        }
    }
    m_dissolve.clear();
    for (int32_t v : m_verts)
    {
        const auto b = static_cast<std::size_t>(m_top[static_cast<std::size_t>(v)]);
        m_treeOf[static_cast<std::size_t>(v)] = -1;
        m_label[b] = FREE;
        m_labelFrom[b] = -1;
        m_labelTo[b] = -1;
        m_bestFrom[b] = -1;
        m_bestOther[b] = -1;
    }
    for (int32_t v : m_verts)
    {
        const int32_t b = m_top[static_cast<std::size_t>(v)];
        if (b >= n && m_dual[static_cast<std::size_t>(b)] == 0)
        {
            ExpandFree(b);
        }
    }
    for (int32_t v = 0; v < n; ++v)
    {
        const auto uv = static_cast<std::size_t>(v);
        if (m_inD[uv] || (m_label[static_cast<std::size_t>(m_top[uv])] != S && m_bestS[uv] >= 0 &&
                          m_inD[static_cast<std::size_t>(m_bestS[uv])]))
        {
            RecomputeBestS(v);
        }
    }
    for (int32_t b = 0; b < 2 * n; ++b)
    {
        const auto ub = static_cast<std::size_t>(b);
        if (m_parent[ub] < 0 && (b < n || m_inUse[ub]) && m_label[ub] == S &&
            m_bestOther[ub] >= 0 && m_inD[static_cast<std::size_t>(m_bestOther[ub])])
        {
            ComputeBestOuterEdge(b);
        }
    }
    for (int32_t v : m_verts)
    {
        m_inD[static_cast<std::size_t>(v)] = 0;
    }
}

void
GeneralMatcher::Run()
{
    const int32_t n = m_n;
    const int32_t nodes = 2 * n;
    auto isTop = [this](int32_t b) {
        const auto ub = static_cast<std::size_t>(b);
        return m_parent[ub] < 0 && (b < m_n || m_inUse[ub]);
    };

    // Every free vertex with a positive dual roots a tree.
    m_queue.clear();
    m_queueHead = 0;
    for (int32_t b = 0; b < nodes; ++b)
    {
        if (!isTop(b))
        {
            continue;
        }
        const int32_t base = m_base[static_cast<std::size_t>(b)];
        if (m_mate[static_cast<std::size_t>(base)] < 0 &&
            m_dual[static_cast<std::size_t>(base)] > 0)
        {
            m_label[static_cast<std::size_t>(b)] = S;
            SetTree(b, base);
            MakeOuter(b);
        }
    }

    // At most O(n) events separate two changes of the matching and there are at most n
    // changes: a generous cap turns a would-be endless loop (a bug) into an exception.
    const int64_t maxSteps = 16 * (static_cast<int64_t>(n) + 2) * (static_cast<int64_t>(n) + 2);
    for (int64_t step = 0;; ++step)
    {
        if (step > maxSteps)
        {
            throw std::logic_error("GeneralMatcher: no progress after " + std::to_string(step) +
                                   " dual steps");
        }
        // Primal: grow the forest along tight edges from S vertices.
        while (m_queueHead < m_queue.size())
        {
            const int32_t x = m_queue[m_queueHead++];
            const int64_t* wrow =
                &m_weight[static_cast<std::size_t>(x) * static_cast<std::size_t>(n)];
            for (int32_t y = 0; y < n; ++y)
            {
                const int32_t bx = m_top[static_cast<std::size_t>(x)];
                if (m_label[static_cast<std::size_t>(bx)] != S)
                {
                    break; // x's tree was dissolved
                }
                if (wrow[y] == 0)
                {
                    continue;
                }
                const int32_t by = m_top[static_cast<std::size_t>(y)];
                if (bx == by || m_label[static_cast<std::size_t>(by)] == T || Slack(x, y) != 0)
                {
                    continue;
                }
                if (HandleTightEdge(x, y))
                {
                    Dissolve();
                }
            }
        }

        // Dual: the largest step that keeps every slack and every dual non-negative.
        int type = 1;
        int32_t arg = -1;
        int64_t delta = kInf;
        for (int32_t v = 0; v < n; ++v)
        {
            const auto uv = static_cast<std::size_t>(v);
            if (m_label[static_cast<std::size_t>(m_top[uv])] == S && m_dual[uv] < delta)
            {
                delta = m_dual[uv];
                arg = v;
            }
        }
        if (arg < 0)
        {
            return; // no tree left: every free vertex has dual 0, the matching is optimal
        }
        for (int32_t v = 0; v < n; ++v)
        {
            const auto uv = static_cast<std::size_t>(v);
            if (m_bestS[uv] >= 0 && m_label[static_cast<std::size_t>(m_top[uv])] == FREE)
            {
                const int64_t s = m_bestSKey[uv] - m_shift + m_dual[uv];
                if (s < delta)
                {
                    delta = s;
                    type = 2;
                    arg = v;
                }
            }
        }
        for (int32_t b = 0; b < nodes; ++b)
        {
            const auto ub = static_cast<std::size_t>(b);
            if (!isTop(b))
            {
                continue;
            }
            if (m_label[ub] == S && m_bestFrom[ub] >= 0)
            {
                const int64_t s = Slack(m_bestFrom[ub], m_bestOther[ub]);
                if (s % 2 != 0)
                {
                    throw std::logic_error("GeneralMatcher: odd slack between S vertices");
                }
                if (s / 2 < delta)
                {
                    delta = s / 2;
                    type = 3;
                    arg = b;
                }
            }
            else if (m_label[ub] == T && b >= n && m_dual[ub] / 2 < delta)
            {
                delta = m_dual[ub] / 2;
                type = 4;
                arg = b;
            }
        }

        m_shift += delta;
        for (int32_t v = 0; v < n; ++v)
        {
            const auto uv = static_cast<std::size_t>(v);
            const int8_t l = m_label[static_cast<std::size_t>(m_top[uv])];
            if (l == S)
            {
                m_dual[uv] -= delta;
            }
            else if (l == T)
            {
                m_dual[uv] += delta;
            }
        }
        for (int32_t b = n; b < nodes; ++b)
        {
            const auto ub = static_cast<std::size_t>(b);
            if (isTop(b))
            {
                if (m_label[ub] == S)
                {
                    m_dual[ub] += 2 * delta;
                }
                else if (m_label[ub] == T)
                {
                    m_dual[ub] -= 2 * delta;
                }
            }
        }

        bool changed = false;
        switch (type)
        {
        case 1:
            // S vertex `arg` reached dual 0: flip the path from its root, leave it free.
            m_dissolve.push_back(m_treeOf[static_cast<std::size_t>(arg)]);
            AugmentFrom(arg, -1);
            changed = true;
            break;
        case 2:
            changed = HandleTightEdge(m_bestS[static_cast<std::size_t>(arg)], arg);
            break;
        case 3:
            changed = HandleTightEdge(m_bestFrom[static_cast<std::size_t>(arg)],
                                      m_bestOther[static_cast<std::size_t>(arg)]);
            break;
        default:
            ExpandInner(arg);
            break;
        }
        if (changed)
        {
            Dissolve();
        }
    }
}

} // namespace pmoe
} // namespace ns3
