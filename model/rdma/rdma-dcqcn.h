/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_DCQCN_H
#define RDMA_DCQCN_H

#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Attribute check of the RDMA classes.
 * @param what the attribute, e.g. "RdmaNic::NakInterval"
 * @param t its value
 * @throws pmoe::InputError "<what> must be > 0, got <t> ns" unless @p t > 0
 */
void RdmaRequirePositive(const std::string& what, Time t);

/**
 * @ingroup photonic-moe
 * The DCQCN reaction-point state of one queue pair (see RdmaDcqcn). Rates are in bit/s.
 */
struct RdmaDcqcnState
{
    double lineBps{0};       //!< line rate: the rate never exceeds it
    double rc{0};            //!< current rate R_C
    double rt{0};            //!< target rate R_T
    double alpha{1};         //!< congestion estimate alpha
    Time alphaRef;           //!< start of the current alpha period (last CNP)
    Time timerRef;           //!< start of the current rate-increase timer period
    uint32_t timerEvents{0}; //!< rate-increase timer expiries since the last cut (i)
    uint32_t byteEvents{0};  //!< byte-counter expiries since the last cut (j)
    uint64_t bytes{0};       //!< bytes sent since the last byte-counter expiry
    bool limited{false};     //!< below line rate: the increase timers run
    uint64_t rateCuts{0};    //!< CNPs that cut the rate
};

/**
 * @ingroup photonic-moe
 * DCQCN rate control at the RDMA sender (the reaction point of Zhu et al., "Congestion Control
 * for Large-Scale RDMA Deployments", SIGCOMM 2015), with the paper's parameters as attribute
 * defaults and NIC defaults (the Mellanox model in HPCC's ns-3 simulator) where the paper
 * gives none.
 *
 * One object holds the parameters of a NIC; each queue pair keeps an RdmaDcqcnState.
 *
 * - **Cut** (a CNP arrives): alpha first decays by (1 - g) for every whole AlphaTimer period
 *   since the previous CNP (the alpha timer starts at the first CNP); then R_T = R_C, R_C =
 * max(MinRate, R_C (1 - alpha / 2)), alpha = (1 - g) alpha + g; the increase timer and the byte
 * counter restart (i = j = 0).
 * - **Increase events**: the timer expires every IncreaseTimer after the cut (i += 1); the
 *   byte counter expires every ByteCounter bytes sent (j += 1). On each event: if
 *   max(i, j) <= F (FastRecoverySteps) it is fast recovery (R_T unchanged); if
 *   min(i, j) > F hyper increase (R_T += (min(i, j) - F) R_HAI); otherwise additive increase
 *   (R_T += R_AI); then R_C = (R_T + R_C) / 2. R_C is capped at the line rate; R_T is not
 *   (the paper does not bound it), so R_C reaches the line rate after a finite number of
 *   events, and then the controller is idle (no timers) until the next CNP.
 *
 * **Lazy timers.** The timers schedule no events: a state stores when its periods began, and
 * the expired periods are applied in time order when the rate is read (Update(): before every
 * packet the queue pair sends, at a CNP, or when asked). The rate only matters when a packet
 * is sent, so this is exact, and a queue pair under DCQCN costs no event beyond its pacing.
 */
class RdmaDcqcn : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    RdmaDcqcn();
    ~RdmaDcqcn() override;

    /**
     * Start a queue pair at the line rate.
     * @param s its state
     * @param line the line rate (> 0)
     */
    void Init(RdmaDcqcnState& s, DataRate line) const;

    /**
     * A CNP arrived: apply expired increase events, then cut the rate.
     * @param s the state
     * @param now the current time
     */
    void OnCnp(RdmaDcqcnState& s, Time now) const;

    /**
     * Apply the increase-timer periods that expired by @p now.
     * @param s the state
     * @param now the current time
     * @return the current rate R_C in bit/s
     */
    double Update(RdmaDcqcnState& s, Time now) const;

    /**
     * Count bytes sent (byte counter); applies expired timer periods first.
     * @param s the state
     * @param bytes bytes of the frame just sent
     * @param now the current time
     */
    void OnSent(RdmaDcqcnState& s, uint64_t bytes, Time now) const;

  private:
    /**
     * One increase event (timer or byte counter).
     * @param s the state
     */
    void Increase(RdmaDcqcnState& s) const;

    /** @param g EWMA gain in (0, 1] @throws pmoe::InputError otherwise */
    void SetGain(double g);
    /** @return the gain */
    double GetGain() const;
    /** @param alpha initial alpha in [0, 1] @throws pmoe::InputError otherwise */
    void SetInitialAlpha(double alpha);
    /** @return the initial alpha */
    double GetInitialAlpha() const;
    /** @param t alpha timer, > 0 @throws pmoe::InputError otherwise */
    void SetAlphaTimer(Time t);
    /** @return the alpha timer */
    Time GetAlphaTimer() const;
    /** @param t increase timer, > 0 @throws pmoe::InputError otherwise */
    void SetIncreaseTimer(Time t);
    /** @return the increase timer */
    Time GetIncreaseTimer() const;
    /** @param bytes byte counter, > 0 @throws pmoe::InputError otherwise */
    void SetByteCounter(uint64_t bytes);
    /** @return the byte counter */
    uint64_t GetByteCounter() const;
    /** @param rate additive increase step, > 0 @throws pmoe::InputError otherwise */
    void SetRateAi(DataRate rate);
    /** @return the additive increase step */
    DataRate GetRateAi() const;
    /** @param rate hyper increase step, > 0 @throws pmoe::InputError otherwise */
    void SetRateHai(DataRate rate);
    /** @return the hyper increase step */
    DataRate GetRateHai() const;
    /** @param rate minimum rate, > 0 @throws pmoe::InputError otherwise */
    void SetMinRate(DataRate rate);
    /** @return the minimum rate */
    DataRate GetMinRate() const;

    double m_g{1.0 / 256};           //!< EWMA gain g
    double m_initialAlpha{1.0};      //!< alpha of a new queue pair
    Time m_alphaTimer;               //!< K: alpha decays once per K without a CNP
    Time m_increaseTimer;            //!< T: rate-increase timer
    uint64_t m_byteCounter{0};       //!< B: bytes per byte-counter event
    uint32_t m_fastRecoverySteps{5}; //!< F: fast-recovery events
    DataRate m_rateAi;               //!< R_AI
    DataRate m_rateHai;              //!< R_HAI
    DataRate m_minRate;              //!< lowest rate a cut may reach
};

} // namespace ns3

#endif /* RDMA_DCQCN_H */
