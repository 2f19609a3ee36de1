#ifndef EXHUME_CEWF_SHIM_H
#define EXHUME_CEWF_SHIM_H

#include <stdint.h>
#include <sys/types.h>
#include <libewf.h>

#endif
