// Blocking-style stream sockets on Glibc with deadlines (non-blocking fd + poll).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DockerlintSupport
import Foundation

/// Where the Docker Engine API listens.
public enum EngineEndpoint: Sendable, Equatable, Hashable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    public static let defaultSocket = EngineEndpoint.unix(path: "/var/run/docker.sock")

    /// Parses `unix:///path`, `/path`, `tcp://host:port` (plain HTTP; no TLS).
    public init(parsing s: String) throws(BuilderError) {
        if s.hasPrefix("unix://") {
            let p = String(s.dropFirst("unix://".count))
            guard !p.isEmpty else { throw .invalidArgument("empty unix socket path in '\(s)'") }
            self = .unix(path: p)
        } else if s.hasPrefix("/") {
            self = .unix(path: s)
        } else if s.hasPrefix("tcp://") || s.hasPrefix("http://") {
            var rest = Substring(s.drop(while: { $0 != "/" }).dropFirst(2))
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            var host = String(rest)
            var port = 2375
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {   // [v6]:port
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":"), let p = Int(after.dropFirst()) { port = p }
            } else if let colon = rest.lastIndex(of: ":") {
                host = String(rest[..<colon])
                guard let p = Int(rest[rest.index(after: colon)...]) else {
                    throw .invalidArgument("bad port in '\(s)'")
                }
                port = p
            }
            guard !host.isEmpty else { throw .invalidArgument("empty host in '\(s)'") }
            self = .tcp(host: host, port: port)
        } else {
            throw .invalidArgument("unsupported DOCKER_HOST '\(s)' (use unix:// or tcp://)")
        }
    }

    /// `DOCKER_HOST` if set and parseable, else `/var/run/docker.sock`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> EngineEndpoint {
        if let h = env["DOCKER_HOST"], !h.isEmpty, let e = try? EngineEndpoint(parsing: h) { return e }
        return defaultSocket
    }

    /// Endpoints worth trying, in order: `DOCKER_HOST` (if set), then the default socket.
    public static func candidates(_ env: [String: String] = ProcessInfo.processInfo.environment) -> [EngineEndpoint] {
        var out: [EngineEndpoint] = []
        if let h = env["DOCKER_HOST"], !h.isEmpty, let e = try? EngineEndpoint(parsing: h) { out.append(e) }
        if !out.contains(defaultSocket) { out.append(defaultSocket) }
        return out
    }

    public var description: String {
        switch self {
        case .unix(let p): return "unix://\(p)"
        case .tcp(let h, let p): return h.contains(":") ? "tcp://[\(h)]:\(p)" : "tcp://\(h):\(p)"
        }
    }

    /// Value for the HTTP `Host` header.
    var hostHeader: String {
        switch self {
        case .unix: return "localhost"
        case .tcp(let h, let p): return h.contains(":") ? "[\(h)]:\(p)" : "\(h):\(p)"
        }
    }
}

private func errnoString(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }

#if os(Linux)
private let streamType = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let streamType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// A connected stream socket. Not thread-safe; owned by one request.
final class StreamSocket {
    private(set) var fd: Int32 = -1
    let endpoint: EngineEndpoint

    init(connecting endpoint: EngineEndpoint, timeout: Double) throws(BuilderError) {
        self.endpoint = endpoint
        switch endpoint {
        case .unix(let path): try connectUnix(path, timeout: timeout)
        case .tcp(let host, let port): try connectTCP(host, port, timeout: timeout)
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 {
            _ = shutdown(fd, Int32(SHUT_RDWR))
            #if canImport(Glibc)
            _ = Glibc.close(fd)
            #else
            _ = Darwin.close(fd)
            #endif
            fd = -1
        }
    }

    private func setNonBlocking(_ s: Int32) {
        let flags = fcntl(s, F_GETFL)
        _ = fcntl(s, F_SETFL, flags | O_NONBLOCK)
    }

    private func finishConnect(_ s: Int32, rc: Int32, timeout: Double) -> String? {
        if rc == 0 { return nil }
        let e = errno
        guard e == EINPROGRESS || e == EAGAIN else { return errnoString(e) }
        var pfd = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
        let pr = poll(&pfd, 1, Int32(max(1, timeout * 1000)))
        if pr == 0 { return "connect timed out after \(timeout)s" }
        if pr < 0 { return errnoString() }
        var soErr: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(s, SOL_SOCKET, SO_ERROR, &soErr, &len)
        return soErr == 0 ? nil : errnoString(soErr)
    }

    private func connectUnix(_ path: String, timeout: Double) throws(BuilderError) {
        var addr = sockaddr_un()
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            throw .connectionFailed(endpoint: endpoint.description, reason: "socket path too long")
        }
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let s = socket(AF_UNIX, streamType, 0)
        guard s >= 0 else { throw .connectionFailed(endpoint: endpoint.description, reason: errnoString()) }
        setNonBlocking(s)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if let err = finishConnect(s, rc: rc, timeout: timeout) {
            _ = closeFD(s)
            throw .connectionFailed(endpoint: endpoint.description, reason: err)
        }
        fd = s
    }

    private func connectTCP(_ host: String, _ port: Int, timeout: Double) throws(BuilderError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        var res: UnsafeMutablePointer<addrinfo>?
        let gai = getaddrinfo(host, String(port), &hints, &res)
        guard gai == 0, let first = res else {
            throw .connectionFailed(endpoint: endpoint.description, reason: String(cString: gai_strerror(gai)))
        }
        defer { freeaddrinfo(first) }
        var lastError = "no addresses"
        var cur: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cur {
            cur = ai.pointee.ai_next
            let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if s < 0 { lastError = errnoString(); continue }
            setNonBlocking(s)
            let rc = connect(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            if let err = finishConnect(s, rc: rc, timeout: timeout) {
                lastError = err
                _ = closeFD(s)
                continue
            }
            var one: Int32 = 1
            setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            fd = s
            return
        }
        throw .connectionFailed(endpoint: endpoint.description, reason: lastError)
    }

    private func closeFD(_ s: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.close(s)
        #else
        return Darwin.close(s)
        #endif
    }

    /// Waits until readable and/or writable. Returns (readable, writable); throws on deadline.
    func wait(read: Bool, write: Bool, deadline: Double, what: @autoclosure () -> String) throws(BuilderError) -> (Bool, Bool) {
        while true {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0 { throw .timeout(seconds: 0, what: what()) }
            var ev: Int16 = 0
            if read { ev |= Int16(POLLIN) }
            if write { ev |= Int16(POLLOUT) }
            var pfd = pollfd(fd: fd, events: ev, revents: 0)
            let pr = poll(&pfd, 1, Int32(min(remaining * 1000 + 1, 1_000_000)))
            if pr < 0 {
                if errno == EINTR { continue }
                throw .io("poll: \(errnoString())")
            }
            if pr == 0 { continue }
            let r = pfd.revents
            let readable = (r & Int16(POLLIN)) != 0 || (r & Int16(POLLHUP)) != 0 || (r & Int16(POLLERR)) != 0
            let writable = (r & Int16(POLLOUT)) != 0 || (r & Int16(POLLERR)) != 0
            return (readable, writable)
        }
    }

    /// Sends some bytes; returns how many were written (may be 0 if the send would block).
    func sendSome(_ buf: UnsafeRawBufferPointer) throws(BuilderError) -> Int {
        guard let base = buf.baseAddress, buf.count > 0 else { return 0 }
        let n = send(fd, base, buf.count, sendFlags)
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return 0 }
            throw .io("send: \(errnoString())")
        }
        return n
    }

    /// Reads what is available; returns 0 at EOF, nil if it would block.
    func recvSome(_ buf: UnsafeMutableRawBufferPointer) throws(BuilderError) -> Int? {
        let n = recv(fd, buf.baseAddress, buf.count, 0)
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
            throw .io("recv: \(errnoString())")
        }
        return n
    }
}
