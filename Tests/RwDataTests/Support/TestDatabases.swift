import Foundation
import PostgresTestSupport
import Testing

@testable import RwData

/// The two databases every behaviour is tested on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// Runs `body` with a fresh database of `backend`: an SQLite file in a temporary folder, or a
/// throwaway PostgreSQL cluster; everything is closed and deleted afterwards.
func withDatabase(
    _ backend: Backend, maximumConnections: Int = 4,
    _ body: (Database, PostgresCluster?) async throws -> Void
) async throws {
    switch backend {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-sqlite-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = Database(.sqlite(path: folder.appendingPathComponent("db.sqlite").path))
        do {
            try await body(db, nil)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    case .postgres:
        let cluster = try await PostgresCluster.start()
        let db = Database(try DatabaseConfiguration.parse(cluster.url, folder: "/"), maximumConnections: maximumConnections)
        do {
            try await body(db, cluster)
        } catch {
            await db.close()
            await cluster.stop()
            throw error
        }
        await db.close()
        await cluster.stop()
    }
}

/// The migration of the tests' table, written for each database.
let messagesMigration = Migration(
    "001_messages",
    "CREATE TABLE messages (id \(type: .autoIncrementKey), author \(type: .text) NOT NULL, body \(type: .text) NOT NULL)"
)
