// Minimal HTTP/1.1 client: one request per connection (`Connection: close`), chunked request
// bodies, chunked/content-length/until-EOF response bodies, delivered incrementally.
import DockerlintSupport
import Foundation

/// Incremental decoder for `Transfer-Encoding: chunked` (RFC 9112 §7.1). Feed it bytes as they
/// arrive; it returns the decoded payload bytes and sets `isComplete` after the last chunk and trailers.
public struct ChunkedDecoder: Sendable {
    private enum State: Sendable { case sizeLine, data(Int), dataEnd, trailer, done }
    private var state: State = .sizeLine
    private var line: [UInt8] = []

    public init() {}

    public var isComplete: Bool { if case .done = state { return true } else { return false } }

    public mutating func decode<C: Collection>(_ input: C) throws(BuilderError) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        var i = input.startIndex
        while i != input.endIndex {
            switch state {
            case .done:
                return out   // ignore anything after the final chunk
            case .data(let remaining):
                let avail = input.distance(from: i, to: input.endIndex)
                let n = min(avail, remaining)
                let end = input.index(i, offsetBy: n)
                out.append(contentsOf: input[i..<end])
                i = end
                state = remaining - n == 0 ? .dataEnd : .data(remaining - n)
            case .sizeLine, .dataEnd, .trailer:
                let b = input[i]
                i = input.index(after: i)
                if case .dataEnd = state, b != 13, b != 10 {
                    throw .protocolError("chunked: missing CRLF after chunk data")
                }
                if b != UInt8(ascii: "\n") {
                    line.append(b)
                    if line.count > 4096 { throw .protocolError("chunked: line too long") }
                    continue
                }
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                let text = String(decoding: line, as: UTF8.self)
                line.removeAll(keepingCapacity: true)
                switch state {
                case .sizeLine:
                    let hex = text.split(separator: ";", maxSplits: 1).first.map {
                        $0.trimmingCharacters(in: .whitespaces)
                    } ?? ""
                    guard let size = Int(hex, radix: 16), size >= 0 else {
                        throw .protocolError("chunked: bad chunk size line '\(text)'")
                    }
                    state = size == 0 ? .trailer : .data(size)
                case .dataEnd:
                    guard text.isEmpty else { throw .protocolError("chunked: missing CRLF after chunk data") }
                    state = .sizeLine
                case .trailer:
                    if text.isEmpty { state = .done }
                default: break
                }
            }
        }
        return out
    }

    /// Encodes one chunk (empty input gives the terminating `0\r\n\r\n`).
    public static func encodeChunk(_ payload: UnsafeRawBufferPointer) -> [UInt8] {
        var out = Array(String(payload.count, radix: 16).utf8) + [13, 10]
        out.append(contentsOf: payload)
        out += [13, 10]
        return out
    }
}

/// Splits a byte stream into `\n`-terminated lines (a trailing `\r` is dropped).
public struct LineSplitter: Sendable {
    private var buffer: [UInt8] = []
    public init() {}

    public mutating func feed<C: Collection>(_ bytes: C) -> [[UInt8]] where C.Element == UInt8 {
        var lines: [[UInt8]] = []
        for b in bytes {
            if b == UInt8(ascii: "\n") {
                if buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
                lines.append(buffer)
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(b)
            }
        }
        return lines
    }

    /// The unterminated tail, if any.
    public mutating func finish() -> [UInt8]? {
        defer { buffer.removeAll() }
        return buffer.isEmpty ? nil : buffer
    }
}

/// Status line and headers of a response (header names lower-cased).
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [String: String]
}

/// Incremental HTTP/1.1 response parser.
struct HTTPResponseParser {
    private enum Body { case none, chunked(ChunkedDecoder), length(Int), untilEOF }
    private var headBuffer: [UInt8] = []
    private(set) var head: HTTPResponseHead?
    private var body: Body = .none
    private(set) var isComplete = false
    let requestMethod: String

    init(requestMethod: String) { self.requestMethod = requestMethod }

    mutating func feed(_ bytes: ArraySlice<UInt8>, onHead: (HTTPResponseHead) -> Void = { _ in },
                       onBody: ([UInt8]) throws -> Void) throws {
        var rest = bytes
        while !rest.isEmpty && !isComplete {
            if head == nil {
                // Accumulate until the blank line ending the head.
                var consumed = 0
                var found = false
                for b in rest {
                    headBuffer.append(b)
                    consumed += 1
                    if headBuffer.count >= 4, headBuffer.suffix(4).elementsEqual([13, 10, 13, 10]) { found = true; break }
                    if headBuffer.count >= 2, headBuffer.suffix(2).elementsEqual([10, 10]) { found = true; break }
                    if headBuffer.count > 64 * 1024 { throw BuilderError.protocolError("response head too large") }
                }
                rest = rest.dropFirst(consumed)
                guard found else { return }
                let parsed = try Self.parseHead(headBuffer)
                headBuffer.removeAll()
                if parsed.status >= 100 && parsed.status < 200 { continue }   // 100 Continue etc.
                head = parsed
                onHead(parsed)
                if requestMethod == "HEAD" || parsed.status == 204 || parsed.status == 304 {
                    body = .none
                    isComplete = true
                } else if parsed.headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
                    body = .chunked(ChunkedDecoder())
                } else if let cl = parsed.headers["content-length"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                    body = .length(cl)
                    if cl == 0 { isComplete = true }
                } else {
                    body = .untilEOF
                }
                continue
            }
            switch body {
            case .none:
                isComplete = true
            case .chunked(var dec):
                let out = try dec.decode(rest)
                rest = rest[rest.endIndex...]
                if dec.isComplete { isComplete = true }
                body = .chunked(dec)
                if !out.isEmpty { try onBody(out) }
            case .length(let remaining):
                let n = min(remaining, rest.count)
                let chunk = Array(rest.prefix(n))
                rest = rest.dropFirst(n)
                body = .length(remaining - n)
                if remaining - n == 0 { isComplete = true }
                if !chunk.isEmpty { try onBody(chunk) }
            case .untilEOF:
                let chunk = Array(rest)
                rest = rest[rest.endIndex...]
                try onBody(chunk)
            }
        }
    }

    /// Called at EOF; fine for until-EOF bodies, an error for truncated framed bodies.
    mutating func finishAtEOF() throws(BuilderError) {
        guard !isComplete else { return }
        guard head != nil else { throw .protocolError("connection closed before a response head") }
        switch body {
        case .untilEOF, .none: isComplete = true
        case .chunked: throw .protocolError("connection closed inside a chunked body")
        case .length(let r): throw .protocolError("connection closed with \(r) body bytes missing")
        }
    }

    static func parseHead(_ bytes: [UInt8]) throws(BuilderError) -> HTTPResponseHead {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard !lines.isEmpty else { throw .protocolError("empty response head") }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw .protocolError("bad status line '\(statusLine)'")
        }
        var headers: [String: String] = [:]
        for l in lines where !l.isEmpty {
            guard let c = l.firstIndex(of: ":") else { continue }
            let k = l[..<c].trimmingCharacters(in: .whitespaces).lowercased()
            let v = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
            headers[k] = headers[k].map { $0 + ", " + v } ?? v
        }
        return HTTPResponseHead(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }
}

/// A request body.
enum HTTPBody {
    case none
    case bytes([UInt8])
    /// Streamed with chunked encoding: the closure writes the body through the given sink.
    case stream((_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Void)
}

enum HTTPExchange {
    /// Performs one request and streams the response body to `onBody`. Throws `.timeout` (after
    /// closing the connection, which makes dockerd cancel a running build) when `timeout` passes.
    static func perform(endpoint: EngineEndpoint, method: String, target: String,
                        headers: [(String, String)] = [], body: HTTPBody = .none,
                        connectTimeout: Double, timeout: Double,
                        onHead: (HTTPResponseHead) -> Void = { _ in },
                        onBody: ([UInt8]) throws -> Void) throws -> HTTPResponseHead {
        let deadline = monotonicSeconds() + timeout
        let sock = try StreamSocket(connecting: endpoint, timeout: min(connectTimeout, timeout))
        defer { sock.close() }
        var parser = HTTPResponseParser(requestMethod: method)
        let what = "\(method) \(target) on \(endpoint)"
        var readBuf = [UInt8](repeating: 0, count: 64 * 1024)
        var peerClosed = false

        // Reads whatever is available now and feeds it to the parser; returns false at EOF.
        func pump() throws -> Bool {
            let n = try readBuf.withUnsafeMutableBytes { try sock.recvSome($0) }
            guard let n else { return true }
            if n == 0 { peerClosed = true; return false }
            try parser.feed(readBuf[0..<n], onHead: onHead, onBody: onBody)
            return true
        }

        // Writes all bytes, draining the response meanwhile so neither side can deadlock
        // (BuildKit starts streaming progress while it is still reading the context).
        func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
            var off = 0
            while off < bytes.count {
                let (r, w) = try sock.wait(read: !peerClosed, write: true, deadline: deadline, what: what)
                if r && !peerClosed { _ = try pump() }
                if parser.isComplete { throw EarlyResponse() }
                if w {
                    let n = try sock.sendSome(UnsafeRawBufferPointer(rebasing: bytes[off...]))
                    off += n
                }
            }
        }

        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\nUser-Agent: dockerlint\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        switch body {
        case .none: head += "Content-Length: 0\r\n"
        case .bytes(let b): head += "Content-Length: \(b.count)\r\n"
        case .stream: head += "Transfer-Encoding: chunked\r\n"
        }
        head += "\r\n"

        do {
            try Array(head.utf8).withUnsafeBytes { try writeAll($0) }
            switch body {
            case .none: break
            case .bytes(let b): try b.withUnsafeBytes { try writeAll($0) }
            case .stream(let produce):
                try produce { chunk in
                    guard chunk.count > 0 else { return }
                    let framed = ChunkedDecoder.encodeChunk(chunk)
                    try framed.withUnsafeBytes { try writeAll($0) }
                }
                try Array("0\r\n\r\n".utf8).withUnsafeBytes { try writeAll($0) }
            }
        } catch is EarlyResponse {
            // The server answered (typically an error) before taking the whole body.
        } catch BuilderError.io(let m) where m.hasPrefix("send:") {
            // Peer stopped reading (EPIPE/ECONNRESET): read whatever answer it left.
        } catch BuilderError.timeout {
            throw BuilderError.timeout(seconds: timeout, what: what)
        }

        do {
            while !parser.isComplete && !peerClosed {
                let (r, _) = try sock.wait(read: true, write: false, deadline: deadline, what: what)
                if r { _ = try pump() }
            }
            if !parser.isComplete { try parser.finishAtEOF() }
        } catch BuilderError.timeout {
            throw BuilderError.timeout(seconds: timeout, what: what)
        }
        guard let h = parser.head else { throw BuilderError.protocolError("no response from \(endpoint)") }
        return h
    }

    private struct EarlyResponse: Error {}
}

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
func queryEscape(_ s: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    // CharacterSet.alphanumerics includes non-ASCII letters; restrict to ASCII.
    return s.unicodeScalars.map { u -> String in
        if u.isASCII, allowed.contains(u) { return String(u) }
        return String(u).utf8.map { String(format: "%%%02X", $0) }.joined()
    }.joined()
}
