// libcrypto (OpenSSL 3) entry points used by AgentCore: digests, HMAC, PBKDF2 and random bytes.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
