// libcrypto (OpenSSL 3) entry points used by AgentCore: digests and random bytes.
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
