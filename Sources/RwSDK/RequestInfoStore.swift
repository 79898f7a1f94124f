/// The task-local slot holding the current request's ``RequestInfo``.
///
/// The `TaskLocal` instance itself lives in the state module, so every generation of reloaded
/// code reads and binds the same slot and a request that spans a reload keeps its information.
let requestInfoStore: TaskLocal<RequestInfo?> = defineRwState("requestInfoStore") {
    TaskLocal(wrappedValue: nil)
}

/// Information about the request being handled by the current task and the tasks it creates.
///
/// Available in middleware, routes, server components and server actions. Reading it outside a
/// request is a programming error and stops the program with a message saying so; use
/// ``currentRequestInfo`` where there may be no request.
public var requestInfo: RequestInfo {
    guard let info = requestInfoStore.get() else {
        preconditionFailure(
            "requestInfo was read outside a request; it is available only in middleware, routes, "
                + "server components and server actions")
    }
    return info
}

/// The current request's information, or `nil` outside a request.
public var currentRequestInfo: RequestInfo? { requestInfoStore.get() }

/// Runs `operation` with `info` as the current ``requestInfo``.
public func withRequestInfo<T: Sendable>(
    _ info: RequestInfo,
    _ operation: () async throws -> T
) async rethrows -> T {
    try await requestInfoStore.withValue(info, operation: operation)
}
