import DissectKit

/// Which MAC address each IPv4 address was last seen with in ARP, for tshark's duplicate
/// address warning (`arp.detect_duplicate_ips`, on by default). Bounded: once full, new
/// addresses are no longer learnt (old bindings keep their warnings).
final class ARPAddressTable {
    struct Binding {
        var mac: UInt64
        var frame: UInt32
        var time: Timestamp
    }
    private(set) var bindings: [UInt32: Binding] = [:]
    let capacity: Int

    init(capacity: Int = 1 << 16) { self.capacity = capacity }

    func reset() { bindings.removeAll() }

    /// Records `ip` at `mac`; returns the earlier binding when another MAC already claimed it
    /// (that binding is kept, as tshark does).
    func note(ip: UInt32, mac: UInt64, frame: UInt32, time: Timestamp) -> Binding? {
        if var b = bindings[ip] {
            if b.mac != mac { return b.frame == frame ? nil : b }
            b.frame = frame
            b.time = time
            bindings[ip] = b
            return nil
        }
        if bindings.count < capacity { bindings[ip] = Binding(mac: mac, frame: frame, time: time) }
        return nil
    }
}

extension ARPDissector {
    /// Checks the sender binding (and the target one of a reply) against earlier ARP frames and
    /// adds tshark's "[Duplicate IP address detected …]" subtree at the top level;
    /// returns the IP address found in use elsewhere.
    func checkDuplicates(_ packet: inout PacketContext, _ data: ByteView, sha: Int, spa: Int, tha: Int, tpa: Int,
                         reply: Bool, parent: TreeNode) throws(Malformed) -> UInt32? {
        // Only unicast, non-zero MACs and non-zero IPs say "this address is mine".
        func usable(_ mac: UInt64, _ ip: UInt32) -> Bool { mac & 0x0100_0000_0000 == 0 && mac != 0 && ip != 0 }
        let smac = try data.u48(sha), sip = try data.u32(spa)
        if usable(smac, sip), check(&packet, mac: smac, ip: sip, parent: parent) { return sip }
        if reply {
            let tmac = try data.u48(tha), tip = try data.u32(tpa)
            if usable(tmac, tip), check(&packet, mac: tmac, ip: tip, parent: parent) { return tip }
        }
        return nil
    }

    private func check(_ packet: inout PacketContext, mac: UInt64, ip: UInt32, parent: TreeNode) -> Bool {
        guard let earlier = addresses.note(ip: ip, mac: mac, frame: packet.frame.number,
                                           time: packet.frame.timestamp) else { return false }
        let ipText = ARPDissector.ipv4String(ip)
        let node = packet.addText("Duplicate IP address detected for \(ipText) (\(ARPDissector.macString(mac))) - also in use by \(ARPDissector.macString(earlier.mac)) (frame \(earlier.frame))",
                                  .empty, 0, 0, parent: parent, generated: true)
        let f = packet.addGenerated(hf.duplicateFrame, .uint(UInt64(earlier.frame)), parent: node)
        packet.addExpert(hf.eiDuplicate, parent: f, message: "Duplicate IP address configured (\(ipText))")
        let seconds = (packet.frame.timestamp - earlier.time).seconds
        packet.addGenerated(hf.duplicateSeconds, .uint(UInt64(truncatingIfNeeded: seconds)), parent: node)
        return true
    }

    static func ipv4String(_ a: UInt32) -> String {
        "\(a >> 24).\((a >> 16) & 0xff).\((a >> 8) & 0xff).\(a & 0xff)"
    }

    static func macString(_ m: UInt64) -> String {
        (0..<6).map { i in
            let b = (m >> UInt64((5 - i) * 8)) & 0xff
            return (b < 16 ? "0" : "") + String(b, radix: 16)
        }.joined(separator: ":")
    }
}
