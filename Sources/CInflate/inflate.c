#include "CInflate.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

// zlib's types and codes, spelled out so that this file does not include zlib.h
// (whose declarations would clash with nothing, but we define, not use, zlib here).
typedef unsigned char Bytef;
typedef unsigned long uLong;
typedef unsigned long uLongf;
typedef unsigned int uInt;
enum { Z_OK = 0, Z_DATA_ERROR = -3, Z_MEM_ERROR = -4, Z_BUF_ERROR = -5 };

static _Atomic uint64_t calls;

// One decompressor per thread (libdeflate's are not shared between threads),
// freed when the thread ends.
static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void release(void *decompressor) { libdeflate_free_decompressor(decompressor); }
static void make_key(void) { pthread_key_create(&key, release); }

static struct libdeflate_decompressor *decompressor(void) {
    pthread_once(&once, make_key);
    struct libdeflate_decompressor *d = pthread_getspecific(key);
    if (d == NULL) {
        d = libdeflate_alloc_decompressor();
        if (d != NULL && pthread_setspecific(key, d) != 0) {
            libdeflate_free_decompressor(d);
            d = NULL;
        }
    }
    return d;
}

int uncompress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    struct libdeflate_decompressor *d = decompressor();
    if (d == NULL) return Z_MEM_ERROR;
    size_t written = 0;
    switch (libdeflate_zlib_decompress(d, source, sourceLen, dest, *destLen, &written)) {
    case LIBDEFLATE_SUCCESS:
        *destLen = written;
        return Z_OK;
    case LIBDEFLATE_INSUFFICIENT_SPACE:
        return Z_BUF_ERROR;
    default:
        return Z_DATA_ERROR;
    }
}

uLong adler32(uLong adler, const Bytef *buf, uInt len) {
    // zlib: a NULL buffer asks for the initial value (1); libdeflate answers the same.
    return libdeflate_adler32((uint32_t)adler, buf, len);
}

uint32_t exhume_crc32(uint32_t crc, const void *bytes, size_t count) { return libdeflate_crc32(crc, bytes, count); }

uint64_t exhume_inflate_calls(void) { return atomic_load_explicit(&calls, memory_order_relaxed); }

const char *exhume_inflate_engine(void) { return "libdeflate " LIBDEFLATE_VERSION_STRING; }
