import DissectKit

/// Every built-in protocol, registered through the public plugin API in this order.
public enum BuiltinPlugins {
    public static let all: [any ProtocolPlugin.Type] = [
        EthernetPlugin.self,
        IPv4Plugin.self,
    ]

    /// Registers every built-in protocol with `engine`.
    public static func register(in engine: Engine) {
        for p in all { engine.register(p) }
    }
}
