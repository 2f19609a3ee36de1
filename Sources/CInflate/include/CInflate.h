#ifndef EXHUME_CINFLATE_H
#define EXHUME_CINFLATE_H

#include <stddef.h>
#include <stdint.h>

/// libewf inflates every compressed EWF chunk with zlib's `uncompress` and checks
/// uncompressed chunks with zlib's `adler32`. This target defines both functions in
/// the executable with libdeflate behind them, so the dynamic linker binds libewf's
/// calls here (an executable's definitions come first in symbol lookup). libdeflate
/// inflates a whole buffer about twice as fast as zlib's streaming inflate, with a
/// vectorised Adler-32: reading a compressed E01 costs about half the CPU.
///
/// Same contract as zlib's: Z_OK with the output length, Z_BUF_ERROR when the
/// output does not fit, Z_DATA_ERROR for damaged or truncated input, Z_MEM_ERROR
/// when no decompressor can be allocated.

/// Calls of `uncompress` served here so far (all threads): proves in a test that
/// libewf's inflating goes through libdeflate, and links this object.
uint64_t exhume_inflate_calls(void);

/// CRC-32 (ISO 3309: PNG, ZIP, gzip) of `count` bytes continuing `crc` (0 to
/// start), with libdeflate's carry-less-multiply code (tens of GB/s).
uint32_t exhume_crc32(uint32_t crc, const void *bytes, size_t count);

/// The libdeflate version this was built against, for `--version`-style reports.
const char *exhume_inflate_engine(void);

#endif
