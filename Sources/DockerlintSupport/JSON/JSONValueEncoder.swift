// Encodable values as `JSONValue`, so that Codable output goes through the one serializer:
// the same key order, indentation, string escaping and number form as every other JSON
// document the tool writes.

/// Encodes an `Encodable` value as a `JSONValue`.
///
/// A schema that requires a member with a nullable type wants `null` when the value is
/// absent, where Swift's synthesized `Encodable` leaves the member out (`encodeIfPresent`).
/// With `nils: .null` an absent optional is written as `null`, except for the members whose
/// coding key says `omittedWhenNil` (`JSONOptionalMember`): those the schema does not require.
public struct JSONValueEncoder: Sendable {
    public enum Nils: Sendable {
        /// An absent optional member is left out (Swift's synthesized behaviour).
        case omitted
        /// An absent optional member is written as `null`.
        case null
    }

    public var nils: Nils

    public init(nils: Nils = .omitted) { self.nils = nils }

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder.box(value, nils: nils, path: [])
    }

    /// `value` as JSON: primitives directly, everything else through its `encode(to:)`.
    static func box<T: Encodable>(_ value: T, nils: Nils, path: [any CodingKey]) throws -> JSONValue {
        switch value {
        case let v as String: return .string(v)
        case let v as Bool: return .bool(v)
        case let v as Int: return .int(v)
        case let v as Double: return .number(v)
        case let v as Float: return .number(Double(v))
        case let v as any BinaryInteger: return Int(exactly: v).map(JSONValue.int) ?? .number(Double(v))
        default:
            let node = JSONNode()
            try value.encode(to: NodeEncoder(node: node, nils: nils, codingPath: path))
            return node.resolve()
        }
    }
}

/// A coding key whose member is left out, not written as `null`, when its value is absent
/// (for `JSONValueEncoder(nils: .null)`).
public protocol JSONOptionalMember: CodingKey {
    var omittedWhenNil: Bool { get }
}

/// The tree an encoding builds; containers write into it by reference, and `resolve`
/// turns it into a value at the end.
final class JSONNode {
    var value: JSONValue?
    var members: [String: JSONNode]?
    var elements: [JSONNode]?

    init(_ value: JSONValue? = nil) { self.value = value }

    func resolve() -> JSONValue {
        if let members { return .object(members.mapValues { $0.resolve() }) }
        if let elements { return .array(elements.map { $0.resolve() }) }
        return value ?? .object([:])
    }
}

struct NodeEncoder: Encoder {
    let node: JSONNode
    let nils: JSONValueEncoder.Nils
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.members == nil { node.members = [:] }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, nils: nils, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.elements == nil { node.elements = [] }
        return UnkeyedNodeContainer(node: node, nils: nils, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, nils: nils, codingPath: codingPath)
    }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let nils: JSONValueEncoder.Nils
    var codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { node.members![key.stringValue] = JSONNode(value) }

    private func absent(_ key: Key) {
        guard nils == .null, (key as? any JSONOptionalMember)?.omittedWhenNil != true else { return }
        set(.null, key)
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try JSONValueEncoder.box(value, nils: nils, path: codingPath + [key]), key)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.number(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.number(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(Int(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(Int(exactly: value).map(JSONValue.int) ?? .number(Double(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(Int(exactly: value).map(JSONValue.int) ?? .number(Double(value)), key) }

    // An absent optional: left out or `null`, by the encoder's policy and the key.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { absent(key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { set(.bool(value), key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { set(.string(value), key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { set(.number(value), key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { set(.number(Double(value)), key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { set(.int(value), key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeIfPresent(value.map(Int.init), forKey: key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeIfPresent(value.map(Int.init), forKey: key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeIfPresent(value.map(Int.init), forKey: key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeIfPresent(value.map(Int.init), forKey: key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeIfPresent(value.map(Int.init), forKey: key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeIfPresent(value.map(Int.init), forKey: key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeIfPresent(value.map(Int.init), forKey: key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode()
        node.members![key.stringValue] = child
        return NodeEncoder(node: child, nils: nils, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONNode()
        node.members![key.stringValue] = child
        return NodeEncoder(node: child, nils: nils, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = JSONNode()
        node.members![key.stringValue] = child
        return NodeEncoder(node: child, nils: nils, codingPath: codingPath + [key])
    }
}

/// The position of an element, as a coding key of the path.
struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    let nils: JSONValueEncoder.Nils
    var codingPath: [any CodingKey]
    var count: Int { node.elements!.count }

    private func append(_ value: JSONValue) { node.elements!.append(JSONNode(value)) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try JSONValueEncoder.box(value, nils: nils, path: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.number(value)) }
    mutating func encode(_ value: Float) throws { append(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { append(.int(value)) }
    mutating func encode(_ value: Int8) throws { append(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { append(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { append(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { append(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { append(Int(exactly: value).map(JSONValue.int) ?? .number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { append(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { append(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { append(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { append(Int(exactly: value).map(JSONValue.int) ?? .number(Double(value))) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode()
        node.elements!.append(child)
        return NodeEncoder(node: child, nils: nils, codingPath: codingPath + [IndexKey(count - 1)]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONNode()
        node.elements!.append(child)
        return NodeEncoder(node: child, nils: nils, codingPath: codingPath + [IndexKey(count - 1)]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONNode()
        node.elements!.append(child)
        return NodeEncoder(node: child, nils: nils, codingPath: codingPath + [IndexKey(count - 1)])
    }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let nils: JSONValueEncoder.Nils
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.value = .null }
    mutating func encode<T: Encodable>(_ value: T) throws { node.value = try JSONValueEncoder.box(value, nils: nils, path: codingPath) }
    mutating func encode(_ value: Bool) throws { node.value = .bool(value) }
    mutating func encode(_ value: String) throws { node.value = .string(value) }
    mutating func encode(_ value: Double) throws { node.value = .number(value) }
    mutating func encode(_ value: Float) throws { node.value = .number(Double(value)) }
    mutating func encode(_ value: Int) throws { node.value = .int(value) }
    mutating func encode(_ value: Int8) throws { node.value = .int(Int(value)) }
    mutating func encode(_ value: Int16) throws { node.value = .int(Int(value)) }
    mutating func encode(_ value: Int32) throws { node.value = .int(Int(value)) }
    mutating func encode(_ value: Int64) throws { node.value = .int(Int(value)) }
    mutating func encode(_ value: UInt) throws { node.value = Int(exactly: value).map(JSONValue.int) ?? .number(Double(value)) }
    mutating func encode(_ value: UInt8) throws { node.value = .int(Int(value)) }
    mutating func encode(_ value: UInt16) throws { node.value = .int(Int(value)) }
    mutating func encode(_ value: UInt32) throws { node.value = .int(Int(value)) }
    mutating func encode(_ value: UInt64) throws { node.value = Int(exactly: value).map(JSONValue.int) ?? .number(Double(value)) }
}
