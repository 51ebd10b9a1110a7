/// The session store's schema, as migrations. Released migrations never change; add new ones.
enum StoreSchema {
    static let migrator = Migrator([sessionsAndHistory, sessionTags, imageReferences, listOrder, accountsAndPlatform])

    /// Sessions and everything they own. Child rows go with their session (`ON DELETE CASCADE`).
    static let sessionsAndHistory = Migration(version: 1, name: "sessions and history", sql: """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            priority TEXT NOT NULL DEFAULT 'normal',
            metadata TEXT NOT NULL DEFAULT '{}',
            configuration TEXT NOT NULL,
            status TEXT NOT NULL,
            status_reason TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            last_activity_at REAL NOT NULL,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd REAL NOT NULL DEFAULT 0,
            last_seq INTEGER NOT NULL DEFAULT 0,
            queue TEXT NOT NULL DEFAULT '[]',
            pending_approval TEXT,
            soft_budget_acknowledged INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX sessions_by_created_at ON sessions (created_at);
        CREATE INDEX sessions_by_status ON sessions (status, created_at);
        CREATE INDEX sessions_by_owner ON sessions (owner, created_at);

        CREATE TABLE messages (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            PRIMARY KEY (session_id, idx)
        );

        CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            time REAL NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        );

        CREATE TABLE tool_executions (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            tool_use_id TEXT NOT NULL,
            name TEXT NOT NULL,
            input TEXT NOT NULL,
            status TEXT NOT NULL,
            output TEXT,
            error TEXT,
            system TEXT,
            image_sha256 TEXT,
            image_media_type TEXT,
            image_byte_count INTEGER,
            started_at REAL NOT NULL,
            finished_at REAL,
            duration_ms REAL,
            PRIMARY KEY (session_id, tool_use_id)
        );

        CREATE TABLE images (
            sha256 TEXT PRIMARY KEY NOT NULL,
            media_type TEXT NOT NULL,
            bytes BLOB NOT NULL,
            created_at REAL NOT NULL
        );

        CREATE TABLE usage (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            model TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_creation_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            time REAL NOT NULL,
            PRIMARY KEY (session_id, turn)
        );
        """)

    /// One row per (session, tag), so a tag filter is an exact, indexed lookup; filled from `sessions.tags`.
    static let sessionTags = Migration(version: 2, name: "session tags", sql: """
        CREATE TABLE session_tags (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (session_id, tag)
        );
        CREATE INDEX session_tags_by_tag ON session_tags (tag, session_id);
        INSERT OR IGNORE INTO session_tags (session_id, tag)
            SELECT sessions.id, tag.value FROM sessions, json_each(sessions.tags) AS tag
            WHERE tag.type = 'text';
        """)

    /// Which sessions' messages hold which images, so deleting a session (or its history) can
    /// delete the screenshots no other session refers to. Filled from the stored messages.
    static let imageReferences = Migration(version: 3, name: "image references", sql: """
        CREATE TABLE image_refs (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (session_id, sha256)
        );
        CREATE INDEX image_refs_by_sha256 ON image_refs (sha256);
        CREATE INDEX tool_executions_by_image ON tool_executions (image_sha256) WHERE image_sha256 IS NOT NULL;
        INSERT OR IGNORE INTO image_refs (session_id, sha256)
            SELECT messages.session_id, images.sha256 FROM messages, images
            WHERE instr(messages.content, images.sha256) > 0;
        """)

    /// Lists sort by a field and then by `id` (so pages never overlap on ties). With the id in the
    /// indexes, the default list (newest first) and a status filter read rows in index order and
    /// stop at the page's end, instead of copying every matching row into a temporary sort.
    static let listOrder = Migration(version: 4, name: "list order indexes", sql: """
        DROP INDEX sessions_by_created_at;
        CREATE INDEX sessions_by_created_at ON sessions (created_at, id);
        DROP INDEX sessions_by_status;
        CREATE INDEX sessions_by_status ON sessions (status, created_at, id);
        DROP INDEX sessions_by_owner;
        CREATE INDEX sessions_by_owner ON sessions (owner, created_at, id);
        """)

    /// Users and their API keys (stored as SHA-256 only), and seed 003's agents, versions,
    /// executions and logs. Integer ids, as seed 003 documents them; user names and emails unique
    /// without regard to case.
    static let accountsAndPlatform = Migration(version: 5, name: "accounts and platform", sql: """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT NOT NULL,
            username TEXT NOT NULL,
            full_name TEXT,
            is_active INTEGER NOT NULL DEFAULT 1,
            is_admin INTEGER NOT NULL DEFAULT 0,
            password_hash TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE UNIQUE INDEX users_by_username ON users (username COLLATE NOCASE);
        CREATE UNIQUE INDEX users_by_email ON users (email COLLATE NOCASE);

        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL,
            key_prefix TEXT NOT NULL,
            is_active INTEGER NOT NULL DEFAULT 1,
            last_used_at REAL,
            created_at REAL NOT NULL
        );
        CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (key_hash);
        CREATE INDEX api_keys_by_user ON api_keys (user_id, id);

        CREATE TABLE agents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            description TEXT,
            status TEXT NOT NULL DEFAULT 'draft',
            current_version_id INTEGER,
            version_count INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX agents_by_user ON agents (user_id, id);

        CREATE TABLE agent_versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            status TEXT NOT NULL,
            build_log TEXT,
            tarball_path TEXT,
            entrypoint TEXT,
            config TEXT,
            framework TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (agent_id, number)
        );
        CREATE INDEX agent_versions_unfinished ON agent_versions (status, id) WHERE status IN ('queued', 'building');

        CREATE TABLE executions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            agent_version_id INTEGER NOT NULL REFERENCES agent_versions (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            input_data TEXT,
            output_data TEXT,
            error_message TEXT,
            logs TEXT,
            session_id TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX executions_by_user ON executions (user_id, id);
        CREATE INDEX executions_by_version ON executions (agent_version_id, id);
        CREATE INDEX executions_unfinished ON executions (status) WHERE status IN ('pending', 'running');

        CREATE TABLE platform_logs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
            execution_id INTEGER REFERENCES executions (id) ON DELETE CASCADE,
            time REAL NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL,
            source TEXT NOT NULL,
            metadata TEXT
        );
        CREATE INDEX platform_logs_by_agent ON platform_logs (agent_id, id);
        CREATE INDEX platform_logs_by_execution ON platform_logs (execution_id, id) WHERE execution_id IS NOT NULL;
        """)
}
