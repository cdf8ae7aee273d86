/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_MATRIX_IO_H
#define PMOE_MATRIX_IO_H

/**
 * @file
 * @ingroup photonic-moe
 * Reading and writing demand matrices as text.
 *
 * Format (what ParseDemandMatrix() accepts):
 * - One matrix row per line; entry (i, j) is the number of bytes port i sends to port j.
 *   The diagonal is allowed and kept as local bytes (DemandMatrix::LocalBytes()).
 * - Entries are separated by whitespace (space, tab), by a comma, or by a comma with
 *   whitespace around it. A single trailing comma at the end of a row is tolerated
 *   ("1, 2, 3,"); an empty field ("1,,2", ",1", "1,2,,") is an error.
 * - '#' starts a comment that runs to the end of the line. Lines that are blank or hold only
 *   a comment are skipped. CRLF line endings and trailing whitespace are accepted; a UTF-8
 *   byte-order mark at the very start is skipped.
 * - An entry is a non-negative integer: decimal digits with an optional leading '+'.
 *   Decimal-point and exponent forms ("1.0", "1e6", "2.5E3") are accepted only when their
 *   value is an exact integer; "1.5" and "1e-3" are rejected as fractional. "-0" is 0; any
 *   other minus sign is rejected as negative. Hexadecimal, digit separators and anything
 *   else are rejected as non-numeric. "nan" and "inf"/"infinity" (any case, any sign) are
 *   rejected as not finite.
 * - Limits: every entry <= 2^53 (kMaxMatrixEntryBytes) and the sum of all entries <= 2^53
 *   (so no row, column or total overflows and every sum is exact as a double);
 *   2 <= N <= kMaxMatrixPorts. The parser never allocates from a number in the input:
 *   memory grows only with the input text itself (at most N x N entries).
 * - The matrix must be square: N rows of N entries.
 *
 * Errors are InputError with the message "NAME:LINE:COLUMN: what", where LINE and COLUMN
 * are 1-based (COLUMN counts bytes) and point at the offending token, which is quoted with
 * unprintable bytes escaped as \\xNN. A missing or unreadable file gives "NAME: what".
 * The parser is safe on arbitrary bytes: it throws nothing but InputError (and
 * std::bad_alloc if memory runs out).
 */

#include "pmoe-demand-matrix.h"

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

namespace ns3
{
namespace pmoe
{

/** Largest number of ports a matrix file may describe. */
constexpr std::size_t kMaxMatrixPorts = 4096;

/** Largest entry, and largest sum of all entries, of a matrix file: 2^53 bytes. */
constexpr Bytes kMaxMatrixEntryBytes = Bytes{1} << 53;

/**
 * @ingroup photonic-moe
 * Parse a demand matrix in the format described in pmoe-matrix-io.h.
 * @param in the text
 * @param name the file name used in error messages
 * @return the matrix
 * @throws InputError "NAME:LINE:COLUMN: message" for non-numeric, negative, NaN/inf,
 *         fractional or too-large entries, empty fields, ragged or non-square rows, an empty
 *         input, N < 2 or N > kMaxMatrixPorts; "NAME: message" if the stream fails
 */
DemandMatrix ParseDemandMatrix(std::istream& in, const std::string& name);

/**
 * Read a demand matrix from a file (see ParseDemandMatrix()).
 * @param path file path
 * @return the matrix
 * @throws InputError "PATH: message" if the file cannot be opened or read (missing,
 *         a directory, no permission), or the errors of ParseDemandMatrix()
 */
DemandMatrix ReadDemandMatrix(const std::string& path);

/**
 * Write a matrix in the format ParseDemandMatrix() reads: one row per line, entries
 * separated by ", ", the diagonal holding the local bytes. Parsing the output gives back an
 * equal matrix.
 * @param out stream
 * @param d matrix
 */
void WriteDemandMatrix(std::ostream& out, const DemandMatrix& d);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_MATRIX_IO_H */
