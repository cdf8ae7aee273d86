/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * Documentation check: every attribute and every trace source that a class of the module
 * registers in its TypeId is a row of that class's own table in the manual.
 *
 * The manual (the .rst pages in doc/) has, per class, a table
 *
 *     .. list-table:: Attributes of ``ns3::Class``
 *
 * whose rows start "* - ``Name``", and likewise a table captioned
 * "Trace sources of ``ns3::Class``". The classes and their names come from ns-3's TypeId
 * registry at run time: every TypeId of the group "PhotonicMoe" that registers attributes or
 * trace sources (inherited names are ns-3's and not checked). So an attribute added to or
 * renamed in a GetTypeId() without a manual entry fails this test, and so does a row left
 * behind for a name the class no longer registers, a table for a class the module does not
 * have, or two tables with the same caption.
 *
 * Usage: photonic-moe-doc-check PATH...
 *   PATH: a folder (every *.rst file directly in it is read) or an .rst file.
 * Exit status: 0 when every name is documented; 1 (listing the problems) otherwise; 2 on a
 * usage error or an unreadable page.
 */

#include "ns3/optical-circuit-switch.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Group name (TypeId::SetGroupName) of the module's classes.
const std::string kGroup = "PhotonicMoe";

/// Caption prefixes of the two kinds of table.
const std::string kAttributeCaption = "Attributes of ";
const std::string kTraceCaption = "Trace sources of ";

/**
 * One class table of the manual.
 */
struct ClassTable
{
    std::string where;              //!< FILE:LINE of its list-table directive
    std::vector<std::string> names; //!< first cells of its rows that are ``Name``
};

/// Tables by kind ("attribute" or "trace source") and class name.
using TableIndex = std::map<std::pair<std::string, std::string>, ClassTable>;

/**
 * @param s a line
 * @return the number of leading spaces
 */
std::size_t
Indent(const std::string& s)
{
    const std::size_t n = s.find_first_not_of(' ');
    return n == std::string::npos ? s.size() : n;
}

/**
 * @param s text
 * @return @p s without leading and trailing blanks
 */
std::string
Trim(const std::string& s)
{
    const std::size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos)
    {
        return "";
    }
    const std::size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

/**
 * @param s text
 * @return the name if @p s is exactly ``Name``, else ""
 */
std::string
Literal(const std::string& s)
{
    if (s.size() > 4 && s.compare(0, 2, "``") == 0 && s.compare(s.size() - 2, 2, "``") == 0)
    {
        const std::string inner = s.substr(2, s.size() - 4);
        if (inner.find('`') == std::string::npos)
        {
            return inner;
        }
    }
    return "";
}

/**
 * Read the class tables of one page into @p index.
 * @param path the page
 * @param index the tables found so far
 * @param problems duplicate captions are appended here
 * @return false if the page cannot be read
 */
bool
ReadPage(const std::filesystem::path& path, TableIndex& index, std::vector<std::string>& problems)
{
    std::ifstream in(path);
    if (!in)
    {
        return false;
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
    {
        lines.push_back(line);
    }
    const std::string directive = ".. list-table::";
    // Literal text (a paragraph ending in "::", a code block) may show a table as an example;
    // its indented body is skipped.
    std::size_t literalIndent = std::string::npos;
    for (std::size_t i = 0; i < lines.size(); ++i)
    {
        const std::string head = Trim(lines[i]);
        if (literalIndent != std::string::npos)
        {
            if (head.empty() || Indent(lines[i]) > literalIndent)
            {
                continue;
            }
            literalIndent = std::string::npos;
        }
        const bool isDirective = head.compare(0, 3, ".. ") == 0;
        if ((!isDirective && head.size() >= 2 && head.compare(head.size() - 2, 2, "::") == 0) ||
            head.compare(0, 15, ".. code-block::") == 0 || head.compare(0, 9, ".. code::") == 0 ||
            head.compare(0, 18, ".. parsed-literal::") == 0)
        {
            literalIndent = Indent(lines[i]);
            continue;
        }
        if (head.compare(0, directive.size(), directive) != 0)
        {
            continue;
        }
        const std::string caption = Trim(head.substr(directive.size()));
        std::string kind;
        std::string cls;
        if (caption.compare(0, kAttributeCaption.size(), kAttributeCaption) == 0)
        {
            kind = "attribute";
            cls = Literal(caption.substr(kAttributeCaption.size()));
        }
        else if (caption.compare(0, kTraceCaption.size(), kTraceCaption) == 0)
        {
            kind = "trace source";
            cls = Literal(caption.substr(kTraceCaption.size()));
        }
        if (cls.empty())
        {
            continue; // not a class table
        }
        ClassTable table;
        table.where = path.string() + ":" + std::to_string(i + 1);
        // The directive's body: the lines indented deeper than the directive.
        const std::size_t indent = Indent(lines[i]);
        for (std::size_t j = i + 1; j < lines.size(); ++j)
        {
            const std::string text = Trim(lines[j]);
            if (!text.empty() && Indent(lines[j]) <= indent)
            {
                break;
            }
            if (text.compare(0, 4, "* - ") == 0)
            {
                const std::string name = Literal(Trim(text.substr(4)));
                if (!name.empty())
                {
                    table.names.push_back(name);
                }
            }
        }
        const auto key = std::make_pair(kind, cls);
        const auto found = index.find(key);
        if (found != index.end())
        {
            problems.push_back(table.where + ": a second table '" + caption +
                               "' (the first is at " + found->second.where + ")");
            continue;
        }
        index.emplace(key, table);
    }
    return true;
}

/**
 * @param names names
 * @return them separated by ", "
 */
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

/**
 * Check the manual.
 * @param argc argument count
 * @param argv arguments: folders or .rst files of the manual
 * @return exit status (see the file comment)
 */
int
main(int argc, char* argv[])
{
    if (argc < 2)
    {
        std::cerr << "usage: photonic-moe-doc-check PATH... (a folder of .rst pages, or pages)\n";
        return 2;
    }
    std::set<std::filesystem::path> pages;
    for (int a = 1; a < argc; ++a)
    {
        const std::filesystem::path arg(argv[a]);
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec))
        {
            for (const auto& entry : std::filesystem::directory_iterator(arg, ec))
            {
                if (entry.is_regular_file() && entry.path().extension() == ".rst")
                {
                    pages.insert(std::filesystem::weakly_canonical(entry.path()));
                }
            }
        }
        else if (std::filesystem::is_regular_file(arg, ec))
        {
            pages.insert(std::filesystem::weakly_canonical(arg));
        }
        else
        {
            std::cerr << "error: '" << argv[a] << "' is neither a folder nor a file\n";
            return 2;
        }
    }
    if (pages.empty())
    {
        std::cerr << "error: no .rst page in the arguments\n";
        return 2;
    }

    TableIndex tables;
    std::vector<std::string> problems;
    for (const auto& page : pages)
    {
        if (!ReadPage(page, tables, problems))
        {
            std::cerr << "error: cannot read '" << page.string() << "'\n";
            return 2;
        }
    }

    // The module's classes, from the TypeId registry. Calling one GetTypeId() links the
    // library even with --as-needed; loading it registers every class.
    OpticalCircuitSwitch::GetTypeId();
    std::map<std::string, std::map<std::string, std::vector<std::string>>> registered;
    for (uint32_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        const TypeId tid = TypeId::GetRegistered(static_cast<uint16_t>(i));
        if (tid.GetGroupName() != kGroup)
        {
            continue;
        }
        std::vector<std::string> attributes;
        for (std::size_t k = 0; k < tid.GetAttributeN(); ++k)
        {
            attributes.push_back(tid.GetAttribute(k).name);
        }
        std::vector<std::string> traces;
        for (std::size_t k = 0; k < tid.GetTraceSourceN(); ++k)
        {
            traces.push_back(tid.GetTraceSource(k).name);
        }
        registered[tid.GetName()] = {{"attribute", attributes}, {"trace source", traces}};
    }
    if (registered.empty())
    {
        std::cerr << "error: no class of the group " << kGroup << " is registered\n";
        return 2;
    }

    // Each registered name is a row of its own class's table.
    std::size_t checked = 0;
    std::size_t documentedClasses = 0;
    for (const auto& [cls, kinds] : registered)
    {
        bool any = false;
        for (const auto& [kind, names] : kinds)
        {
            if (names.empty())
            {
                continue;
            }
            any = true;
            const std::string caption =
                (kind == "attribute" ? kAttributeCaption : kTraceCaption) + "``" + cls + "``";
            const auto table = tables.find({kind, cls});
            if (table == tables.end())
            {
                problems.push_back(cls + ": no table '" + caption + "' for its " + kind + "s " +
                                   Join(names));
                continue;
            }
            for (const auto& name : names)
            {
                ++checked;
                const auto& rows = table->second.names;
                if (std::find(rows.begin(), rows.end(), name) == rows.end())
                {
                    problems.push_back(cls + " " + kind + " " + name + " is not a row of '" +
                                       caption + "' (" + table->second.where + ")");
                }
            }
        }
        documentedClasses += any ? 1 : 0;
    }

    // Each table belongs to a class of the module, and each row names what it registers.
    for (const auto& [key, table] : tables)
    {
        const auto& [kind, cls] = key;
        const auto found = registered.find(cls);
        if (found == registered.end())
        {
            problems.push_back(table.where + ": a table of " + kind + "s of " + cls +
                               ", which is not a class of the module (group " + kGroup + ")");
            continue;
        }
        const auto& names = found->second.at(kind);
        std::set<std::string> seen;
        for (const auto& row : table.names)
        {
            if (std::find(names.begin(), names.end(), row) == names.end())
            {
                problems.push_back(table.where + ": row ``" + row + "`` names no " + kind + " of " +
                                   cls);
            }
            else if (!seen.insert(row).second)
            {
                problems.push_back(table.where + ": row ``" + row + "`` appears twice");
            }
        }
    }

    if (!problems.empty())
    {
        std::cerr << "error: " << problems.size() << " problem(s) in the manual:\n";
        for (const auto& p : problems)
        {
            std::cerr << "  " << p << '\n';
        }
        return 1;
    }
    std::cout << "all " << checked << " attributes and trace sources of " << documentedClasses
              << " classes are rows of their tables in " << pages.size() << " page(s)\n";
    return 0;
}
