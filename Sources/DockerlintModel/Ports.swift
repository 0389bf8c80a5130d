import DockerlintSyntax

/// One EXPOSE word parsed as BuildKit's `portSpecs.parsePort` does
/// (`[ip:][hostPort:]containerPort[-end][/proto]`).
public struct ExposedPort: Equatable, Sendable {
    /// The word after expansion.
    public var raw: String
    public var start: Int
    public var end: Int
    /// Lower-cased (`tcp` when omitted).
    public var proto: String
    /// The protocol as written (for the ExposeProtoCasing check).
    public var protoAsWritten: String
    public var hostIP: String
    public var hostPort: String

    /// The image config keys BuildKit records: `80/tcp`, one per port of a range.
    public var entries: [String] { (start...end).map { "\($0)/\(proto)" } }

    /// Parses one expanded word; the error text is BuildKit's.
    public static func parse(_ raw: String) -> Result<ExposedPort, ExposeError> {
        let parts = raw.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var ip = "", hostPort = "", container = ""
        switch parts.count {
        case 1: container = parts[0]
        case 2: hostPort = parts[0]; container = parts[1]
        case 3: ip = parts[0]; hostPort = parts[1]; container = parts[2]
        default:
            let n = parts.count
            ip = parts[..<(n - 2)].joined(separator: ":"); hostPort = parts[n - 2]; container = parts[n - 1]
        }
        var port = container, proto = ""
        if let slash = container.firstIndex(of: "/") {
            port = String(container[..<slash]); proto = String(container[container.index(after: slash)...])
        }
        if port.isEmpty { return .failure(ExposeError("invalid port: \(goQuote(raw)): no port specified")) }
        let lower = proto.lowercased()
        switch lower {
        case "": proto = "tcp"
        case "tcp", "udp", "sctp": break
        default: return .failure(ExposeError("invalid port: \(goQuote(raw)): invalid proto: \(proto)"))
        }
        if ip.hasPrefix("[") {
            guard ip.hasSuffix("]") else { return .failure(ExposeError("invalid IP address \(ip): address \(ip): missing ']' in address")) }
            ip = String(ip.dropFirst().dropLast())
        }
        if !ip.isEmpty && !isIP(ip) { return .failure(ExposeError("invalid IP address: " + ip)) }
        guard let (s, e) = portRange(port) else { return .failure(ExposeError("invalid containerPort: " + port)) }
        if !hostPort.isEmpty {
            guard let (hs, he) = portRange(hostPort) else { return .failure(ExposeError("invalid hostPort: " + hostPort)) }
            if e - s != he - hs && e != s {
                return .failure(ExposeError("invalid ranges specified for container and host Ports: \(port) and \(hostPort)"))
            }
        }
        return .success(ExposedPort(raw: raw, start: s, end: e, proto: proto.lowercased(), protoAsWritten: proto,
                                    hostIP: ip, hostPort: hostPort))
    }

    static func portRange(_ p: String) -> (Int, Int)? {
        if p.isEmpty { return nil }
        var start = p, end = p
        var hasDash = false
        if let d = p.firstIndex(of: "-") { start = String(p[..<d]); end = String(p[p.index(after: d)...]); hasDash = true }
        guard let s = portNumber(start) else { return nil }
        if !hasDash || start == end { return (s, s) }
        guard let e = portNumber(end), e >= s else { return nil }
        return (s, e)
    }

    static func portNumber(_ s: String) -> Int? {
        guard !s.isEmpty, case .success(let v) = GoStrconv.parseInt(s, bits: 64), v >= 0, v <= 65535 else { return nil }
        return Int(v)
    }

    /// A light `net.ParseIP`: dotted IPv4 or an IPv6 form.
    static func isIP(_ s: String) -> Bool {
        let v4 = s.split(separator: ".", omittingEmptySubsequences: false)
        if v4.count == 4, v4.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) && Int($0)! <= 255 }) {
            return true
        }
        guard s.contains(":") else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }
            && s.components(separatedByString: "::") <= 2
    }
}

public struct ExposeError: Error, Equatable, Sendable {
    public var message: String
    init(_ m: String) { message = m }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}

extension String {
    func components(separatedByString sep: String) -> Int {
        var count = 1
        var rest = Substring(self)
        while let r = rest.firstRange(of: sep) { count += 1; rest = rest[r.upperBound...] }
        return count
    }
}

/// `signal.ParseSignal` (moby/sys, Linux table).
enum Signals {
    static let names: Set<String> = {
        var s: Set<String> = ["ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
                              "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
                              "TRAP", "TSTP", "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH",
                              "XCPU", "XFSZ", "RTMIN", "RTMAX"]
        for i in 1...15 { s.insert("RTMIN+\(i)") }
        for i in 1...14 { s.insert("RTMAX-\(i)") }
        return s
    }()

    static func isValid(_ raw: String) -> Bool {
        if case .success(let n) = GoStrconv.parseInt(raw, bits: 64) { return n != 0 }
        var u = raw.uppercased()
        if u.hasPrefix("SIG") { u.removeFirst(3) }
        return names.contains(u)
    }
}
