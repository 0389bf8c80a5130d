#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import DockerlintBuilders
import DockerlintSupport

/// A one-shot HTTP server on 127.0.0.1 for exercising the tcp:// path and framing end to end.
final class LoopbackServer: @unchecked Sendable {
    let listenFD: Int32
    let port: Int
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _requestHead = ""
    private var _requestBody: [UInt8] = []
    var requestHead: String { lock.lock(); defer { lock.unlock() }; return _requestHead }
    var requestBody: [UInt8] { lock.lock(); defer { lock.unlock() }; return _requestBody }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(fd, 4) == 0 else { _ = close(fd); throw BuilderError.io("bind/listen failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { _ = close(listenFD) }

    /// Accepts one connection, reads the full request (chunked or content-length), replies with
    /// `response` (nil: never reply, hold the connection for `hold` seconds).
    func serveOnce(response: [UInt8]?, hold: Double = 0) {
        Thread.detachNewThread { [self] in
            let c = accept(listenFD, nil, nil)
            guard c >= 0 else { done.signal(); return }
            defer { _ = close(c); done.signal() }
            var buf = [UInt8](repeating: 0, count: 65536)
            var head: [UInt8] = []
            var body: [UInt8] = []
            var dec = ChunkedDecoder()
            var chunked = false
            var contentLength = 0
            var headDone = false
            loop: while true {
                let n = recv(c, &buf, buf.count, 0)
                if n <= 0 { break }
                var bytes = Array(buf[0..<n])
                if !headDone {
                    head += bytes
                    guard let r = head.firstRange(of: Array("\r\n\r\n".utf8)) else { continue }
                    bytes = Array(head[r.upperBound...])
                    head = Array(head[..<r.lowerBound])
                    headDone = true
                    let h = String(decoding: head, as: UTF8.self).lowercased()
                    chunked = h.contains("transfer-encoding: chunked")
                    if let line = h.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                        contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
                if chunked {
                    body += (try? dec.decode(bytes)) ?? []
                    if dec.isComplete { break loop }
                } else {
                    body += bytes
                    if body.count >= contentLength { break loop }
                }
            }
            lock.lock(); _requestHead = String(decoding: head, as: UTF8.self); _requestBody = body; lock.unlock()
            if let response {
                response.withUnsafeBytes { _ = send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            } else {
                Thread.sleep(forTimeInterval: hold)
            }
        }
    }

    func wait() { done.wait() }
}

@Suite struct LoopbackHTTPTests {
    @Test func tcpStreamedBodyAndChunkedResponse() throws {
        let server = try LoopbackServer()
        let lines = ["{\"stream\":\"Step 1/1 : FROM x\"}", "{\"stream\":\"\\n\"}", "{\"aux\":{\"ID\":\"sha256:abc\"}}"]
        var resp = Array("HTTP/1.1 200 OK\r\nApi-Version: 1.40\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let payload = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
        for piece in stride(from: 0, to: payload.count, by: 7) {   // odd chunk boundaries, mid-line
            resp += payload[piece..<min(payload.count, piece + 7)].withUnsafeBytes { ChunkedDecoder.encodeChunk($0) }
        }
        resp += Array("0\r\n\r\n".utf8)
        server.serveOnce(response: resp)

        let body = [UInt8]((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var got: [UInt8] = []
        let head = try HTTPExchange.perform(
            endpoint: try EngineEndpoint(parsing: "tcp://127.0.0.1:\(server.port)"), method: "POST", target: "/v1.40/build?t=x",
            headers: [("Content-Type", "application/x-tar")],
            body: .stream({ sink in
                for off in stride(from: 0, to: body.count, by: 50_000) {
                    try body[off..<min(body.count, off + 50_000)].withUnsafeBytes { try sink($0) }
                }
            }),
            connectTimeout: 2, timeout: 10, onBody: { got += $0 })
        server.wait()
        #expect(head.status == 200)
        #expect(head.headers["api-version"] == "1.40")
        var splitter = LineSplitter()
        #expect(splitter.feed(got).map { String(decoding: $0, as: UTF8.self) } == lines)
        #expect(server.requestHead.hasPrefix("POST /v1.40/build?t=x HTTP/1.1\r\n"))
        #expect(server.requestHead.contains("Transfer-Encoding: chunked"))
        #expect(server.requestBody == body)
    }

    @Test func httpErrorCarriesEngineMessage() throws {
        let server = try LoopbackServer()
        let json = "{\"message\":\"No such image: nope:latest\"}"
        server.serveOnce(response: Array("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)".utf8))
        let client = EngineClient(endpoint: .tcp(host: "127.0.0.1", port: server.port))
        #expect(throws: BuilderError.http(status: 404, message: "No such image: nope:latest")) {
            _ = try client.call("GET", "/images/nope/json", versioned: false)
        }
        server.wait()
    }

    @Test func silentServerTimesOut() throws {
        let server = try LoopbackServer()
        server.serveOnce(response: nil, hold: 1)
        let t0 = monotonicSeconds()
        #expect {
            try HTTPExchange.perform(endpoint: .tcp(host: "127.0.0.1", port: server.port), method: "GET", target: "/_ping",
                                     connectTimeout: 1, timeout: 0.5, onBody: { _ in })
        } throws: { e in
            if case BuilderError.timeout = e { return true } else { return false }
        }
        #expect(monotonicSeconds() - t0 < 2)
        server.wait()
    }
}
