/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PHOTONIC_MOE_ENUM_VALUE_H
#define PHOTONIC_MOE_ENUM_VALUE_H

/**
 * @file
 * @ingroup photonic-moe
 * ns-3 enum attributes for the scheduling core's enums (scoped enums with a
 * pmoe::EnumTable), on every ns-3 from 3.35 to the development head.
 *
 * ns-3 changed its enum attributes in 3.41: before, EnumValue holds an int and
 * MakeEnumChecker takes int values; from 3.41 on, EnumValue<T> and MakeEnumAccessor<T> are
 * templates. The three functions here hide the difference:
 * @code
 *   .AddAttribute("CircuitModel", "...",
 *                 MakePmoeEnumValue(pmoe::CircuitModel::UNIDIRECTIONAL),
 *                 MakePmoeEnumAccessor<pmoe::CircuitModel>(&OpticalCircuitSwitch::SetCircuitModel,
 *                                                          &OpticalCircuitSwitch::GetCircuitModel),
 *                 // or, for a plain data member: MakePmoeEnumAccessor(&Class::m_member)
 *                 MakePmoeEnumChecker<pmoe::CircuitModel>())
 * @endcode
 * The checker takes its names from the core's table (pmoe::EnumTable), so the attribute, the
 * command line and the core's ToString/FromString agree on one spelling. Users set these
 * attributes with StringValue("duplex") on any version, or with MakePmoeEnumValue(value).
 */

#include "ns3/attribute.h"
#include "ns3/enum.h"
#include "ns3/object-base.h"
#include "ns3/pmoe-enum-names.h"
#include "ns3/ptr.h"

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

namespace ns3
{
namespace pmoe_enum_detail
{

/// A scoped enum used only to probe ns-3's enum attribute API.
enum class Probe
{
    VALUE //!< the only value
};

/**
 * True when ns-3's MakeEnumChecker takes the enum's own type (ns-3.41 and later, where
 * EnumValue is a template); false when it takes int.
 */
template <typename E, typename = void>
struct TypedEnums : std::false_type
{
};

/** @copydoc TypedEnums */
template <typename E>
struct TypedEnums<
    E,
    std::void_t<decltype(MakeEnumChecker(std::declval<E>(), std::declval<std::string>()))>>
    : std::true_type
{
};

/// ns-3 has typed enum attributes (3.41 and later).
constexpr bool kTypedEnums = TypedEnums<Probe>::value;

/**
 * @param value a core enum value
 * @return what ns-3's enum API takes: the value itself (3.41+) or its int
 */
template <typename E>
auto
ToNs3(E value)
{
    if constexpr (TypedEnums<E>::value)
    {
        return value;
    }
    else
    {
        return static_cast<int>(value);
    }
}

/// The EnumValue type of this ns-3 for enum E (EnumValue<E> or EnumValue).
template <typename E>
using ValueOf = decltype(EnumValue(ToNs3(std::declval<E>())));

/**
 * Picks EnumChecker<E> when ns-3's EnumChecker is a class template (3.41 and later); the
 * overload below is dropped then, because a template cannot be a type argument.
 * @return never called; only its type is used
 */
template <template <typename> class C, typename E>
auto PickChecker(int) -> C<E>*;

/**
 * Picks the plain EnumChecker class of ns-3 before 3.41; the overload above is dropped then,
 * because a class is not a template argument.
 * @return never called; only its type is used
 */
template <typename C, typename E>
auto PickChecker(long) -> C*;

/// The EnumChecker type of this ns-3 for enum E (EnumChecker<E> or EnumChecker).
template <typename E>
using CheckerOf = std::remove_pointer_t<decltype(PickChecker<EnumChecker, E>(0))>;

/**
 * @param name a name
 * @return true if @p name is exactly one of pmoe::EnumTable<E>'s names (as ns-3's checker
 *         matches them)
 */
template <typename E>
bool
IsExactName(const std::string& name)
{
    for (const auto& entry : pmoe::EnumTable<E>::kNames)
    {
        if (name == entry.name)
        {
            return true;
        }
    }
    return false;
}

/**
 * This ns-3's EnumValue for E, which refuses an unknown name when it is set from a string.
 *
 * From ns-3.41 on, EnumValue<T>::DeserializeFromString does not fail on an unknown name: the
 * checker's lookup stops on an NS_ASSERT in builds with asserts, and reads past the end of its
 * list in builds without. Attributes made with MakePmoeEnumChecker create this value instead,
 * so that StringValue("no-such-name") makes SetAttribute, Config::SetDefault and the command
 * line fail as they do on every older ns-3.
 */
template <typename E>
class PmoeEnumValue : public ValueOf<E>
{
  public:
    PmoeEnumValue() = default;

    /** @param value a value of this ns-3's EnumValue type */
    explicit PmoeEnumValue(const ValueOf<E>& value)
        : ValueOf<E>(value)
    {
    }

    /** @return a copy of this value, of this type */
    Ptr<AttributeValue> Copy() const override
    {
        return Ptr<AttributeValue>(new PmoeEnumValue<E>(*this), false);
    }

    /**
     * @param value a name
     * @param checker the attribute's checker
     * @return false if @p value is not one of the enum's names; else what ns-3 returns
     */
    bool DeserializeFromString(std::string value, Ptr<const AttributeChecker> checker) override
    {
        if (!IsExactName<E>(value))
        {
            return false;
        }
        return ValueOf<E>::DeserializeFromString(value, checker);
    }
};

/**
 * This ns-3's EnumChecker for E, whose values are PmoeEnumValue<E>.
 */
template <typename E>
class PmoeEnumChecker : public CheckerOf<E>
{
  public:
    /** @return a new PmoeEnumValue<E> */
    Ptr<AttributeValue> Create() const override
    {
        return Ptr<AttributeValue>(new PmoeEnumValue<E>(), false);
    }
};

/**
 * Builds the checker of a core enum table: the first name is the checker's default, the rest
 * follow in table order (the index sequence argument lists the table's indices).
 * @return the checker
 */
template <typename E, std::size_t... I>
Ptr<const AttributeChecker>
CheckerFromTable(std::index_sequence<I...> /* seq */)
{
    constexpr const auto& names = pmoe::EnumTable<E>::kNames;
    Ptr<PmoeEnumChecker<E>> checker(new PmoeEnumChecker<E>(), false);
    checker->AddDefault(ToNs3(names[0].value), std::string(names[0].name));
    ((I == 0 ? void() : checker->Add(ToNs3(names[I].value), std::string(names[I].name))), ...);
    return checker;
}

/**
 * An attribute accessor over a getter and a setter that take the core enum, converting to
 * and from this ns-3's EnumValue.
 */
template <typename E, typename C>
class PmoeEnumAccessor : public AttributeAccessor
{
  public:
    /// Setter of the class.
    typedef void (C::*Setter)(E);
    /// Getter of the class.
    typedef E (C::*Getter)() const;

    /**
     * @param setter the setter
     * @param getter the getter
     */
    PmoeEnumAccessor(Setter setter, Getter getter)
        : m_setter(setter),
          m_getter(getter)
    {
    }

    /**
     * @param object the object
     * @param value an EnumValue of this ns-3
     * @return false if @p value is not one
     */
    bool Set(ObjectBase* object, const AttributeValue& value) const override
    {
        C* obj = dynamic_cast<C*>(object);
        const auto* v = dynamic_cast<const ValueOf<E>*>(&value);
        if (!obj || !v)
        {
            return false;
        }
        (obj->*m_setter)(static_cast<E>(v->Get()));
        return true;
    }

    /**
     * @param object the object
     * @param value receives the current value
     * @return false if @p value is not an EnumValue of this ns-3
     */
    bool Get(const ObjectBase* object, AttributeValue& value) const override
    {
        const C* obj = dynamic_cast<const C*>(object);
        auto* v = dynamic_cast<ValueOf<E>*>(&value);
        if (!obj || !v)
        {
            return false;
        }
        v->Set(ToNs3((obj->*m_getter)()));
        return true;
    }

    /** @return true */
    bool HasGetter() const override
    {
        return true;
    }

    /** @return true */
    bool HasSetter() const override
    {
        return true;
    }

  private:
    Setter m_setter; //!< the setter
    Getter m_getter; //!< the getter
};

/**
 * An attribute accessor over a data member of a core enum type.
 */
template <typename E, typename C>
class PmoeEnumMemberAccessor : public AttributeAccessor
{
  public:
    /** @param member the data member */
    explicit PmoeEnumMemberAccessor(E C::*member)
        : m_member(member)
    {
    }

    /**
     * @param object the object
     * @param value an EnumValue of this ns-3
     * @return false if @p value is not one
     */
    bool Set(ObjectBase* object, const AttributeValue& value) const override
    {
        C* obj = dynamic_cast<C*>(object);
        const auto* v = dynamic_cast<const ValueOf<E>*>(&value);
        if (!obj || !v)
        {
            return false;
        }
        obj->*m_member = static_cast<E>(v->Get());
        return true;
    }

    /**
     * @param object the object
     * @param value receives the current value
     * @return false if @p value is not an EnumValue of this ns-3
     */
    bool Get(const ObjectBase* object, AttributeValue& value) const override
    {
        const C* obj = dynamic_cast<const C*>(object);
        auto* v = dynamic_cast<ValueOf<E>*>(&value);
        if (!obj || !v)
        {
            return false;
        }
        v->Set(ToNs3(obj->*m_member));
        return true;
    }

    /** @return true */
    bool HasGetter() const override
    {
        return true;
    }

    /** @return true */
    bool HasSetter() const override
    {
        return true;
    }

  private:
    E C::*m_member; //!< the data member
};

} // namespace pmoe_enum_detail

/**
 * @ingroup photonic-moe
 * @param value a core enum value
 * @return an EnumValue holding it, for SetAttribute or an attribute's default
 */
template <typename E>
auto
MakePmoeEnumValue(E value)
{
    return EnumValue(pmoe_enum_detail::ToNs3(value));
}

/**
 * @ingroup photonic-moe
 * @param setter the class's setter taking the core enum
 * @param getter the class's getter returning it
 * @return an accessor for an enum attribute
 */
template <typename E, typename C>
Ptr<const AttributeAccessor>
MakePmoeEnumAccessor(void (C::*setter)(E), E (C::*getter)() const)
{
    return Ptr<const AttributeAccessor>(
        new pmoe_enum_detail::PmoeEnumAccessor<E, C>(setter, getter),
        false);
}

/**
 * @ingroup photonic-moe
 * @param member the class's data member of the core enum type
 * @return an accessor for an enum attribute
 */
template <typename E, typename C>
Ptr<const AttributeAccessor>
MakePmoeEnumAccessor(E C::*member)
{
    return Ptr<const AttributeAccessor>(new pmoe_enum_detail::PmoeEnumMemberAccessor<E, C>(member),
                                        false);
}

/**
 * @ingroup photonic-moe
 * @return a checker accepting the names of pmoe::EnumTable<E>, in table order
 */
template <typename E>
Ptr<const AttributeChecker>
MakePmoeEnumChecker()
{
    constexpr std::size_t n = std::extent<decltype(pmoe::EnumTable<E>::kNames)>::value;
    return pmoe_enum_detail::CheckerFromTable<E>(std::make_index_sequence<n>());
}

} // namespace ns3

#endif /* PHOTONIC_MOE_ENUM_VALUE_H */
