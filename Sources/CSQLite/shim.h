// libsqlite3 entry points used by AgentStore.
#include <sqlite3.h>

/// `SQLITE_TRANSIENT` is a cast macro Swift does not import: SQLite copies the bound value before
/// the bind call returns, so Swift's temporary string and array pointers are safe to pass.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
