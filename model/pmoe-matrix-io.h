/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_MATRIX_IO_H
#define PMOE_MATRIX_IO_H

#include "pmoe-demand-matrix.h"

#include <istream>
#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Parse a demand matrix: one row per line, N non-negative integers (bytes) separated by
 * commas and/or spaces; '#' starts a comment; blank lines are skipped.
 * @param in the text
 * @param name the file name used in error messages
 * @return the matrix
 * @throws InputError "NAME:LINE:COLUMN: message" for non-numeric, negative, NaN/inf,
 *         fractional or too-large entries, ragged or non-square rows, an empty input, N < 2
 */
DemandMatrix ParseDemandMatrix(std::istream& in, const std::string& name);

/**
 * Read a demand matrix from a file (see ParseDemandMatrix()).
 * @param path file path
 * @return the matrix
 * @throws InputError if the file cannot be opened or does not parse
 */
DemandMatrix ReadDemandMatrix(const std::string& path);

/**
 * Write a matrix in the format ParseDemandMatrix() reads.
 * @param out stream
 * @param d matrix
 */
void WriteDemandMatrix(std::ostream& out, const DemandMatrix& d);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_MATRIX_IO_H */
