/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_GENERAL_MATCHER_H
#define PMOE_GENERAL_MATCHER_H

/**
 * @file
 * @ingroup photonic-moe
 * Exact maximum-weight matching on a general graph (Edmonds' blossom algorithm), for the
 * duplex circuit model.
 */

#include "pmoe-demand-matrix.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Exact maximum-weight matching on a general graph (Edmonds' blossom algorithm with dual
 * variables, O(n^3) in Galil's organisation), for the duplex circuit model, in exact int64
 * arithmetic (weights scaled by 4 so that every dual stays an integer). Maximum weight, not
 * maximum cardinality. Starts from duals u_v = 2 max_j w(v, j) with mutually heaviest pairs
 * matched, and keeps the alternating forest across augmentations: only the trees an
 * augmentation touched are rebuilt. Deterministic. See pmoe-general-matcher.cc for the invariants.
 *
 * Written for this module: Boost's maximum_weighted_matching before 1.88 is wrong, and
 * LEMON 1.3.1 does not compile as C++20. The tests check it against exhaustive search and
 * against LEMON (when installed).
 */
class GeneralMatcher
{
  public:
    /**
     * @param w n x n symmetric non-negative weights (use DemandMatrix::PairSums())
     * @return mate: mate[i] = j and mate[j] = i for matched pairs, -1 for unmatched;
     *         only pairs with positive weight are matched (valid until the next call)
     * @throws InputError if @p w is not symmetric or a weight exceeds
     *         INT64_MAX / (8 (n + 1)) (exactness limit)
     */
    const std::vector<int32_t>& Solve(const DemandMatrix& w);

  private:
    /// Node labels of the alternating forest (for top-level blossoms).
    enum Label : int8_t
    {
        FREE = 0, //!< not in the forest
        S = 1,    //!< outer (even) node
        T = 2     //!< inner (odd) node
    };

    /// @return slack of edge (x, y) between different top-level blossoms (scaled units)
    int64_t Slack(int32_t x, int32_t y) const
    {
        return m_dual[x] + m_dual[y] - m_weight[static_cast<std::size_t>(x) * m_n + y];
    }

    /// @return scaled weight of edge (x, y); 0 means "no edge"
    int64_t Weight(int32_t x, int32_t y) const
    {
        return m_weight[static_cast<std::size_t>(x) * m_n + y];
    }

    void Reset(const DemandMatrix& w);     //!< size and clear the workspace
    void Run();                            //!< grow, augment, repair until optimal
    void SetTree(int32_t b, int32_t root); //!< tree (root vertex) of b's vertices
    void Dissolve();                       //!< drop the trees listed in m_dissolve
    /// Least-slack S vertex for non-S vertex @p v, by scanning its row
    void RecomputeBestS(int32_t v);
    /**
     * Call f(v) for every vertex v (leaf) of blossom-tree node b, in order.
     * @param b a vertex or blossom
     * @param f the action
     */
    template <typename F>
    void ForEachVertex(int32_t b, F&& f) const;
    void CollectVertices(int32_t b, std::vector<int32_t>& out) const; //!< leaves of node b
    void SetTop(int32_t b, int32_t top); //!< top-level id of b's vertices
    void MakeOuter(int32_t b);           //!< bookkeeping for a new S node
    /// New S vertices @p verts (inside S node @p b): update m_bestS and b's m_bestTo row
    void ScanFresh(int32_t b, const std::vector<int32_t>& verts);
    void ComputeBestOuterEdge(int32_t b); //!< least-slack S-S edge leaving b
    /// Vertex of S node @p b with the least slack to @p v (-1 if none) and its key
    std::pair<int32_t, int64_t> BestTo(int32_t b, int32_t v) const;
    void InitialMatching();                               //!< jump start: tight greedy pairs
    void LabelInner(int32_t b, int32_t from, int32_t to); //!< label b T (and its mate S)
    /// Act on a tight edge from S vertex x to y outside its blossom (T label, blossom or
    /// augmentation). @return true if the matching changed
    bool HandleTightEdge(int32_t x, int32_t y);
    int32_t FindCommonAncestor(int32_t x, int32_t y);    //!< base node, or -1 (other tree)
    int32_t NextOuterUp(int32_t b) const;                //!< S node two steps up, or -1 at a root
    void AddBlossom(int32_t base, int32_t x, int32_t y); //!< shrink the odd cycle
    void ReleaseBlossom(int32_t b); //!< return the id of expanded blossom b to the free ids
    void ExpandInner(int32_t b);    //!< expand a T blossom with zero dual
    void ExpandFree(int32_t b);     //!< expand a zero-dual blossom outside the forest (recursively)
    void AugmentBlossom(int32_t b, int32_t v);    //!< make v the base of b
    void AugmentFrom(int32_t s, int32_t partner); //!< flip the path from s to its root

    // Workspace reused across calls. Node ids: vertices 0..n-1, blossoms n..2n-1.
    int32_t m_n{0};
    std::vector<int64_t> m_weight; //!< weights times 4, row-major n x n
    std::vector<int64_t> m_dual;   //!< vertex duals u, blossom duals z (times 4)
    int64_t m_shift{0};          //!< sum of all dual steps: an S vertex keeps u + m_shift constant
    std::vector<int32_t> m_mate; //!< vertex -> matched vertex or -1 (the result)
    std::vector<int32_t> m_top;  //!< vertex -> top-level node containing it
    std::vector<int32_t> m_parent;                //!< node -> enclosing blossom or -1
    std::vector<int32_t> m_base;                  //!< node -> base vertex
    std::vector<char> m_inUse;                    //!< blossom id currently in use
    std::vector<int32_t> m_freeIds;               //!< unused blossom ids (stack)
    std::vector<std::vector<int32_t>> m_children; //!< blossom -> children, base child first
    std::vector<std::vector<std::pair<int32_t, int32_t>>> m_cycle; //!< edge k joins child k, k+1
    std::vector<int8_t> m_label;      //!< node label (meaningful for top-level nodes)
    std::vector<int32_t> m_labelFrom; //!< labelling edge: vertex outside the node, or -1
    std::vector<int32_t> m_labelTo;   //!< labelling edge: vertex inside the node
    std::vector<int32_t> m_bestS;     //!< non-S vertex -> S vertex of least slack, or -1
    std::vector<int64_t> m_bestSKey;  //!< key (u_x + shift - w) of m_bestS
    std::vector<int32_t> m_bestTo;    //!< (blossom - n) x n: see BestTo
    std::vector<int64_t> m_bestToKey; //!< keys of m_bestTo
    std::vector<int32_t> m_bestFrom;  //!< S node -> least-slack S-S edge endpoint inside
    std::vector<int32_t> m_bestOther; //!< S node -> least-slack S-S edge endpoint outside
    std::vector<int32_t> m_queue;     //!< S vertices whose edges are still to be scanned
    std::size_t m_queueHead{0};       //!< next queue entry
    std::vector<uint32_t> m_mark;     //!< ancestor search marks
    uint32_t m_stamp{0};              //!< current mark value
    std::vector<int32_t> m_verts;     //!< scratch vertex list
    std::vector<int32_t> m_treeOf;    //!< vertex -> root vertex of its tree, or -1
    std::vector<int32_t> m_dissolve;  //!< roots of trees to dissolve after a change
    std::vector<char> m_inD;          //!< scratch: vertex in a dissolved tree
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_GENERAL_MATCHER_H */
