@testable import DissectKit
import XCTest

/// `ConversationDissectors`: tshark's conversation dissectors, which UDP asks before its port
/// table (TFTP binds the client's endpoint with the server's port left open).
final class ConversationDissectorsTests: XCTestCase {
    final class Nothing: Dissector {
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            .notMine
        }
    }

    let client = Address.ipv4(0x0a00_0001), server = Address.ipv4(0x0a00_0002), other = Address.ipv4(0x0a00_0003)

    func handle(_ d: Nothing) -> DissectorHandle { DissectorHandle(protocolID: .textOnly, dissector: d) }

    func testOpenPortBindingMatchesAnyServerPortBothWays() {
        let table = ConversationDissectors()
        XCTAssertNil(table.find(transport: 17, src: client, srcPort: 40000, dst: server, dstPort: 69))
        let d = Nothing()
        let id = table.bind(handle(d), transport: 17, client, 40000, server, nil)
        for (src, sp, dst, dp) in [(server, UInt16(50000), client, UInt16(40000)), (client, 40000, server, 50001)] {
            let b = table.find(transport: 17, src: src, srcPort: sp, dst: dst, dstPort: dp)
            XCTAssertEqual(b?.id, id)
            XCTAssertTrue(b?.handle.dissector === d)
        }
        // Another client port, another server address, another transport: not this binding.
        XCTAssertNil(table.find(transport: 17, src: server, srcPort: 50000, dst: client, dstPort: 40001))
        XCTAssertNil(table.find(transport: 17, src: other, srcPort: 50000, dst: client, dstPort: 40000))
        XCTAssertNil(table.find(transport: 6, src: server, srcPort: 50000, dst: client, dstPort: 40000))
        XCTAssertEqual(table.findOpen(transport: 17, src: server, srcPort: 7, dst: client, dstPort: 40000)?.id, id)
    }

    func testExactBindingComesFirstAndRebindingReplaces() {
        let table = ConversationDissectors()
        let open = table.bind(handle(Nothing()), transport: 17, client, 40000, server, nil)
        let exact = table.bind(handle(Nothing()), transport: 17, server, 50000, client, 40000)
        XCTAssertEqual(table.find(transport: 17, src: client, srcPort: 40000, dst: server, dstPort: 50000)?.id, exact)
        XCTAssertEqual(table.find(transport: 17, src: client, srcPort: 40000, dst: server, dstPort: 50001)?.id, open)
        XCTAssertNil(table.findOpen(transport: 17, src: client, srcPort: 40001, dst: server, dstPort: 50000))
        let again = table.bind(handle(Nothing()), transport: 17, client, 40000, server, nil)
        XCTAssertNotEqual(again, open)
        XCTAssertEqual(table.count, 2)
        XCTAssertEqual(table.find(transport: 17, src: server, srcPort: 9, dst: client, dstPort: 40000)?.id, again)
        table.removeAll()
        XCTAssertTrue(table.isEmpty)
        XCTAssertNil(table.find(transport: 17, src: client, srcPort: 40000, dst: server, dstPort: 50000))
    }

    func testBoundedOldestGoFirst() {
        let table = ConversationDissectors(capacity: 3)
        let h = handle(Nothing())
        var ids: [UInt32] = []
        for port in UInt16(1)...5 { ids.append(table.bind(h, transport: 17, client, port, server, nil)) }
        XCTAssertEqual(table.count, 3)
        XCTAssertNil(table.find(transport: 17, src: server, srcPort: 69, dst: client, dstPort: 1))
        XCTAssertNil(table.find(transport: 17, src: server, srcPort: 69, dst: client, dstPort: 2))
        XCTAssertEqual(table.find(transport: 17, src: server, srcPort: 69, dst: client, dstPort: 5)?.id, ids[4])
        // Rebinding the same endpoints again and again keeps the table (and its order list) bounded.
        for _ in 0..<10_000 { table.bind(h, transport: 17, client, 5, server, nil) }
        XCTAssertEqual(table.count, 3)
    }
}
