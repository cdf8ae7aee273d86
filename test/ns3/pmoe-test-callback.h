/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_TEST_CALLBACK_H
#define PMOE_TEST_CALLBACK_H

// Trace sinks and scheduled events written as lambdas, for the tests, in a form that compiles
// on every supported ns-3: waf-era ns-3 (3.35) has no Callback constructor from a lambda and
// no Simulator::Schedule overload for one. The lambda goes into a std::function held by a
// reference-counted object, and the ns-3 Callback or event calls a member or free function.

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/simple-ref-count.h"
#include "ns3/simulator.h"

#include <functional>
#include <utility>

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * Holds a std::function; the Callback made by FunctionCallback() calls Call() through a Ptr,
 * so the function lives as long as the Callback.
 * @tparam R return type
 * @tparam Args argument types
 */
template <typename R, typename... Args>
class FunctionHolder : public SimpleRefCount<FunctionHolder<R, Args...>>
{
  public:
    /** The held function type. */
    using Function = std::function<R(Args...)>;

    /** @param f the function */
    explicit FunctionHolder(Function f)
        : m_function(std::move(f))
    {
    }

    /**
     * Call the function.
     * @param args arguments
     * @return what the function returns
     */
    R Call(Args... args)
    {
        return m_function(args...);
    }

  private:
    Function m_function; //!< the function
};

/**
 * An ns-3 Callback that calls @p f (any callable, e.g. a lambda).
 * Use: FunctionCallback<void, Ptr<const Packet>>([&](Ptr<const Packet> p) { ... }).
 * @tparam R return type
 * @tparam Args argument types, exactly as in the Callback expected
 * @param f the callable
 * @return the Callback
 */
template <typename R, typename... Args>
Callback<R, Args...>
FunctionCallback(typename FunctionHolder<R, Args...>::Function f)
{
    return MakeCallback(&FunctionHolder<R, Args...>::Call,
                        Create<FunctionHolder<R, Args...>>(std::move(f)));
}

/**
 * Event body of ScheduleFunction().
 * @param f the function to run
 */
inline void
RunFunction(std::function<void()> f)
{
    f();
}

/**
 * Simulator::Schedule for a callable (e.g. a lambda) on every supported ns-3.
 * @param delay delay from now
 * @param f the callable
 * @return the event
 */
inline EventId
ScheduleFunction(const Time& delay, std::function<void()> f)
{
    return Simulator::Schedule(delay, &RunFunction, std::move(f));
}

} // namespace tests
} // namespace pmoe
} // namespace ns3

#endif /* PMOE_TEST_CALLBACK_H */
