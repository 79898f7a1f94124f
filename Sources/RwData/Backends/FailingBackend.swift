/// The backend of a database whose configuration could not be used: every call throws the
/// error that said why.
struct FailingBackend: DatabaseBackend {
    let error: DatabaseError

    func withConnection<R: Sendable>(for use: ConnectionUse, _ body: @Sendable (any BackendConnection) async throws -> R) async throws -> R {
        throw error
    }

    func close() async {}
}
