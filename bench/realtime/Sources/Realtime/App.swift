public import RwData
public import RwSDK

/// The app's database: SQLite by default, PostgreSQL by DATABASE_URL, where it carries the
/// broadcasts between instances. It has no tables.
public let db = defineDatabase(migrations: [])

/// The benchmark app: the bench channel, and `GET /` answering "ok" (the bench's readiness check).
public let app = defineApp {
    benchChannel()
    route("/") { RwResponse(headers: ["Content-Type": "text/plain"], text: "ok\n") }
}
