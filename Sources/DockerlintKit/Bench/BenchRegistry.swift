// The registry `bench --push` and `--ci-cache` use: one named on the command line, the local
// 127.0.0.1:5000 of scripts/setup-builders when it answers, else a Debian docker-registry the
// bench starts for the run on a free loopback port and stops at the end.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import DockerlintBuilders
import DockerlintSupport
import Foundation

final class BenchRegistry: @unchecked Sendable {
    let address: String
    private var process: ChildProcess?
    private var storage: URL?

    private init(address: String, process: ChildProcess? = nil, storage: URL? = nil) {
        self.address = address
        self.process = process
        self.storage = storage
    }

    static let defaultAddress = "127.0.0.1:5000"

    /// `requested`: `host:port`, or nil / `auto` for the default or one started here.
    static func resolve(_ requested: String?) throws -> BenchRegistry {
        if let r = requested, r != "auto" {
            let client: RegistryClient
            do { client = try RegistryClient(address: r) } catch { throw CommandError("--registry \(r): expected HOST:PORT") }
            guard client.ping() else { throw CommandError("no registry answers at http://\(r)/v2/", status: .environment) }
            return BenchRegistry(address: r)
        }
        if let c = try? RegistryClient(address: defaultAddress), c.ping() { return BenchRegistry(address: defaultAddress) }
        let candidates: [String] = ["/usr/bin/docker-registry", "/usr/local/bin/docker-registry", "/usr/bin/registry"]
        guard let exe = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw CommandError("no registry at \(defaultAddress) and docker-registry is not installed (scripts/setup-builders --registry, or --registry HOST:PORT)",
                               status: .environment)
        }
        let port = try freePort()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-registry-\(getpid())-\(port)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("config.yml")
        let text = "version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: \(dir.path)/data}}\nhttp: {addr: 127.0.0.1:\(port)}\n"
        try? Data(text.utf8).write(to: config)
        let p: ChildProcess
        do { p = try ChildProcess(exe, ["serve", config.path], output: false, standardError: .discard) } catch {
            throw CommandError("cannot start \(exe): \(error)", status: .environment)
        }
        let address = "127.0.0.1:\(port)"
        let reg = BenchRegistry(address: address, process: p, storage: dir)
        BenchCleanup.shared.addFinalizer { reg.stop() }
        let client = try? RegistryClient(address: address)
        for _ in 0..<100 {
            if client?.ping() == true { return reg }
            usleep(100_000)
        }
        reg.stop()
        throw CommandError("\(exe) did not answer on \(address) within 10 s", status: .environment)
    }

    /// A loopback TCP port nothing listens on (bound once, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandError("socket(): \(String(cString: strerror(errno)))", status: .environment) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw CommandError("bind(127.0.0.1:0): \(String(cString: strerror(errno)))", status: .environment) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Stops a registry started here and removes its storage (a no-op otherwise).
    func stop() {
        if let p = process { p.terminate(); p.wait() }
        process = nil
        if let s = storage { try? FileManager.default.removeItem(at: s) }
        storage = nil
    }
}
