// MD5 as RFC 1321 defines it, with a two-stream variant that interleaves the
// steps of two independent messages (see CDigest.h).
#include "CDigest.h"
#include <string.h>

#define ROTL(x, c) (((x) << (c)) | ((x) >> (32 - (c))))
// Hides a value from the optimizer, so that it cannot reorder the sums below.
#define SETTLED(x) __asm__("" : "+r"(x))

// One step is a += f(b, c, d) + word + constant; a = rotl(a, s) + b. Its
// chain waits on b, the register the step before produced, so each step adds
// the word and constant to a first, and computes what of f does not need b
// (for G the half c & ~d, added too: its halves have no bit in common) before
// b is ready: then only two or three operations follow b. Left to itself the
// compiler sums in whichever order it likes and puts all of f on the chain
// (≈ 600 MB/s a stream here, against 800).
#define STEPF(a, b, c, d, x, k, s) { a += (x) + (k); SETTLED(a); uint32_t t = c ^ d; SETTLED(t); \
    a += d ^ (b & t); a = ROTL(a, s) + b; }
#define STEPG(a, b, c, d, x, k, s) { a += (x) + (k) + (c & ~d); SETTLED(a); a += b & d; a = ROTL(a, s) + b; }
#define STEPH(a, b, c, d, x, k, s) { a += (x) + (k); SETTLED(a); uint32_t t = c ^ d; SETTLED(t); \
    a += b ^ t; a = ROTL(a, s) + b; }
#define STEPI(a, b, c, d, x, k, s) { a += (x) + (k); SETTLED(a); uint32_t t = ~d; SETTLED(t); \
    a += c ^ (b | t); a = ROTL(a, s) + b; }
#define STEP(f, a, b, c, d, x, k, s) STEP##f(a, b, c, d, x, k, s)
#define ONE(f, a, b, c, d, A, B, C, D, i, k, s) STEP(f, a, b, c, d, m[i], k, s)
#define TWO(f, a, b, c, d, A, B, C, D, i, k, s) STEP(f, a, b, c, d, m[i], k, s) STEP(f, A, B, C, D, n[i], k, s)

// The 64 steps: function, rotation of the registers, message word, constant, shift.
#define ROUNDS(S) \
 S(F,a,b,c,d,A,B,C,D, 0,0xd76aa478, 7) S(F,d,a,b,c,D,A,B,C, 1,0xe8c7b756,12) S(F,c,d,a,b,C,D,A,B, 2,0x242070db,17) S(F,b,c,d,a,B,C,D,A, 3,0xc1bdceee,22) \
 S(F,a,b,c,d,A,B,C,D, 4,0xf57c0faf, 7) S(F,d,a,b,c,D,A,B,C, 5,0x4787c62a,12) S(F,c,d,a,b,C,D,A,B, 6,0xa8304613,17) S(F,b,c,d,a,B,C,D,A, 7,0xfd469501,22) \
 S(F,a,b,c,d,A,B,C,D, 8,0x698098d8, 7) S(F,d,a,b,c,D,A,B,C, 9,0x8b44f7af,12) S(F,c,d,a,b,C,D,A,B,10,0xffff5bb1,17) S(F,b,c,d,a,B,C,D,A,11,0x895cd7be,22) \
 S(F,a,b,c,d,A,B,C,D,12,0x6b901122, 7) S(F,d,a,b,c,D,A,B,C,13,0xfd987193,12) S(F,c,d,a,b,C,D,A,B,14,0xa679438e,17) S(F,b,c,d,a,B,C,D,A,15,0x49b40821,22) \
 S(G,a,b,c,d,A,B,C,D, 1,0xf61e2562, 5) S(G,d,a,b,c,D,A,B,C, 6,0xc040b340, 9) S(G,c,d,a,b,C,D,A,B,11,0x265e5a51,14) S(G,b,c,d,a,B,C,D,A, 0,0xe9b6c7aa,20) \
 S(G,a,b,c,d,A,B,C,D, 5,0xd62f105d, 5) S(G,d,a,b,c,D,A,B,C,10,0x02441453, 9) S(G,c,d,a,b,C,D,A,B,15,0xd8a1e681,14) S(G,b,c,d,a,B,C,D,A, 4,0xe7d3fbc8,20) \
 S(G,a,b,c,d,A,B,C,D, 9,0x21e1cde6, 5) S(G,d,a,b,c,D,A,B,C,14,0xc33707d6, 9) S(G,c,d,a,b,C,D,A,B, 3,0xf4d50d87,14) S(G,b,c,d,a,B,C,D,A, 8,0x455a14ed,20) \
 S(G,a,b,c,d,A,B,C,D,13,0xa9e3e905, 5) S(G,d,a,b,c,D,A,B,C, 2,0xfcefa3f8, 9) S(G,c,d,a,b,C,D,A,B, 7,0x676f02d9,14) S(G,b,c,d,a,B,C,D,A,12,0x8d2a4c8a,20) \
 S(H,a,b,c,d,A,B,C,D, 5,0xfffa3942, 4) S(H,d,a,b,c,D,A,B,C, 8,0x8771f681,11) S(H,c,d,a,b,C,D,A,B,11,0x6d9d6122,16) S(H,b,c,d,a,B,C,D,A,14,0xfde5380c,23) \
 S(H,a,b,c,d,A,B,C,D, 1,0xa4beea44, 4) S(H,d,a,b,c,D,A,B,C, 4,0x4bdecfa9,11) S(H,c,d,a,b,C,D,A,B, 7,0xf6bb4b60,16) S(H,b,c,d,a,B,C,D,A,10,0xbebfbc70,23) \
 S(H,a,b,c,d,A,B,C,D,13,0x289b7ec6, 4) S(H,d,a,b,c,D,A,B,C, 0,0xeaa127fa,11) S(H,c,d,a,b,C,D,A,B, 3,0xd4ef3085,16) S(H,b,c,d,a,B,C,D,A, 6,0x04881d05,23) \
 S(H,a,b,c,d,A,B,C,D, 9,0xd9d4d039, 4) S(H,d,a,b,c,D,A,B,C,12,0xe6db99e5,11) S(H,c,d,a,b,C,D,A,B,15,0x1fa27cf8,16) S(H,b,c,d,a,B,C,D,A, 2,0xc4ac5665,23) \
 S(I,a,b,c,d,A,B,C,D, 0,0xf4292244, 6) S(I,d,a,b,c,D,A,B,C, 7,0x432aff97,10) S(I,c,d,a,b,C,D,A,B,14,0xab9423a7,15) S(I,b,c,d,a,B,C,D,A, 5,0xfc93a039,21) \
 S(I,a,b,c,d,A,B,C,D,12,0x655b59c3, 6) S(I,d,a,b,c,D,A,B,C, 3,0x8f0ccc92,10) S(I,c,d,a,b,C,D,A,B,10,0xffeff47d,15) S(I,b,c,d,a,B,C,D,A, 1,0x85845dd1,21) \
 S(I,a,b,c,d,A,B,C,D, 8,0x6fa87e4f, 6) S(I,d,a,b,c,D,A,B,C,15,0xfe2ce6e0,10) S(I,c,d,a,b,C,D,A,B, 6,0xa3014314,15) S(I,b,c,d,a,B,C,D,A,13,0x4e0811a1,21) \
 S(I,a,b,c,d,A,B,C,D, 4,0xf7537e82, 6) S(I,d,a,b,c,D,A,B,C,11,0xbd3af235,10) S(I,c,d,a,b,C,D,A,B, 2,0x2ad7d2bb,15) S(I,b,c,d,a,B,C,D,A, 9,0xeb86d391,21)

// Message words are little-endian.
static inline void words(uint32_t m[16], const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(m, p, 64);
#else
    for (int i = 0; i < 16; i++) {
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    }
#endif
}

static void blocks1(uint32_t s[4], const uint8_t *p, size_t count) {
    uint32_t a = s[0], b = s[1], c = s[2], d = s[3];
    uint32_t m[16];
    while (count--) {
        const uint32_t a0 = a, b0 = b, c0 = c, d0 = d;
        words(m, p);
        ROUNDS(ONE)
        a += a0; b += b0; c += c0; d += d0;
        p += 64;
    }
    s[0] = a; s[1] = b; s[2] = c; s[3] = d;
}

static void blocks2(uint32_t s[4], const uint8_t *p, uint32_t t[4], const uint8_t *q, size_t count) {
    uint32_t a = s[0], b = s[1], c = s[2], d = s[3];
    uint32_t A = t[0], B = t[1], C = t[2], D = t[3];
    uint32_t m[16], n[16];
    while (count--) {
        const uint32_t a0 = a, b0 = b, c0 = c, d0 = d, A0 = A, B0 = B, C0 = C, D0 = D;
        words(m, p);
        words(n, q);
        ROUNDS(TWO)
        a += a0; b += b0; c += c0; d += d0;
        A += A0; B += B0; C += C0; D += D0;
        p += 64;
        q += 64;
    }
    s[0] = a; s[1] = b; s[2] = c; s[3] = d;
    t[0] = A; t[1] = B; t[2] = C; t[3] = D;
}

void exhume_md5_init(exhume_md5 *x) {
    x->state[0] = 0x67452301;
    x->state[1] = 0xefcdab89;
    x->state[2] = 0x98badcfe;
    x->state[3] = 0x10325476;
    x->length = 0;
}

// Tops up a context's unfinished block from `*p`; returns the bytes taken.
static size_t fill(exhume_md5 *x, const uint8_t *p, size_t count) {
    size_t used = (size_t)(x->length & 63);
    if (used == 0) return 0;
    size_t take = 64 - used < count ? 64 - used : count;
    memcpy(x->block + used, p, take);
    x->length += take;
    if (((x->length) & 63) == 0) blocks1(x->state, x->block, 1);
    return take;
}

// Hashes the whole blocks of `p` and keeps the tail; the context's block must be empty.
static void rest(exhume_md5 *x, const uint8_t *p, size_t count) {
    size_t whole = count / 64;
    if (whole) blocks1(x->state, p, whole);
    memcpy(x->block, p + whole * 64, count - whole * 64);
    x->length += count;
}

void exhume_md5_update(exhume_md5 *x, const void *bytes, size_t count) {
    const uint8_t *p = bytes;
    size_t took = fill(x, p, count);
    if (took == count) return;
    rest(x, p + took, count - took);
}

void exhume_md5_update2(exhume_md5 *x, const void *bytesX, exhume_md5 *y, const void *bytesY, size_t count) {
    const uint8_t *p = bytesX, *q = bytesY;
    size_t tookX = fill(x, p, count), tookY = fill(y, q, count);
    size_t leftX = count - tookX, leftY = count - tookY;
    if (leftX && leftY) {
        size_t pairs = (leftX < leftY ? leftX : leftY) / 64;
        if (pairs) {
            blocks2(x->state, p + tookX, y->state, q + tookY, pairs);
            x->length += pairs * 64;
            y->length += pairs * 64;
            tookX += pairs * 64;
            tookY += pairs * 64;
        }
    }
    if (tookX < count) rest(x, p + tookX, count - tookX);
    if (tookY < count) rest(y, q + tookY, count - tookY);
}

void exhume_md5_final(exhume_md5 *x, uint8_t digest[16]) {
    uint64_t bits = x->length * 8;
    size_t used = (size_t)(x->length & 63);
    x->block[used++] = 0x80;
    if (used > 56) {
        memset(x->block + used, 0, 64 - used);
        blocks1(x->state, x->block, 1);
        used = 0;
    }
    memset(x->block + used, 0, 56 - used);
    for (int i = 0; i < 8; i++) x->block[56 + i] = (uint8_t)(bits >> (8 * i));
    blocks1(x->state, x->block, 1);
    for (int i = 0; i < 4; i++) {
        digest[4 * i] = (uint8_t)x->state[i];
        digest[4 * i + 1] = (uint8_t)(x->state[i] >> 8);
        digest[4 * i + 2] = (uint8_t)(x->state[i] >> 16);
        digest[4 * i + 3] = (uint8_t)(x->state[i] >> 24);
    }
}
