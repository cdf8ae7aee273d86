/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * Documentation check: every attribute that the module's classes register in their TypeId
 * must be a row ("* - ``Name``") of that class's attribute table in the module manual
 * (doc/photonic-moe.rst; the table follows a line ``ns3::Class``), and every trace source
 * must appear as ``Name`` in it. The names come from ns-3's TypeId registry at run time, so
 * an attribute added to a GetTypeId() without a manual entry fails this test.
 *
 * Usage: photonic-moe-doc-check MANUAL.rst
 * Exit status: 0 when every name is documented; 1 (listing the missing names) otherwise;
 * 2 on a usage error or an unreadable manual.
 */

#include "ns3/circuit-scheduler-application.h"
#include "ns3/electrical-switch-channel.h"
#include "ns3/gpu-compute-model.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/type-id.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

/**
 * Check the manual.
 * @param argc argument count
 * @param argv arguments: the manual's path
 * @return exit status (see the file comment)
 */
int
main(int argc, char* argv[])
{
    if (argc != 2)
    {
        std::cerr << "usage: photonic-moe-doc-check MANUAL.rst\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in)
    {
        std::cerr << "error: cannot read the manual '" << argv[1] << "'\n";
        return 2;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string manual = text.str();

    // The module's classes with a TypeId (see model/). Calling GetTypeId() registers them
    // (and links the library even with --as-needed).
    const std::vector<TypeId> classes = {OpticalCircuitSwitch::GetTypeId(),
                                         OcsNetDevice::GetTypeId(),
                                         ElectricalSwitchChannel::GetTypeId(),
                                         GpuComputeModel::GetTypeId(),
                                         MoeGpuApplication::GetTypeId(),
                                         CircuitSchedulerApplication::GetTypeId()};
    uint32_t checked = 0;
    std::vector<std::string> missing;
    for (const TypeId& tid : classes)
    {
        const std::string name = tid.GetName();
        // The class's attribute table: from its heading line ``ns3::Class`` to the next
        // class heading (or the end); each attribute must be a row "* - ``Name``" in it.
        const std::string heading = "\n``" + name + "``\n";
        const std::size_t begin = manual.find(heading);
        std::string table;
        if (begin == std::string::npos)
        {
            missing.push_back(name + " (no attribute table headed ``" + name + "``)");
        }
        else
        {
            const std::size_t end = manual.find("\n``ns3::", begin + heading.size());
            table = manual.substr(begin, end == std::string::npos ? end : end - begin);
        }
        // Only what the class itself registers; inherited names are ns-3's.
        for (uint32_t i = 0; i < tid.GetAttributeN(); ++i)
        {
            const std::string attr = tid.GetAttribute(i).name;
            ++checked;
            if (table.find("* - ``" + attr + "``") == std::string::npos)
            {
                missing.push_back(name + " attribute " + attr + " (not a row of its table)");
            }
        }
        for (uint32_t i = 0; i < tid.GetTraceSourceN(); ++i)
        {
            const std::string trace = tid.GetTraceSource(i).name;
            ++checked;
            if (manual.find("``" + trace + "``") == std::string::npos)
            {
                missing.push_back(name + " trace source " + trace);
            }
        }
    }
    if (!missing.empty())
    {
        std::cerr << "error: " << missing.size() << " name(s) not documented in " << argv[1]
                  << ":\n";
        for (const auto& m : missing)
        {
            std::cerr << "  " << m << '\n';
        }
        return 1;
    }
    std::cout << "all " << checked << " attributes and trace sources of " << classes.size()
              << " classes are documented in " << argv[1] << '\n';
    return 0;
}
