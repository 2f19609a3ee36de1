#ifndef EXHUME_CDIGEST_H
#define EXHUME_CDIGEST_H

#include <stddef.h>
#include <stdint.h>

/// MD5 (RFC 1321) state: chaining words, the bytes of an unfinished block, and the length so far.
typedef struct {
    uint32_t state[4];
    uint8_t block[64];
    uint64_t length;
} exhume_md5;

void exhume_md5_init(exhume_md5 *context);
void exhume_md5_update(exhume_md5 *context, const void *bytes, size_t count);
/// Feeds `count` bytes to each of two independent contexts at once. MD5 is a chain of
/// dependent steps, so one stream leaves most of a core's ALUs idle; interleaving two
/// streams' steps runs both in about the time of one.
void exhume_md5_update2(exhume_md5 *a, const void *bytesA, exhume_md5 *b, const void *bytesB, size_t count);
void exhume_md5_final(exhume_md5 *context, uint8_t digest[16]);


/// SHA-1 and SHA-256 of one message together (FIPS 180-4), with the x86 SHA
/// extensions: the two algorithms' round chains wait on instruction latency, so
/// computed block by block side by side they take little more than the slower
/// one alone. Use only when `exhume_sha_available()` says the CPU has them.
typedef struct {
    uint32_t sha1[5];
    uint32_t sha256[8];
    uint8_t block[64];
    uint64_t length;
} exhume_sha;

/// 1 when this CPU has the SHA extensions (and SSSE3, SSE4.1) the engine needs.
int exhume_sha_available(void);
void exhume_sha_init(exhume_sha *context);
void exhume_sha_update(exhume_sha *context, const void *bytes, size_t count);
void exhume_sha_final(exhume_sha *context, uint8_t sha1[20], uint8_t sha256[32]);

#endif
