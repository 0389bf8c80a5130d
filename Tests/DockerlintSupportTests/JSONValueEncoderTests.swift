import DockerlintSupport
import Foundation
import Testing

@Suite struct JSONValueEncoderTests {
    struct Inner: Codable, Equatable {
        var name: String
        var size: Int?
        var ratio: Double
    }

    struct Outer: Codable, Equatable {
        var id: UInt8
        var big: Int64
        var flag: Bool?
        var note: String?
        var inner: Inner
        var list: [Inner]
        var map: [String: [Int]]
        var nested: [[String?]]
        var kind: Kind

        enum Kind: String, Codable { case a, b }
    }

    static let sample = Outer(id: 7, big: -9_000_000_000, flag: nil, note: "é \"q\" / \n", inner: Inner(name: "x", size: nil, ratio: 0.25),
                              list: [Inner(name: "y", size: 3, ratio: 1e-5), Inner(name: "z", size: nil, ratio: 2)],
                              map: ["k": [1, 2], "j": []], nested: [["a", nil], []], kind: .b)

    /// Left to Swift's defaults (absent optionals omitted), the tree holds what Foundation's
    /// encoder writes: both parse to the same value.
    @Test func agreesWithFoundationsEncoder() throws {
        let ours = try JSONValueEncoder().encode(Self.sample).serialized()
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let theirs = try enc.encode(Self.sample)
        let a = try JSONSerialization.jsonObject(with: Data(ours.utf8)) as! NSDictionary
        let b = try JSONSerialization.jsonObject(with: theirs) as! NSDictionary
        #expect(a == b)
        #expect(try JSONDecoder().decode(Outer.self, from: Data(ours.utf8)) == Self.sample)
    }

    @Test func nullPolicyWritesAbsentMembersAsNull() throws {
        let v = try JSONValueEncoder(nils: .null).encode(Self.sample)
        guard case .object(let top) = v, case .object(let inner)? = top["inner"] else { Issue.record("not an object: \(v)"); return }
        #expect(top["flag"] == .null && inner["size"] == .null)
        #expect(inner["ratio"] == .number(0.25) && top["id"] == .int(7) && top["kind"] == .string("b"))
        // An optional inside an array is an element either way.
        #expect(top["nested"] == .array([.array([.string("a"), .null]), .array([])]))
        #expect(try JSONValueEncoder().encode(Self.sample).serialized(pretty: false).contains("\"flag\"") == false)
    }

    struct Partly: Encodable {
        var kept: Int?
        var dropped: Int?
        enum CodingKeys: String, JSONOptionalMember {
            case kept, dropped
            var omittedWhenNil: Bool { self == .dropped }
        }
    }

    @Test func keysCanOptOutOfNulls() throws {
        #expect(try JSONValueEncoder(nils: .null).encode(Partly()).serialized(pretty: false) == #"{"kept":null}"#)
        #expect(try JSONValueEncoder(nils: .null).encode(Partly(kept: 1, dropped: 2)).serialized(pretty: false) == #"{"dropped":2,"kept":1}"#)
    }

    @Test func numbersAsTheWriterWritesThem() {
        #expect(JSONValue.array([.number(3), .number(0.1), .number(1.7881393432617188e-05), .number(.infinity), .number(1e20)]).serialized(pretty: false)
            == "[3,0.1,1.7881393432617188e-05,null,1e+20]")
    }
}
