import DissectKit

/// Internet Control Message Protocol for IPv4 (RFC 792): echo matching, error messages with
/// the quoted datagram dissected as tshark does, timestamps and address masks.
public enum ICMPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = ICMPDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ip.proto", uiName: "IP protocol").add(1, h)
        r.registerDissector("icmp", h)
        r.onReset { d.echoes.reset() }
    }
}

final class ICMPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var type = FieldID.textOnly
        var code = FieldID.textOnly
        var checksum = FieldID.textOnly
        var checksumStatus = FieldID.textOnly
        var unused = FieldID.textOnly
        var ident = FieldID.textOnly
        var identLE = FieldID.textOnly
        var seq = FieldID.textOnly
        var seqLE = FieldID.textOnly
        var mtu = FieldID.textOnly
        var length = FieldID.textOnly
        var lengthOriginal = FieldID.textOnly
        var pointer = FieldID.textOnly
        var redirectGateway = FieldID.textOnly
        var numAddrs = FieldID.textOnly
        var addrEntrySize = FieldID.textOnly
        var lifetime = FieldID.textOnly
        var routerAddress = FieldID.textOnly
        var prefLevel = FieldID.textOnly
        var originateTimestamp = FieldID.textOnly
        var receiveTimestamp = FieldID.textOnly
        var transmitTimestamp = FieldID.textOnly
        var addressMask = FieldID.textOnly
        var respIn = FieldID.textOnly
        var respTo = FieldID.textOnly
        var respTime = FieldID.textOnly
        var noResp = FieldID.textOnly
        var eiNoResponse = FieldID.textOnly
        var dataTime = FieldID.textOnly
        var dataTimeRelative = FieldID.textOnly
        var eiChecksum = FieldID.textOnly
    }
    var hf = Fields()
    let echoes = TransactionTable<EchoKey>()
    let ip: NamedDissector

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Internet Control Message Protocol", shortName: "ICMP", abbrev: "icmp")
        hf.proto = p
        ICMPFieldCatalog.registerAll(r, p, strings: ["icmp.checksum.status": .values(ChecksumStatus.names),
                                                     "icmp.ext.checksum.status": .values(ChecksumStatus.names)])
        hf.type = r.field("Type", "icmp.type", .uint8, .dec, in: p)
        hf.code = r.field("Code", "icmp.code", .uint8, .dec, in: p)
        hf.checksum = r.field("Checksum", "icmp.checksum", .uint16, .hex, in: p)
        hf.checksumStatus = r.field("Checksum Status", "icmp.checksum.status", .uint8, .none,
                                    strings: .values(ChecksumStatus.names), in: p)
        hf.unused = r.field("Unused", "icmp.unused", .bytes, in: p)
        hf.ident = r.field("Identifier (BE)", "icmp.ident", .uint16, .decHex, in: p)
        hf.identLE = r.field("Identifier (LE)", "icmp.ident_le", .uint16, .decHex, in: p)
        hf.seq = r.field("Sequence Number (BE)", "icmp.seq", .uint16, .decHex, in: p)
        hf.seqLE = r.field("Sequence Number (LE)", "icmp.seq_le", .uint16, .decHex, in: p)
        hf.mtu = r.field("MTU of next hop", "icmp.mtu", .uint16, .dec, in: p)
        hf.length = r.field("Length", "icmp.length", .uint8, .dec, in: p)
        hf.lengthOriginal = r.field("Length of original datagram", "icmp.length.original_datagram", .uint8, .dec,
                                    in: p)
        hf.pointer = r.field("Pointer", "icmp.pointer", .uint32, .dec, in: p)
        hf.redirectGateway = r.field("Gateway Address", "icmp.redir_gw", .ipv4, in: p)
        hf.numAddrs = r.field("Number of addresses", "icmp.num_addrs", .uint8, .dec, in: p)
        hf.addrEntrySize = r.field("Address entry size", "icmp.addr_entry_size", .uint8, .dec, in: p)
        hf.lifetime = r.field("Lifetime", "icmp.lifetime", .uint16, .dec, in: p)
        hf.routerAddress = r.field("Router address", "icmp.router_address", .ipv4, in: p)
        hf.prefLevel = r.field("Preference level", "icmp.pref_level", .int32, .dec, in: p)
        hf.originateTimestamp = r.field("Originate Timestamp", "icmp.originate_timestamp", .uint32, .dec, in: p)
        hf.receiveTimestamp = r.field("Receive Timestamp", "icmp.receive_timestamp", .uint32, .dec, in: p)
        hf.transmitTimestamp = r.field("Transmit Timestamp", "icmp.transmit_timestamp", .uint32, .dec, in: p)
        hf.addressMask = r.field("Address Mask", "icmp.address_mask", .ipv4, in: p)
        hf.respIn = r.field("Response frame", "icmp.resp_in", .framenum,
                            blurb: "The frame number of the corresponding response", in: p)
        hf.respTo = r.field("Request frame", "icmp.resp_to", .framenum,
                            blurb: "The frame number of the corresponding request", in: p)
        hf.respTime = r.field("Response time", "icmp.resptime", .double,
                              blurb: "The time between the request and the response, in ms.", in: p)
        hf.dataTime = r.field("Timestamp from icmp data", "icmp.data_time", .absoluteTime, .local,
                              blurb: "The timestamp in the first 8 bytes of the icmp data", in: p)
        hf.dataTimeRelative = r.field("Timestamp from icmp data (relative)", "icmp.data_time_relative",
                                      .relativeTime,
                                      blurb: "The timestamp of the packet, relative to the timestamp in the first 8 bytes of the icmp data",
                                      in: p)
        hf.eiChecksum = r.expert("icmp.checksum_bad", "Bad checksum", .warning, .checksum, in: p)
        hf.noResp = r.field("No response seen", "icmp.no_resp", .none,
                            blurb: "No corresponding response frame was seen", in: p)
        hf.eiNoResponse = r.expert("icmp.resp_not_found", "No response seen to ICMP request", .warning, .sequence, in: p)
        ip = r.dissector(named: "ip")
        _ = r.preference("icmp", "favor_icmp_mpls",
                         title: "Whether the 128th and following bytes of the ICMP payload should be decoded as MPLS extensions or as a portion of the original packet", .bool, default: "FALSE")
    }
}
