// zlib entry points used by AgentCore's PNG encoder (deflate, crc32) and by the tests' PNG decoder (inflate).
#ifndef AGENTD_CZLIB_SHIM_H
#define AGENTD_CZLIB_SHIM_H

#include <zlib.h>

// `deflateInit2` and `inflateInit` are macros that pass ZLIB_VERSION and sizeof(z_stream);
// Swift cannot call function-like macros, so wrap them.
static inline int czlib_deflateInit2(z_streamp strm, int level, int method, int windowBits, int memLevel,
                                     int strategy) {
    return deflateInit2_(strm, level, method, windowBits, memLevel, strategy, ZLIB_VERSION, (int)sizeof(z_stream));
}

static inline int czlib_inflateInit(z_streamp strm) {
    return inflateInit_(strm, ZLIB_VERSION, (int)sizeof(z_stream));
}

#endif
