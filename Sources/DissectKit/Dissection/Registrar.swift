/// The registration API every protocol uses, built-in or plugin: protocols, fields, expert
/// infos, preferences and dissector-table hand-offs. Built-in protocols in `Sources/Plugins`
/// use nothing else of the engine.
public final class Registrar {
    public unowned let engine: Engine

    init(engine: Engine) { self.engine = engine }

    /// Registers a protocol ("Transmission Control Protocol", "TCP", "tcp").
    public func registerProtocol(name: String, shortName: String, abbrev: String) -> FieldID {
        engine.registry.add(name: name, abbrev: abbrev, type: .protocolItem, base: .none, strings: nil, bitmask: 0,
                            bitWidth: 0, blurb: "", protocolID: nil, shortName: shortName)
    }

    /// Registers a field of `proto` (tshark's `hf_register_info` entry).
    public func field(_ name: String, _ abbrev: String, _ type: FieldType, _ base: FieldBase = .none,
                      strings: ValueStrings? = nil, bitmask: UInt64 = 0, bitWidth: Int? = nil,
                      blurb: String = "", in proto: FieldID) -> FieldID {
        engine.registry.add(name: name, abbrev: abbrev, type: type, base: base, strings: strings, bitmask: bitmask,
                            bitWidth: bitWidth ?? type.bitWidth, blurb: blurb, protocolID: proto, shortName: "")
    }

    /// Registers an expert info ("tcp.analysis.retransmission").
    public func expert(_ abbrev: String, _ summary: String, _ severity: ExpertSeverity, _ group: ExpertGroup,
                       in proto: FieldID) -> FieldID {
        engine.registry.addExpert(abbrev: abbrev, summary: summary, severity: severity, group: group, protocolID: proto)
    }

    /// The dissector table called `name`, created on first use (so hand-off order never matters).
    public func table(_ name: String, uiName: String = "") -> DissectorTable {
        engine.table(name, uiName: uiName)
    }

    /// Registers a preference (`-o module.name:value`).
    public func preference(_ module: String, _ name: String, title: String, _ kind: Preference.Kind,
                           default value: String) -> Preference {
        engine.preferences.register(Preference(module: module, name: name, title: title, kind: kind, defaultText: value))
    }

    /// Makes `dissector` the handler of a capture link type (pcap `LINKTYPE_*`).
    public func registerLinkType(_ linkType: Int, _ handle: DissectorHandle) {
        engine.linkTypes.add(UInt32(linkType), handle)
    }

    /// The `data` dissector, for payloads nobody claims.
    public var dataHandle: DissectorHandle { engine.dataHandle }

    /// A handle for `dissector` speaking for `proto`.
    public func handle(_ proto: FieldID, _ dissector: any Dissector) -> DissectorHandle {
        DissectorHandle(protocolID: proto, dissector: dissector)
    }

    /// Registers `handle` under a name other protocols can call it by ("imf", "tls", "data-text-lines"):
    /// tshark's `register_dissector` / `find_dissector`.
    public func registerDissector(_ name: String, _ handle: DissectorHandle) {
        engine.namedDissectors[name] = handle
    }

    /// A reference to a named dissector, resolved when first used (registration order never matters).
    public func dissector(named name: String) -> NamedDissector { NamedDissector(name: name, engine: engine) }

    /// Registers a Session hook called after each packet (stream indexes, statistics taps).
    public func onReset(_ body: @escaping () -> Void) { engine.resetHooks.append(body) }
}

/// A protocol package: registration and hand-off in one place (tshark's
/// `proto_register_X` + `proto_reg_handoff_X`).
public protocol ProtocolPlugin {
    static func register(_ r: Registrar)
}

/// A named dissector looked up lazily (`Registrar.dissector(named:)`).
public final class NamedDissector {
    public let name: String
    unowned let engine: Engine
    private var resolved: DissectorHandle?

    init(name: String, engine: Engine) {
        self.name = name
        self.engine = engine
    }

    /// The handle, or nil when no plugin registered that name.
    public var handle: DissectorHandle? {
        if let r = resolved { return r }
        resolved = engine.namedDissectors[name]
        return resolved
    }
}
