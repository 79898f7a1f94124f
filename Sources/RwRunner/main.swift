// The dev runner: a small, long-lived process that loads generations of app images and answers
// requests with the newest one. It links only RwState (dynamically, so every image shares it)
// plus Foundation, and speaks frames with the front process over one Unix-socket connection: it
// connects to the front's socket, says hello (its readiness), and serves until the front closes
// the connection.
//
// Usage: rw-runner <socket path> [request timeout in seconds; 0 or absent: none]

import Foundation
import RwState
import Synchronization

#if SWIFT_PACKAGE
import RwWire
#endif
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 2 || (arguments.count == 3 && Double(arguments[2]) != nil) else {
    FileHandle.standardError.write(Data("usage: rw-runner <socket path> [request timeout in seconds]\n".utf8))
    exit(2)
}
let timeoutSeconds = arguments.count == 3 ? Double(arguments[2])! : 0

// A child inherits the signal mask of the thread that spawned it, and the front spawns from
// worker threads that block most signals: unblock them so SIGTERM and SIGINT stop the runner.
var noSignals = sigset_t()
sigemptyset(&noSignals)
pthread_sigmask(SIG_SETMASK, &noSignals, nil)

let connection: FrameConnection
do {
    connection = FrameConnection(try UnixSocket.connect(to: arguments[1]))
    try connection.send(Frame(.hello, json: RunnerHello(pid: getpid())))
} catch {
    FileHandle.standardError.write(Data("\(RunnerProtocol.messagePrefix) \(error)\n".utf8))
    exit(1)
}
let runner = Runner(connection: connection, requestTimeout: timeoutSeconds > 0 ? .nanoseconds(Int64(timeoutSeconds * 1e9)) : nil)
if let error = runner.serve() {
    FileHandle.standardError.write(Data("\(RunnerProtocol.messagePrefix) the connection to rw dev failed: \(error)\n".utf8))
    exit(1)
}
exit(0)
