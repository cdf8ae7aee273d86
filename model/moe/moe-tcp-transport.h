/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_TCP_TRANSPORT_H
#define MOE_TCP_TRANSPORT_H

#include "moe-transport.h"

#include "ns3/address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/tcp-socket-state.h"
#include "ns3/type-id.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * MoE traffic over ns-3 TCP: one connection per ordered pair and traffic kind (dispatch to
 * port 5000, combine to port 5001), so that a receiver tells the kinds apart without framing.
 *
 * The attributes size TCP for a datacenter (ns-3's defaults are tuned for the wide area: a
 * 1 s minimum RTO, 128 KiB buffers, 536-byte segments): a 9000-byte MTU segment, buffers and
 * an initial window of about one bandwidth-delay product at 400 Gb/s, a sub-millisecond
 * minimum RTO and a 1 us clock. They are applied to every socket the transport creates;
 * CongestionControl becomes the node's TcpL4Protocol SocketType when the transport starts.
 */
class MoeTcpTransport : public MoeTransport
{
  public:
    /// TCP port of dispatch connections.
    static constexpr uint16_t DISPATCH_PORT = 5000;
    /// TCP port of combine connections.
    static constexpr uint16_t COMBINE_PORT = 5001;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeTcpTransport();
    ~MoeTcpTransport() override;

    void Start() override;
    void Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes) override;

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

    /**
     * @return the traffic kinds that get their own connections (both; the shared transport:
     *         dispatch only, combine rides the reverse direction)
     */
    virtual uint32_t ConnectionKinds() const;

    /**
     * A connection from @p src on the port of @p kind was accepted.
     * @param s the accepted socket
     * @param kind its kind
     * @param src the peer
     */
    virtual void Accepted(Ptr<Socket> s, uint32_t kind, uint32_t src);

    /**
     * A socket this transport connects: register its sending side.
     * @param s the socket
     * @param kind the kind it sends
     * @param dst the peer
     */
    virtual void Connecting(Ptr<Socket> s, uint32_t kind, uint32_t dst);

    /**
     * Make @p s carry the sending stream (kind, peer).
     * @param s a connected socket
     * @param kind kind
     * @param peer peer
     * @param connected true if it is connected already
     */
    void AttachSender(Ptr<Socket> s, uint32_t kind, uint32_t peer, bool connected);

    /**
     * Make @p s deliver the receiving stream (kind, peer).
     * @param s a socket
     * @param kind kind
     * @param peer peer
     */
    void AttachReceiver(Ptr<Socket> s, uint32_t kind, uint32_t peer);

    /**
     * Hand allowed bytes of (kind, peer) to its socket.
     * @param kind kind
     * @param peer peer
     */
    void Pump(uint32_t kind, uint32_t peer);

  private:
    /** Sending state of one (kind, peer) stream. */
    struct Stream
    {
        Ptr<Socket> socket;    //!< its socket
        bool connected{false}; //!< connection established
        uint64_t allowed{0};   //!< bytes the application allows (cumulative)
        uint64_t written{0};   //!< bytes handed to the socket (cumulative)
    };

    /** @param s socket @param kind kind (the port it listens on) */
    void Configure(Ptr<Socket> s);
    /** @param s listening socket @param from peer address */
    void HandleAccept(Ptr<Socket> s, const Address& from);
    /** @param s socket with data */
    void HandleRead(Ptr<Socket> s);
    /** @param s connected socket */
    void ConnectionSucceeded(Ptr<Socket> s);
    /** @param s socket */
    void ConnectionFailed(Ptr<Socket> s);
    /** @param s socket @param available bytes available */
    void HandleSend(Ptr<Socket> s, uint32_t available);
    /**
     * CongState trace of a sending socket: counts timeouts and fast recoveries.
     * @param from old state
     * @param to new state
     */
    void CongStateChanged(TcpSocketState::TcpCongState_t from, TcpSocketState::TcpCongState_t to);

    uint32_t m_segmentSize{8948};      //!< SegmentSize
    uint32_t m_bufferBytes{512 << 10}; //!< send and receive buffers
    uint32_t m_initialCwnd{16};        //!< InitialCwnd (segments)
    uint32_t m_delAckCount{2};         //!< DelAckCount
    Time m_delAckTimeout;              //!< DelAckTimeout
    Time m_minRto;                     //!< MinRto
    Time m_clockGranularity;           //!< ClockGranularity
    Time m_connTimeout;                //!< ConnTimeout
    TypeId m_congestionControl;        //!< congestion control (TcpL4Protocol SocketType)

    Ptr<Socket> m_listen[2];                                     //!< listening sockets
    std::vector<Ptr<Socket>> m_accepted;                         //!< accepted sockets
    std::map<Ptr<Socket>, std::pair<uint32_t, uint32_t>> m_rxOf; //!< socket -> (kind, src)
    std::map<Ptr<Socket>, std::pair<uint32_t, uint32_t>> m_txOf; //!< socket -> (kind, dst)
    std::vector<Stream> m_tx[2];                                 //!< per kind, per peer
};

/**
 * @ingroup photonic-moe
 * MoE traffic over one TCP connection per ordered pair (i, j), opened by i: dispatch i -> j
 * flows one way and combine j -> i the other way (each direction of a TCP connection is its
 * own byte stream, so no framing is needed). Half the sockets of MoeTcpTransport, and ACKs
 * can ride on data; ns-3 demultiplexes segments by walking a host's sockets, so this halves
 * a large part of the simulation cost at 64 GPUs and more.
 */
class MoeSharedTcpTransport : public MoeTcpTransport
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeSharedTcpTransport();
    ~MoeSharedTcpTransport() override;

  protected:
    uint32_t ConnectionKinds() const override;
    void Accepted(Ptr<Socket> s, uint32_t kind, uint32_t src) override;
    void Connecting(Ptr<Socket> s, uint32_t kind, uint32_t dst) override;
};

} // namespace ns3

#endif /* MOE_TCP_TRANSPORT_H */
