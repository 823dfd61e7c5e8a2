// Renders values for error messages and debug strings.
//
// Messages must name the offending value exactly, yet a 1 MiB key must not
// become a 4 MiB message: byte strings are quoted, non-printable bytes escaped
// as \xHH, and long strings cut with their full length stated. Internal.

#ifndef SPLITCHECK_LIB_INTERNAL_DESCRIBE_H_
#define SPLITCHECK_LIB_INTERNAL_DESCRIBE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace splitcheck::internal {

// `bytes` quoted, escaped, and cut after `max_bytes` bytes with a note of the
// full size.
std::string describe_bytes(std::string_view bytes, std::size_t max_bytes = 64);

// A double with enough digits to tell neighbouring values apart ("0.5",
// "nan", "1.0000000000000002").
std::string describe_double(double value);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_DESCRIBE_H_
