import DissectKit

/// Every built-in protocol, registered through the public plugin API in this order.
public enum BuiltinPlugins {
    public static let all: [any ProtocolPlugin.Type] = [
        EthernetPlugin.self,
        VLANPlugin.self,
        SLLPlugin.self,
        NullPlugin.self,
        RawPlugin.self,
        LLCPlugin.self,
        FDDIPlugin.self,
        TokenRingPlugin.self,
        PPPPlugin.self,
        PPPoEPlugin.self,
        FrameRelayPlugin.self,
        ARPPlugin.self,
        IPXPlugin.self,
        IPv4Plugin.self,
        IPv6Plugin.self,
        ICMPPlugin.self,
        IGMPPlugin.self,
        SCTPPlugin.self,
        RSVPPlugin.self,
        ICMPv6Plugin.self,
        UDPPlugin.self,
        DHCPPlugin.self,
        DNSPlugin.self,
        NBNSPlugin.self,
        NBDGMPlugin.self,
        SMBPlugin.self,
        BrowserPlugin.self,
        TFTPPlugin.self,
        NTPPlugin.self,
        GREPlugin.self,
        TCPPlugin.self,
        PPTPPlugin.self,
        YMSGPlugin.self,
        SMTPPlugin.self,
        IMAPPlugin.self,
        IMFPlugin.self,
        MIMEPlugin.self,
        GIFPlugin.self,
        JFIFPlugin.self,
        PNGPlugin.self,
        HTTPPlugin.self,
        POP3Plugin.self,
        TLSPlugin.self,
        SIPPlugin.self,
        SDPPlugin.self,
        RTPPlugin.self,
        RPCPlugin.self,
        NFSPlugin.self,
    ]

    /// Registers every built-in protocol with `engine`.
    public static func register(in engine: Engine) {
        for p in all { engine.register(p) }
    }
}
