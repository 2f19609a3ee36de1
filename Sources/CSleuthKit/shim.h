#ifndef EXHUME_CSLEUTHKIT_SHIM_H
#define EXHUME_CSLEUTHKIT_SHIM_H

#include <stdlib.h>
#include <stdio.h>
#include <tsk/base/tsk_base.h>
#include <tsk/img/tsk_img.h>
#include <tsk/vs/tsk_vs.h>
#include <tsk/fs/tsk_fs.h>
#include <tsk/pool/tsk_pool.h>

/*
 * TSK 4.11's tsk_img_open_external treats the memory it is given as a
 * TSK_IMG_INFO and initialises it in place; our context pointer lives right
 * after it. The close callback frees the whole container (see
 * exhume_tsk_external_free), so one allocation has one owner.
 */
typedef struct {
    TSK_IMG_INFO info;
    void *context;
} exhume_tsk_external_image;

typedef ssize_t (*exhume_tsk_read_fn)(TSK_IMG_INFO *img, TSK_OFF_T off, char *buf, size_t len);
typedef void (*exhume_tsk_close_fn)(TSK_IMG_INFO *img);
typedef void (*exhume_tsk_imgstat_fn)(TSK_IMG_INFO *img, FILE *file);

static inline TSK_IMG_INFO *
exhume_tsk_img_open_external(void *context, TSK_OFF_T size, unsigned int sector_size,
                             exhume_tsk_read_fn read_fn, exhume_tsk_close_fn close_fn,
                             exhume_tsk_imgstat_fn imgstat_fn)
{
    exhume_tsk_external_image *container = calloc(1, sizeof(exhume_tsk_external_image));
    if (container == NULL) {
        return NULL;
    }
    container->context = context;
    TSK_IMG_INFO *img = tsk_img_open_external(container, size, sector_size,
                                              read_fn, close_fn, imgstat_fn);
    if (img == NULL) {
        free(container);
    }
    return img;
}

static inline void *
exhume_tsk_img_context(TSK_IMG_INFO *img)
{
    return ((exhume_tsk_external_image *)img)->context;
}

static inline void
exhume_tsk_external_free(TSK_IMG_INFO *img)
{
    free(img);
}

/* The TSK_FS_TYPE_IS* macros are not importable. */
static inline int exhume_tsk_fs_is_ntfs(TSK_FS_TYPE_ENUM t) { return TSK_FS_TYPE_ISNTFS(t) ? 1 : 0; }
static inline int exhume_tsk_fs_is_fat(TSK_FS_TYPE_ENUM t) { return TSK_FS_TYPE_ISFAT(t) ? 1 : 0; }

/* tsk_error_set_errstr is variadic, which Swift cannot call. */
static inline void exhume_tsk_set_read_error(const char *message)
{
    tsk_error_reset();
    tsk_error_set_errno(TSK_ERR_IMG_READ);
    tsk_error_set_errstr("%s", message);
}

/* TSK_FS_ISDOT is a macro. */
static inline int exhume_tsk_is_dot(const char *name)
{
    return TSK_FS_ISDOT(name) ? 1 : 0;
}

/* tsk_error_get_errstr returns thread-local storage; copy it at once. */
static inline const char *exhume_tsk_error_message(void) { return tsk_error_get(); }

#endif
