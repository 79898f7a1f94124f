import RwData

/// The guestbook's database, kept across every `rw dev` reload.
public let db = defineDatabase(migrations: [
    DatabaseSessionStore.migration,
    Migration(
        "001_messages",
        sqlite: ["CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, author TEXT NOT NULL, body TEXT NOT NULL, client_key TEXT UNIQUE)"],
        postgres: ["CREATE TABLE messages (id BIGSERIAL PRIMARY KEY, author TEXT NOT NULL, body TEXT NOT NULL, client_key TEXT UNIQUE)"]
    ),
])
