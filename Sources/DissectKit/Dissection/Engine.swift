/// The dissection engine: registry, tables, preferences and the per-run session state.
///
/// Create it, register plugins (`engine.register(TCPPlugin.self)`), apply `-o` preferences,
/// then `engine.makeContext(interest:)` and `engine.dissect(&ctx, frame:)` for every frame.
public final class Engine: @unchecked Sendable {
    public let registry = FieldRegistry()
    public let preferences = Preferences()
    public private(set) var tables: [String: DissectorTable] = [:]
    /// Link-layer dispatch, keyed by pcap `LINKTYPE_*`.
    public private(set) var linkTypes: DissectorTable
    var resetHooks: [() -> Void] = []
    /// Forward references of `-2`'s first pass (`TwoPass.swift`).
    public let annotations = FrameAnnotations()
    /// Dissectors registered by name (`Registrar.registerDissector`).
    public internal(set) var namedDissectors: [String: DissectorHandle] = [:]
    /// Dissectors bound to conversations at run time (TFTP's transfer ports…), consulted by UDP
    /// before its port table; emptied by the reset hooks.
    public let conversationDissectors = ConversationDissectors()

    /// Core protocols the engine itself owns.
    public private(set) var frameProto = FieldID.textOnly
    public private(set) var dataHandle: DissectorHandle!
    @usableFromInline let core: CoreFields
    public var expertMessageField: FieldID { core.expertMessage }

    /// Per-run counters of expert infos (for `-z expert`), by expert field id.
    public private(set) var expertCounts: [Int32: Int] = [:]
    public var countExperts = false

    /// Information about the capture's interfaces, set by the reader.
    public var interfaces: [InterfaceInfo] = []
    /// True when interfaces come from pcapng IDBs (tshark then shows "Interface id" lines).
    public var interfacesFromPcapng = false

    /// MAC names for tree labels that embed them ("Ethernet II, Src: Cisco_12:34:56 (…)"), tshark's
    /// global `get_ether_name`. Printers should use this same object so `-n`/`-N` apply everywhere;
    /// the default reads the system `manuf`/`wka` on first use.
    public var nameResolver = NameResolver()

    let frameDissector: FrameDissector

    public init() {
        linkTypes = DissectorTable(name: "wtap_encap", uiName: "Link type")
        core = CoreFields()
        frameDissector = FrameDissector()
        let r = Registrar(engine: self)
        core.register(r)
        frameProto = frameDissector.register(r, core: core)
        dataHandle = DataDissector.register(r)
        tables["wtap_encap"] = linkTypes
        let bindings = conversationDissectors
        resetHooks.append { bindings.removeAll() }
    }

    /// Registers a protocol plugin.
    public func register(_ plugin: any ProtocolPlugin.Type) {
        plugin.register(Registrar(engine: self))
    }

    /// A registrar for code that registers by hand (tests, run-time plugins).
    public func registrar() -> Registrar { Registrar(engine: self) }

    public func table(_ name: String, uiName: String = "") -> DissectorTable {
        if let t = tables[name] {
            if !uiName.isEmpty { t.uiName = uiName }
            return t
        }
        let t = DissectorTable(name: name, uiName: uiName)
        tables[name] = t
        return t
    }

    /// A reusable context for a run that needs `interest`.
    public func makeContext(interest: Interest) -> PacketContext {
        var i = interest
        if i.wanted.count < registry.count { i.wanted += Array(repeating: false, count: registry.count - i.wanted.count) }
        return PacketContext(engine: self, interest: i)
    }

    /// Dissects one frame into `ctx` (which is reset first).
    public func dissect(_ ctx: inout PacketContext, frame: FrameMetadata, bytes: UnsafeRawBufferPointer,
                        displayed: Bool = true) {
        ctx.reset()
        ctx.frame = frame
        ctx.sources.frame = bytes
        frameDissector.dissect(&ctx, bytes: bytes)
    }

    // MARK: connection ends

    private var transportCloseListeners: [(FlowKey, Int64) -> Void] = []

    /// Registers `body` to hear when a transport connection ended (see `transportClosed`).
    public func onTransportClosed(_ body: @escaping (FlowKey, Int64) -> Void) {
        transportCloseListeners.append(body)
    }

    /// Called by a transport (TCP) when a connection ended — a RST, or FIN in both directions —
    /// with the connection's key (`FlowLookup(..., proto: 6).key`) and the capture time in
    /// nanoseconds. Application-level conversation tables that follow the transport
    /// (`ConversationTable.followTransport`) mark their entry closed, so per-session state is
    /// released with the connection's and memory follows the open connections, not the packets.
    public func transportClosed(_ key: FlowKey, now: Int64) {
        for l in transportCloseListeners { l(key, now) }
    }

    /// Tells the frame dissector the previous frame was (not) displayed, for
    /// `frame.time_delta_displayed`.
    public func frameDisplayed(_ ctx: PacketContext) { frameDissector.markDisplayed(ctx.frame) }

    func noteExpert(_ id: FieldID, packet: UInt32) {
        if countExperts { expertCounts[id.raw, default: 0] += 1 }
    }

    func markMalformed(_ ctx: inout PacketContext, proto: FieldID, data: ByteView, containedLength: Bool = false) {
        let name = registry[proto].shortName
        let short = ctx.frame.capturedLength < ctx.frame.originalLength
        if short {
            ctx.layers.push(core.short)
            let node = ctx.add(core.short, data, 0, 0, .none, parent: .root)
            if !node.isNone { ctx.setLabel(node, "[Packet size limited during capture: \(name) truncated]") }
            // tshark appends with no separator: "Len=496[Packet size limited during capture]".
            ctx.info.append("[Packet size limited during capture]")
        } else {
            ctx.layers.push(core.malformed)
            let node = ctx.add(core.malformed, data, 0, 0, .none, parent: .root)
            // tshark's ContainedBoundsError names the cause in the item and in Info.
            let cause = containedLength ? ": length of contained item exceeds length of containing item" : ""
            if !node.isNone {
                ctx.setLabel(node, "[Malformed Packet: \(name)\(cause)]")
                ctx.addExpert(core.malformedExpert, parent: node, message: "Malformed Packet (Exception occurred)")
            } else {
                ctx.addExpert(core.malformedExpert, parent: .root)
            }
            ctx.info.append(containedLength ? "[Malformed Packet: length of contained item exceeds length of containing item]"
                                            : "[Malformed Packet]")
        }
    }
}

/// Description of one capture interface (pcapng IDB, or the pcap header).
public struct InterfaceInfo: Sendable {
    public var linkType: Int
    public var name: String?
    public var description: String?
    public var snapLength: Int
    /// Number of FCS bytes at the end of each frame (pcapng `if_fcslen`), if known.
    public var fcsLength: Int?
    public var section: Int
    /// Digits after the decimal point of this interface's timestamps (6 = µs, 9 = ns).
    public var timeDigits: Int = 6
    /// pcapng `if_hardware`; tshark names an interface by `if_name`, else `if_description`,
    /// else `if_hardware`, else "unknown".
    public var hardware: String?
    /// pcapng `opt_comment`s of the IDB.
    public var comments: [String] = []
    /// Every option of the pcapng IDB in file order, values in its section's byte order (so `-w`
    /// writes the interface back as it was).
    public var pcapngOptions: [PcapngOption] = []
    public init(linkType: Int, name: String? = nil, description: String? = nil, snapLength: Int = 0,
                fcsLength: Int? = nil, section: Int = 0) {
        self.linkType = linkType
        self.name = name
        self.description = description
        self.snapLength = snapLength
        self.fcsLength = fcsLength
        self.section = section
    }
}

/// Fields the engine itself owns (`_ws.malformed`, `_ws.expert`…).
@usableFromInline final class CoreFields {
    var malformed = FieldID.textOnly
    var malformedExpert = FieldID.textOnly
    var short = FieldID.textOnly
    var expert = FieldID.textOnly
    var expertMessage = FieldID.textOnly
    var expertSeverity = FieldID.textOnly
    var expertGroup = FieldID.textOnly

    func register(_ r: Registrar) {
        malformed = r.registerProtocol(name: "Malformed Packet", shortName: "Malformed", abbrev: "_ws.malformed")
        malformedExpert = r.expert("_ws.malformed.expert", "Malformed Packet (Exception occurred)", .error, .malformed,
                                   in: malformed)
        short = r.registerProtocol(name: "Short Frame", shortName: "Short frame", abbrev: "_ws.short")
        expert = r.registerProtocol(name: "Expert Info", shortName: "Expert", abbrev: "_ws.expert")
        // As tshark registers them (BASE_NONE: `-T json` shows the PI_* numbers in decimal).
        expertMessage = r.field("Message", "_ws.expert.message", .string, blurb: "Wireshark expert information",
                                in: expert)
        expertGroup = r.field("Group", "_ws.expert.group", .uint32, .none, blurb: "Wireshark expert group",
                              in: expert)
        expertSeverity = r.field("Severity level", "_ws.expert.severity", .uint32, .none,
                                 blurb: "Wireshark expert severity level", in: expert)
    }
}
