import RwData

/// The guestbook's database, kept across every `rw dev` reload.
public let db = defineDatabase(migrations: [
    DatabaseSessionStore.migration,
    Migration(
        "001_messages",
        "CREATE TABLE messages (id \(type: .autoIncrementKey), author \(type: .text) NOT NULL, body \(type: .text) NOT NULL, client_key \(type: .text) UNIQUE)"
    ),
])
