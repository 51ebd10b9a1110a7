// glibc heap statistics (mallinfo2) for the benchmarks; header only, nothing to link.
#include <malloc.h>
