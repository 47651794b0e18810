/// `-z credentials`: the logins seen in the capture, in tshark 4.0's layout (ui/cli/tap-credentials.c).
///
/// Read from the mail protocols' public fields, so it works with whatever those dissectors
/// decode: SMTP `smtp.auth.username` / `smtp.auth.password` (AUTH LOGIN: the row is the password's
/// packet, "Username in packet N"; AUTH PLAIN decoded with `smtp.decryption`: one packet holds
/// both) and `smtp.auth.username_password` (AUTH PLAIN not decoded), IMAP `imap.request.username`.
///
/// tshark 4.0 lists an AUTH PLAIN login only when `smtp.decryption` is on; we list it always,
/// with the user name decoded from the PLAIN credentials (`[authzid] NUL authcid NUL passwd`,
/// RFC 4616) — see DIVERGENCES.md, "credentials-auth-plain".
public final class Credentials {
    struct Row {
        var frame: UInt32
        var proto: String
        var username: String
        var info: String
    }

    let formatter: FieldFormatter
    let smtpUser: FieldID, smtpPass: FieldID, smtpPlain: FieldID, imapUser: FieldID, tcpStream: FieldID
    private var rows: [Row] = []
    /// AUTH LOGIN user names waiting for their password, by TCP stream: (name, frame).
    private var pendingUser: [UInt64: (String, UInt32)] = [:]

    public init(registry: FieldRegistry) {
        formatter = FieldFormatter(registry: registry, resolver: NameResolver())
        func id(_ s: String) -> FieldID { registry.lookup(s) ?? .textOnly }
        smtpUser = id("smtp.auth.username"); smtpPass = id("smtp.auth.password")
        smtpPlain = id("smtp.auth.username_password"); imapUser = id("imap.request.username")
        tcpStream = id("tcp.stream")
    }

    public var wantedFields: [FieldID] {
        [smtpUser, smtpPass, smtpPlain, imapUser, tcpStream].filter { $0 != .textOnly }
    }

    public func add(_ ctx: PacketContext) {
        var stream: UInt64 = 0
        var user: String?, pass = false, plain: String?
        for r in ctx.tree.records {
            switch r.field {
            case .textOnly: continue
            case tcpStream: stream = r.value.uintValue ?? 0
            case smtpUser: user = formatter.fieldValue(r, ctx)
            case smtpPass: pass = true
            case smtpPlain: plain = formatter.fieldValue(r, ctx)
            case imapUser:
                rows.append(Row(frame: ctx.frame.number, proto: "IMAP", username: formatter.fieldValue(r, ctx), info: ""))
            default: continue
            }
        }
        let frame = ctx.frame.number
        if let u = user, pass {
            rows.append(Row(frame: frame, proto: "SMTP", username: u, info: ""))
        } else if let u = user {
            pendingUser[stream] = (u, frame)
        } else if pass, let (u, f) = pendingUser.removeValue(forKey: stream) {
            rows.append(Row(frame: frame, proto: "SMTP", username: u, info: "Username in packet \(f)"))
        } else if let p = plain, let u = Self.plainUser(p) {
            rows.append(Row(frame: frame, proto: "SMTP", username: u, info: ""))
        }
    }

    /// The authentication identity of base64 SASL PLAIN credentials.
    static func plainUser(_ b64: String) -> String? {
        guard let bytes = Base64.decode(b64.utf8) else { return nil }
        let parts = bytes.split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return String(decoding: parts[1], as: UTF8.self)
    }

    static func pad(_ s: String, _ w: Int) -> String {
        let n = s.unicodeScalars.count
        return n >= w ? s : s + String(repeating: " ", count: w - n)
    }

    public func render(columns _: Columns) -> String {
        let line = "===================================================================\n"
        var s = line
        s += Self.pad("Packet", 10) + " " + Self.pad("Protocol", 16) + " " + Self.pad("Username", 16) + " "
            + Self.pad("Info", 16) + "\n"
        s += Self.pad("------", 10) + " " + Self.pad("--------", 16) + " " + Self.pad("--------", 16) + " --------\n"
        for r in rows {
            s += Self.pad(String(r.frame), 10) + " " + Self.pad(r.proto, 16) + " " + Self.pad(r.username, 16) + " "
                + Self.pad(r.info, 16) + "\n"
        }
        s += line
        return s
    }
}

extension Credentials: StatisticTap {}
