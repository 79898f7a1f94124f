// The dev runner: a small, long-lived process that loads generations of app images and answers
// requests with the newest one. It links only RwState (dynamically, so every image shares it)
// plus Foundation, and speaks frames over a Unix socket with the front process.
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

let runner = Runner(requestTimeout: timeoutSeconds > 0 ? .nanoseconds(Int64(timeoutSeconds * 1e9)) : nil)
let listener: UnixSocket
do {
    listener = try UnixSocket.listen(at: CommandLine.arguments[1])
} catch {
    FileHandle.standardError.write(Data("rw-runner: \(error)\n".utf8))
    exit(1)
}
FileHandle.standardOutput.write(Data("\(RunnerProtocol.readyLine)\n".utf8))
while true {
    guard let connection = try? listener.accept() else { continue }
    Thread { runner.serve(connection) }.start()
}
