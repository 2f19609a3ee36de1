// SHA-1 and SHA-256 (FIPS 180-4) of one message in a single pass, with the x86
// SHA extensions. Both algorithms' rounds are chains of dependent instructions
// (sha1rnds4, sha256rnds2) that keep the SHA unit waiting on their latency; run
// one after the other they leave it idle half the time, run block by block on
// the same bytes the core overlaps the two chains (see CDigest.h).
#include "CDigest.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define EXHUME_SHA_X86 1
#endif

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

int exhume_sha_available(void) {
#ifdef EXHUME_SHA_X86
    unsigned int a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const int sha = (b >> 29) & 1;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    return sha && ssse3 && sse41;
#else
    return 0;
#endif
}

#ifdef EXHUME_SHA_X86
#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// SHA-256 keeps its eight words as ABEF and CDGH (highest lane first), the
// layout sha256rnds2 works on.
typedef struct { __m128i abef, cdgh; } sha256_regs;
// SHA-1 keeps ABCD (A in the highest lane) and E (in the highest lane).
typedef struct { __m128i abcd, e; } sha1_regs;

SHA_TARGET static inline sha256_regs sha256_load(const uint32_t s[8]) {
    __m128i badc = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)s), 0xB1);      // b a d c
    __m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(s + 4)), 0x1B); // h g f e
    sha256_regs r = {_mm_alignr_epi8(badc, hgfe, 8), _mm_blend_epi16(hgfe, badc, 0xF0)};
    return r;
}

SHA_TARGET static inline void sha256_store(uint32_t s[8], sha256_regs r) {
    __m128i abef = _mm_shuffle_epi32(r.abef, 0x1B); // lanes a b e f
    __m128i cdgh = _mm_shuffle_epi32(r.cdgh, 0xB1); // lanes g h c d
    _mm_storeu_si128((__m128i *)s, _mm_blend_epi16(abef, cdgh, 0xF0));
    _mm_storeu_si128((__m128i *)(s + 4), _mm_alignr_epi8(cdgh, abef, 8));
}

SHA_TARGET static inline sha1_regs sha1_load(const uint32_t s[5]) {
    sha1_regs r = {_mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)s), 0x1B), _mm_set_epi32((int)s[4], 0, 0, 0)};
    return r;
}

SHA_TARGET static inline void sha1_store(uint32_t s[5], sha1_regs r) {
    _mm_storeu_si128((__m128i *)s, _mm_shuffle_epi32(r.abcd, 0x1B));
    s[4] = (uint32_t)_mm_extract_epi32(r.e, 3);
}

// Four rounds of SHA-256 on the schedule words `w` (already in the lane order
// of the message) plus their constants.
#define SHA256_FOUR(r, w, i)                                                          \
    do {                                                                              \
        __m128i k = _mm_add_epi32((w), _mm_loadu_si128((const __m128i *)&K256[4 * (i)])); \
        (r).cdgh = _mm_sha256rnds2_epu32((r).cdgh, (r).abef, k);                     \
        (r).abef = _mm_sha256rnds2_epu32((r).abef, (r).cdgh, _mm_shuffle_epi32(k, 0x0E)); \
    } while (0)

// Next four schedule words of SHA-256 from the previous sixteen (w0 oldest).
#define SHA256_NEXT(w0, w1, w2, w3) \
    _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4)), w3)

// Next four schedule words of SHA-1 from the previous sixteen (w0 oldest).
#define SHA1_NEXT(w0, w1, w2, w3) _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w0, w1), w2), w3)

// Four rounds of SHA-1: `prev` is ABCD before the previous four rounds (its A
// gives this group's E), `f` the round function (0-3).
#define SHA1_FOUR(r, prev, w, f)                                     \
    do {                                                             \
        __m128i e = _mm_sha1nexte_epu32(prev, w);                    \
        prev = (r).abcd;                                             \
        (r).abcd = _mm_sha1rnds4_epu32((r).abcd, e, f);              \
    } while (0)

// One 64-byte block into both states. The two algorithms' steps are written
// alternately so that the compiler keeps them side by side.
SHA_TARGET static void both_blocks(sha1_regs *one, sha256_regs *two, const uint8_t *p, size_t count) {
    const __m128i swap32 = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL); // bytes of each word reversed
    const __m128i swap128 = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL); // all 16 bytes reversed
    sha1_regs a = *one;
    sha256_regs b = *two;
    while (count--) {
        const sha1_regs a0 = a;
        const sha256_regs b0 = b;
        __m128i m0 = _mm_loadu_si128((const __m128i *)p), m1 = _mm_loadu_si128((const __m128i *)(p + 16));
        __m128i m2 = _mm_loadu_si128((const __m128i *)(p + 32)), m3 = _mm_loadu_si128((const __m128i *)(p + 48));
        // SHA-256 wants W0..W3 in lanes 0..3, SHA-1 wants W0 in lane 3.
        __m128i x0 = _mm_shuffle_epi8(m0, swap32), x1 = _mm_shuffle_epi8(m1, swap32);
        __m128i x2 = _mm_shuffle_epi8(m2, swap32), x3 = _mm_shuffle_epi8(m3, swap32);
        __m128i y0 = _mm_shuffle_epi8(m0, swap128), y1 = _mm_shuffle_epi8(m1, swap128);
        __m128i y2 = _mm_shuffle_epi8(m2, swap128), y3 = _mm_shuffle_epi8(m3, swap128);

        // SHA-1 rounds 0-3 take E from the state itself.
        __m128i prev = a.abcd;
        a.abcd = _mm_sha1rnds4_epu32(a.abcd, _mm_add_epi32(a.e, y0), 0);
        SHA256_FOUR(b, x0, 0);
        SHA1_FOUR(a, prev, y1, 0);
        SHA256_FOUR(b, x1, 1);
        SHA1_FOUR(a, prev, y2, 0);
        SHA256_FOUR(b, x2, 2);
        SHA1_FOUR(a, prev, y3, 0);
        SHA256_FOUR(b, x3, 3);
        // SHA-1 has 20 groups of four rounds, SHA-256 16: from here the schedules roll.
        for (int g = 4; g < 16; g++) {
            __m128i ny = SHA1_NEXT(y0, y1, y2, y3);
            y0 = y1; y1 = y2; y2 = y3; y3 = ny;
            switch (g / 5) {
            case 0: SHA1_FOUR(a, prev, y3, 0); break;
            case 1: SHA1_FOUR(a, prev, y3, 1); break;
            case 2: SHA1_FOUR(a, prev, y3, 2); break;
            default: SHA1_FOUR(a, prev, y3, 3); break;
            }
            __m128i nx = SHA256_NEXT(x0, x1, x2, x3);
            x0 = x1; x1 = x2; x2 = x3; x3 = nx;
            SHA256_FOUR(b, x3, g);
        }
        for (int g = 16; g < 20; g++) {
            __m128i ny = SHA1_NEXT(y0, y1, y2, y3);
            y0 = y1; y1 = y2; y2 = y3; y3 = ny;
            SHA1_FOUR(a, prev, y3, 3);
        }
        // E of the block's end is A of the state before the last four rounds, rotated.
        a.e = _mm_sha1nexte_epu32(prev, a0.e);
        a.abcd = _mm_add_epi32(a.abcd, a0.abcd);
        b.abef = _mm_add_epi32(b.abef, b0.abef);
        b.cdgh = _mm_add_epi32(b.cdgh, b0.cdgh);
        p += 64;
    }
    *one = a;
    *two = b;
}

SHA_TARGET static void blocks(exhume_sha *x, const uint8_t *p, size_t count) {
    sha1_regs one = sha1_load(x->sha1);
    sha256_regs two = sha256_load(x->sha256);
    both_blocks(&one, &two, p, count);
    sha1_store(x->sha1, one);
    sha256_store(x->sha256, two);
}
#else
static void blocks(exhume_sha *x, const uint8_t *p, size_t count) {
    (void)x; (void)p; (void)count; // exhume_sha_available() is 0: callers use another implementation.
}
#endif

void exhume_sha_init(exhume_sha *x) {
    static const uint32_t one[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    static const uint32_t two[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(x->sha1, one, sizeof one);
    memcpy(x->sha256, two, sizeof two);
    x->length = 0;
}

void exhume_sha_update(exhume_sha *x, const void *bytes, size_t count) {
    const uint8_t *p = bytes;
    size_t used = (size_t)(x->length & 63);
    x->length += count;
    if (used) {
        size_t take = 64 - used < count ? 64 - used : count;
        memcpy(x->block + used, p, take);
        p += take;
        count -= take;
        if (used + take < 64) return;
        blocks(x, x->block, 1);
    }
    size_t whole = count / 64;
    if (whole) blocks(x, p, whole);
    memcpy(x->block, p + whole * 64, count - whole * 64);
}

static void big_endian(uint8_t *out, const uint32_t *words, int n) {
    for (int i = 0; i < n; i++) {
        out[4 * i] = (uint8_t)(words[i] >> 24);
        out[4 * i + 1] = (uint8_t)(words[i] >> 16);
        out[4 * i + 2] = (uint8_t)(words[i] >> 8);
        out[4 * i + 3] = (uint8_t)words[i];
    }
}

void exhume_sha_final(exhume_sha *x, uint8_t sha1[20], uint8_t sha256[32]) {
    // Both algorithms pad alike: 0x80, zeros, the length in bits (big-endian).
    const uint64_t bits = x->length * 8;
    size_t used = (size_t)(x->length & 63);
    x->block[used++] = 0x80;
    if (used > 56) {
        memset(x->block + used, 0, 64 - used);
        blocks(x, x->block, 1);
        used = 0;
    }
    memset(x->block + used, 0, 56 - used);
    for (int i = 0; i < 8; i++) x->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    blocks(x, x->block, 1);
    big_endian(sha1, x->sha1, 5);
    big_endian(sha256, x->sha256, 8);
}
