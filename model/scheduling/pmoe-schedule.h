/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_SCHEDULE_H
#define PMOE_SCHEDULE_H

#include "pmoe-demand-matrix.h"
#include "pmoe-enum-names.h"
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
 * How circuits use the switch ports.
 */
enum class CircuitModel
{
    UNIDIRECTIONAL, //!< N x N crossbar: port i transmits to sigma(i); a bipartite matching
    DUPLEX          //!< a circuit joins two ports both ways; a matching on a general graph
};

/**
 * @ingroup photonic-moe
 * Names of CircuitModel: unidirectional, duplex.
 */
template <>
struct EnumTable<CircuitModel>
{
    static constexpr const char* kNoun = "circuit model"; //!< for messages
    static constexpr bool kIgnoreCase = false;            //!< names match exactly
    /** The names. */
    static constexpr EnumName<CircuitModel> kNames[] = {
        {CircuitModel::UNIDIRECTIONAL, "unidirectional"},
        {CircuitModel::DUPLEX, "duplex"},
    };
};

/**
 * @ingroup photonic-moe
 * One circuit of a configuration. Unidirectional: light from @c src to @c dst.
 * Duplex: @c src < @c dst, and the circuit carries both directions.
 */
struct Circuit
{
    uint32_t src{0}; //!< transmitting port (duplex: the lower port)
    uint32_t dst{0}; //!< receiving port (duplex: the higher port)

    /**
     * @param o another circuit
     * @return true if both join the same ports in the same direction
     */
    bool operator==(const Circuit& o) const
    {
        return src == o.src && dst == o.dst;
    }

    /**
     * @param o another circuit
     * @return lexicographic order on (src, dst)
     */
    bool operator<(const Circuit& o) const
    {
        return src < o.src || (src == o.src && dst < o.dst);
    }
};

/**
 * @ingroup photonic-moe
 * One switch configuration held for a duration: a matching of ports.
 */
struct Configuration
{
    std::vector<Circuit> circuits; //!< sorted by (src, dst); a valid matching
    Ns durationNs{0};              //!< how long the circuits carry light (excludes delta)
    Bytes plannedBytes{0};         //!< bytes the decomposition planned to serve in it
};

/**
 * @ingroup photonic-moe
 * Traffic the decomposition sends over two circuits through an intermediate port
 * (residual policy "relay"): first hop in configuration @c firstConfig, second hop in the
 * later configuration @c secondConfig.
 */
struct RelayFlow
{
    uint32_t src{0};          //!< original source port
    uint32_t via{0};          //!< intermediate port that stores and forwards
    uint32_t dst{0};          //!< final destination port
    Bytes bytes{0};           //!< bytes relayed
    uint32_t firstConfig{0};  //!< index of the configuration carrying src -> via
    uint32_t secondConfig{0}; //!< index of the configuration carrying via -> dst
};

/**
 * @ingroup photonic-moe
 * A circuit schedule: data, not behaviour. It can be printed, saved (JSON), loaded and
 * replayed on the packet-level switch. Produced by a decomposition, evaluated by the fluid
 * evaluator.
 */
class Schedule
{
  public:
    Schedule() = default;

    /**
     * @param ports number of switch ports
     * @param model circuit model
     */
    Schedule(std::size_t ports, CircuitModel model);

    /** @return the number of switch ports */
    std::size_t Ports() const
    {
        return m_ports;
    }

    /** @return the circuit model */
    CircuitModel Model() const
    {
        return m_model;
    }

    /**
     * Append a configuration; its circuits are sorted and validated.
     * @param config configuration to append
     * @throws InputError if it is not a valid matching for this port count and model
     */
    void Append(Configuration config);

    /** @return the configurations in order */
    const std::vector<Configuration>& Configurations() const
    {
        return m_configs;
    }

    /**
     * Direct access for algorithms that adjust durations in place; circuits must stay a
     * valid matching (Validate checks).
     * @return the configurations in order
     */
    std::vector<Configuration>& MutableConfigurations()
    {
        return m_configs;
    }

    /** @return the number of configurations */
    std::size_t NumConfigurations() const
    {
        return m_configs.size();
    }

    /** @return sum of configuration durations (excluding reconfiguration) */
    Ns TotalCircuitTimeNs() const;

    /**
     * Check every configuration is a valid matching (no port used twice as a source or as a
     * destination; duplex: no port in two circuits, src < dst; no self-loops; ports < N) and
     * every duration is >= 0.
     * @throws InputError describing the first violation
     */
    void Validate() const;

    // Bookkeeping filled by decompositions.
    std::string algorithm;         //!< name of the algorithm that produced it
    DemandMatrix residual;         //!< demand left uncovered (for the electrical fabric)
    Bytes stuffedBytes{0};         //!< dummy bytes added by stuffing (BvN, Solstice)
    std::vector<RelayFlow> relays; //!< two-hop relays (residual policy "relay")

  private:
    std::size_t m_ports{0};
    CircuitModel m_model{CircuitModel::UNIDIRECTIONAL};
    std::vector<Configuration> m_configs;
};

/**
 * Check that @p circuits form a valid matching on @p ports ports in circuit model @p model.
 * @param circuits the circuits
 * @param ports number of ports
 * @param model circuit model
 * @return empty string if valid, otherwise a description of the first violation
 */
std::string CheckMatching(const std::vector<Circuit>& circuits,
                          std::size_t ports,
                          CircuitModel model);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_SCHEDULE_H */
