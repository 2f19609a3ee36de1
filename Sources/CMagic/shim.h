#ifndef EXHUME_CMAGIC_SHIM_H
#define EXHUME_CMAGIC_SHIM_H

#include <magic.h>

#endif
