import Foundation
import PostgresTestSupport
import RwSubprocess
import RwTestSupport
import Testing

/// nginx from Debian's `nginx` package as a round-robin load balancer in front of servers on
/// loopback, with a configuration and folder of its own (it never touches /etc/nginx or port 80).
///
/// A POST that reached a server is never sent to another one: nginx passes a request to the next
/// server only after an error before the request was sent (`proxy_next_upstream error`, without
/// `non_idempotent`), and a server that failed stays out of the rotation for `fail_timeout`.
/// Every response names the server that answered it in `X-Upstream` (`127.0.0.1:PORT`).
///
/// WebSocket upgrades are proxied (`Upgrade` and `Connection: upgrade` passed on; other requests
/// keep pooled upstream connections). Besides the round-robin entrance, each server has an
/// entrance of its own (``pinnedAddresses``) that sends everything to that server while it
/// answers and to the others once it does not, as a sticky load balancer would.
final class NginxProxy: Sendable {
    /// The port nginx listens on, on 127.0.0.1.
    let port: Int
    /// The base URL of the proxy.
    var address: String { "http://127.0.0.1:\(port)" }
    /// Per upstream (in the order given), the base URL of the entrance that prefers it.
    let pinnedAddresses: [String]
    private let master: ChildProcess

    private init(port: Int, pinnedPorts: [Int], master: ChildProcess) {
        self.port = port
        self.pinnedAddresses = pinnedPorts.map { "http://127.0.0.1:\($0)" }
        self.master = master
    }

    static let executable = URL(fileURLWithPath: "/usr/sbin/nginx")

    /// Starts nginx on a free port of 127.0.0.1 in front of the servers on `upstreams` (ports of
    /// 127.0.0.1), with its files in `folder`, and waits until it accepts connections.
    static func start(upstreams: [Int], folder: URL) async throws -> NginxProxy {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = try PostgresCluster.freePort()
        let pinnedPorts = try upstreams.map { _ in try PostgresCluster.freePort() }
        let servers = upstreams.map { "        server 127.0.0.1:\($0) max_fails=1 fail_timeout=2s;" }.joined(separator: "\n")
        let location = """
                    location / {
                        proxy_pass http://$upstream_group;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Host $http_host;
                        proxy_next_upstream error timeout;
                        proxy_connect_timeout 1s;
                        add_header X-Upstream $upstream_addr always;
                    }
            """
        var pinned = ""
        for (index, upstream) in upstreams.enumerated() {
            let others = upstreams.filter { $0 != upstream }.map { "        server 127.0.0.1:\($0) backup;" }.joined(separator: "\n")
            pinned += """
                    upstream app\(index) {
                        server 127.0.0.1:\(upstream) max_fails=1 fail_timeout=2s;
                \(others)
                        keepalive 16;
                    }
                    server {
                        listen 127.0.0.1:\(pinnedPorts[index]);
                        set $upstream_group app\(index);
                \(location)
                    }

                """
        }
        let configuration = """
            daemon off;
            master_process on;
            worker_processes 1;
            \(getuid() == 0 ? "user root;" : "")
            pid \(folder.path)/nginx.pid;
            error_log \(folder.path)/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log \(folder.path)/access.log;
                client_body_temp_path \(folder.path)/client-body;
                proxy_temp_path \(folder.path)/proxy;
                fastcgi_temp_path \(folder.path)/fastcgi;
                uwsgi_temp_path \(folder.path)/uwsgi;
                scgi_temp_path \(folder.path)/scgi;
                # A WebSocket upgrade asks the upstream to upgrade; anything else keeps the pooled
                # connection (no Connection header).
                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    '' '';
                }
                upstream app {
            \(servers)
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:\(port);
                    set $upstream_group app;
            \(location)
                }
            \(pinned)
            }

            """
        let file = folder.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let master = try ChildProcess(executable, ["-c", file.path, "-p", folder.path, "-e", folder.appendingPathComponent("error.log").path])
        let proxy = NginxProxy(port: port, pinnedPorts: pinnedPorts, master: master)
        let deadline = ContinuousClock.now + .seconds(20)
        while !([port] + pinnedPorts).allSatisfy(Self.accepts(port:)) {
            guard ContinuousClock.now < deadline, master.process.isRunning else {
                let log = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
                _ = await master.stop(SIGKILL)
                throw NginxError("nginx did not start: \(log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))  // polling the port; nginx prints nothing when ready
        }
        return proxy
    }

    /// Stops nginx (SIGQUIT: workers finish what they serve) and waits for it to exit.
    func stop() async {
        _ = await master.stop(SIGQUIT)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        guard let fd = try? connectToLoopback(port: port) else { return false }
        close(fd)
        return true
    }
}

/// nginx could not be started.
struct NginxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
