/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-decomposition.h"

#include <algorithm>

namespace ns3
{
namespace pmoe
{

namespace
{

/** @return a factory of decomposer @p T */
template <typename T>
DecomposerRegistry::Factory
FactoryOf()
{
    return [] { return std::make_unique<T>(); };
}

} // namespace

DecomposerRegistry::DecomposerRegistry()
{
    Add("greedy", FactoryOf<GreedyDecomposer>());
    Add("bvn", FactoryOf<BvnDecomposer>());
    Add("solstice", FactoryOf<SolsticeDecomposer>());
    Add("eclipse", FactoryOf<EclipseDecomposer>());
    Add("rotor", FactoryOf<RotorDecomposer>());
    Add("static", FactoryOf<StaticDecomposer>());
    Add("sunflow", FactoryOf<SunflowDecomposer>());
    Add("auto", FactoryOf<AutoDecomposer>());
}

DecomposerRegistry&
DecomposerRegistry::Default()
{
    static DecomposerRegistry registry;
    return registry;
}

void
DecomposerRegistry::Add(const std::string& name, Factory factory)
{
    if (name.empty())
    {
        throw InputError("a decomposition algorithm needs a name");
    }
    if (!factory)
    {
        throw InputError("decomposition algorithm '" + PrintableName(name) + "' has no factory");
    }
    auto same = [&name](const auto& entry) { return entry.first == name; };
    if (std::any_of(m_factories.begin(), m_factories.end(), same))
    {
        throw InputError("decomposition algorithm '" + PrintableName(name) +
                         "' is already registered");
    }
    m_factories.emplace_back(name, std::move(factory));
}

std::unique_ptr<Decomposer>
DecomposerRegistry::Make(const std::string& name) const
{
    for (const auto& [known, factory] : m_factories)
    {
        if (known == name)
        {
            return factory();
        }
    }
    throw UnknownNameError("decomposition algorithm", name, Names());
}

std::vector<std::string>
DecomposerRegistry::Names() const
{
    std::vector<std::string> names;
    for (const auto& entry : m_factories)
    {
        names.push_back(entry.first);
    }
    return names;
}

std::unique_ptr<Decomposer>
MakeDecomposer(const std::string& name)
{
    return DecomposerRegistry::Default().Make(name);
}

std::vector<std::string>
DecomposerNames()
{
    return DecomposerRegistry::Default().Names();
}

Schedule
Decompose(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    return MakeDecomposer(params.algorithm)->Run(demand, params);
}

} // namespace pmoe
} // namespace ns3
