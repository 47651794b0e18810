import DissectKit

/// Transport Layer Security (RFC 8446, 5246, 4346, 2246; SSL 3.0 RFC 6101; the SSL 2.0
/// ClientHello of RFC 5246 appendix E.2) as tshark 4.0 shows it without keys: the record layer,
/// the handshake messages in clear, and encrypted records as opaque data.
///
/// Reaches the bytes on tshark's TLS ports of `tcp.port`, through the `tcp` heuristic list
/// (tshark's `dissect_ssl_heur`, which then keeps the whole conversation), and as the named
/// dissector "tls" that SMTP/IMAP/POP3 call after STARTTLS/STLS.
public enum TLSPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = TLSDissector(r)
        let handle = r.handle(d.hf.proto, d)
        let ports = r.table("tcp.port", uiName: "TCP port")
        for port in TLSDissector.tcpPorts { ports.add(UInt32(port), handle) }
        r.registerDissector("tls", handle)
        r.table("tcp", uiName: "TCP heuristic sub-dissectors")
            .addHeuristic("tls_tcp", r.handle(d.hf.proto, TLSHeuristic(d)))
        r.onReset { d.reset() }
    }
}

/// The fields of TLS, abbreviations, types and bases as tshark 4.0's `-G fields`.
struct TLSFields {
    var proto = FieldID.textOnly
    var record = FieldID.textOnly
    var contentType = FieldID.textOnly
    var opaqueType = FieldID.textOnly
    var recordVersion = FieldID.textOnly
    var recordLength = FieldID.textOnly
    var appData = FieldID.textOnly
    var appDataProto = FieldID.textOnly
    var changeCipherSpec = FieldID.textOnly
    var alertMessage = FieldID.textOnly
    var alertLevel = FieldID.textOnly
    var alertDescription = FieldID.textOnly
    var handshake = FieldID.textOnly
    var handshakeType = FieldID.textOnly
    var handshakeLength = FieldID.textOnly
    var version = FieldID.textOnly
    var random = FieldID.textOnly
    var randomTime = FieldID.textOnly
    var randomBytes = FieldID.textOnly
    var sessionIDLength = FieldID.textOnly
    var sessionID = FieldID.textOnly
    var cipherSuitesLength = FieldID.textOnly
    var cipherSuites = FieldID.textOnly
    var cipherSuite = FieldID.textOnly
    var compMethodsLength = FieldID.textOnly
    var compMethods = FieldID.textOnly
    var compMethod = FieldID.textOnly
    var extensionsLength = FieldID.textOnly
    var extensionType = FieldID.textOnly
    var extensionLength = FieldID.textOnly
    var extensionData = FieldID.textOnly
    var serverNameListLength = FieldID.textOnly
    var serverNameType = FieldID.textOnly
    var serverNameLength = FieldID.textOnly
    var serverName = FieldID.textOnly
    var supportedGroupsLength = FieldID.textOnly
    var supportedGroups = FieldID.textOnly
    var supportedGroup = FieldID.textOnly
    var ecPointFormatsLength = FieldID.textOnly
    var ecPointFormats = FieldID.textOnly
    var ecPointFormat = FieldID.textOnly
    var sigHashAlgLength = FieldID.textOnly
    var sigHashAlgs = FieldID.textOnly
    var sigHashAlg = FieldID.textOnly
    var sigHashHash = FieldID.textOnly
    var sigHashSig = FieldID.textOnly
    var alpnLength = FieldID.textOnly
    var alpnList = FieldID.textOnly
    var alpnStringLength = FieldID.textOnly
    var alpnString = FieldID.textOnly
    var renegInfoLength = FieldID.textOnly
    var renegInfo = FieldID.textOnly
    var keyShareClientLength = FieldID.textOnly
    var keyShareGroup = FieldID.textOnly
    var keyShareExchangeLength = FieldID.textOnly
    var keyShareExchange = FieldID.textOnly
    var keyShareSelectedGroup = FieldID.textOnly
    var pskIdentitiesLength = FieldID.textOnly
    var pskIdentityLength = FieldID.textOnly
    var pskIdentity = FieldID.textOnly
    var pskTicketAge = FieldID.textOnly
    var pskBindersLength = FieldID.textOnly
    var pskBinders = FieldID.textOnly
    var pskBinderLength = FieldID.textOnly
    var pskBinder = FieldID.textOnly
    var pskSelected = FieldID.textOnly
    var supportedVersionsLength = FieldID.textOnly
    var supportedVersion = FieldID.textOnly
    var cookieLength = FieldID.textOnly
    var cookie = FieldID.textOnly
    var pskKEModesLength = FieldID.textOnly
    var pskKEMode = FieldID.textOnly
    var paddingData = FieldID.textOnly
    var statusRequestType = FieldID.textOnly
    var statusRequestResponderIDsLength = FieldID.textOnly
    var statusRequestExtsLength = FieldID.textOnly
    var recordSizeLimit = FieldID.textOnly
    var maxFragmentLength = FieldID.textOnly
    var maxEarlyDataSize = FieldID.textOnly
    var sessionTicketLifetime = FieldID.textOnly
    var sessionTicketAgeAdd = FieldID.textOnly
    var sessionTicketNonceLength = FieldID.textOnly
    var sessionTicketNonce = FieldID.textOnly
    var sessionTicketLength = FieldID.textOnly
    var sessionTicket = FieldID.textOnly
    var sctListLength = FieldID.textOnly
    var sctLength = FieldID.textOnly
    var sctVersion = FieldID.textOnly
    var sctLogID = FieldID.textOnly
    var sctTimestamp = FieldID.textOnly
    var sctExtensionsLength = FieldID.textOnly
    var sctSignatureLength = FieldID.textOnly
    var sctSignature = FieldID.textOnly
    var certificatesLength = FieldID.textOnly
    var certificates = FieldID.textOnly
    var certificateLength = FieldID.textOnly
    var certificate = FieldID.textOnly
    var certRequestContextLength = FieldID.textOnly
    var certRequestContext = FieldID.textOnly
    var certTypesCount = FieldID.textOnly
    var certTypes = FieldID.textOnly
    var certType = FieldID.textOnly
    var dnamesLength = FieldID.textOnly
    var dnames = FieldID.textOnly
    var dnameLength = FieldID.textOnly
    var dname = FieldID.textOnly
    var serverCurveType = FieldID.textOnly
    var serverNamedCurve = FieldID.textOnly
    var serverPointLength = FieldID.textOnly
    var serverPoint = FieldID.textOnly
    var clientPointLength = FieldID.textOnly
    var clientPoint = FieldID.textOnly
    var pLength = FieldID.textOnly
    var p = FieldID.textOnly
    var gLength = FieldID.textOnly
    var g = FieldID.textOnly
    var ysLength = FieldID.textOnly
    var ys = FieldID.textOnly
    var ycLength = FieldID.textOnly
    var yc = FieldID.textOnly
    var sigLength = FieldID.textOnly
    var sig = FieldID.textOnly
    var epmsLength = FieldID.textOnly
    var epms = FieldID.textOnly
    var verifyData = FieldID.textOnly
    var certVerifySigLength = FieldID.textOnly
    var certVerifySig = FieldID.textOnly
    var certStatusType = FieldID.textOnly
    var ocspResponseLength = FieldID.textOnly
    var keyUpdateRequest = FieldID.textOnly
    var ja3Full = FieldID.textOnly
    var ja3 = FieldID.textOnly
    var ja3sFull = FieldID.textOnly
    var ja3s = FieldID.textOnly
    var hsFragments = FieldID.textOnly
    var hsFragment = FieldID.textOnly
    var hsFragmentCount = FieldID.textOnly
    var hsReassembledIn = FieldID.textOnly
    // SSL 2.0
    var v2MsgType = FieldID.textOnly
    var v2CipherSpecLength = FieldID.textOnly
    var v2SessionIDLength = FieldID.textOnly
    var v2ChallengeLength = FieldID.textOnly
    var v2CipherSpecs = FieldID.textOnly
    var v2CipherSpec = FieldID.textOnly
    var v2Challenge = FieldID.textOnly
    var v2SessionIDHit = FieldID.textOnly
    var v2CertType = FieldID.textOnly
    var v2ConnectionIDLength = FieldID.textOnly
    var v2ConnectionID = FieldID.textOnly
    var v2ClearKeyLength = FieldID.textOnly
    var v2EncryptedKeyLength = FieldID.textOnly
    var v2KeyArgLength = FieldID.textOnly
    var v2ClearKey = FieldID.textOnly
    var v2EncryptedKey = FieldID.textOnly
    var v2KeyArg = FieldID.textOnly
    var v2RecordLength = FieldID.textOnly
    var v2Padding = FieldID.textOnly
    // Expert infos.
    var eiIgnoredUnknownRecord = FieldID.textOnly
    var eiRecordLengthInvalid = FieldID.textOnly
    var eiMalformedVectorLength = FieldID.textOnly
    var eiBufferTooSmall = FieldID.textOnly
    var eiTrailingData = FieldID.textOnly
    var eiSessionIDLength = FieldID.textOnly
    var eiUnexpectedMessage = FieldID.textOnly
    var eiResumed = FieldID.textOnly
    var eiStatusRequestUndecoded = FieldID.textOnly
}

extension TLSDissector {
    /// tshark 4.0's `tcp.port` entries of TLS (`-G decodes`).
    static let tcpPorts: [UInt16] = [324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251,
                                     3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017]

    func registerFields(_ r: Registrar) {
        let p = r.registerProtocol(name: "Transport Layer Security", shortName: "TLS", abbrev: "tls")
        hf.proto = p
        func f(_ name: String, _ abbrev: String, _ type: FieldType, _ base: FieldBase = .none,
               _ strings: [UInt64: String]? = nil, blurb: String = "") -> FieldID {
            r.field(name, abbrev, type, base, strings: strings.map { .values($0) }, blurb: blurb, in: p)
        }
        hf.record = f("Record Layer", "tls.record", .none)
        hf.contentType = f("Content Type", "tls.record.content_type", .uint8, .dec, TLSNames.contentTypes)
        hf.opaqueType = f("Opaque Type", "tls.record.opaque_type", .uint8, .dec, TLSNames.contentTypes,
                          blurb: "Always set to value 23, actual content type is known after decryption")
        hf.recordVersion = f("Version", "tls.record.version", .uint16, .hex, TLSNames.versions,
                             blurb: "Record layer version")
        hf.recordLength = f("Length", "tls.record.length", .uint16, .dec, blurb: "Length of TLS record data")
        hf.appData = f("Encrypted Application Data", "tls.app_data", .bytes,
                       blurb: "Payload is encrypted application data")
        hf.appDataProto = f("Application Data Protocol", "tls.app_data_proto", .string)
        hf.changeCipherSpec = f("Change Cipher Spec Message", "tls.change_cipher_spec", .none,
                                blurb: "Signals a change in cipher specifications")
        hf.alertMessage = f("Alert Message", "tls.alert_message", .none)
        hf.alertLevel = f("Level", "tls.alert_message.level", .uint8, .dec, TLSNames.alertLevels,
                          blurb: "Alert message level")
        hf.alertDescription = f("Description", "tls.alert_message.desc", .uint8, .dec, TLSNames.alertDescriptions,
                                blurb: "Alert message description")
        hf.handshake = f("Handshake Protocol", "tls.handshake", .none, blurb: "Handshake protocol message")
        hf.handshakeType = f("Handshake Type", "tls.handshake.type", .uint8, .dec, TLSNames.handshakeTypes,
                             blurb: "Type of handshake message")
        hf.handshakeLength = f("Length", "tls.handshake.length", .uint24, .dec, blurb: "Length of handshake message")
        hf.version = f("Version", "tls.handshake.version", .uint16, .hex, TLSNames.versions,
                       blurb: "Maximum version supported by client")
        hf.random = f("Random", "tls.handshake.random", .bytes, blurb: "Random values used for deriving keys")
        hf.randomTime = f("GMT Unix Time", "tls.handshake.random_time", .absoluteTime, .local,
                          blurb: "Unix time field of random structure")
        hf.randomBytes = f("Random Bytes", "tls.handshake.random_bytes", .bytes,
                           blurb: "Random values used for deriving keys")
        hf.sessionIDLength = f("Session ID Length", "tls.handshake.session_id_length", .uint8, .dec,
                               blurb: "Length of session ID field")
        hf.sessionID = f("Session ID", "tls.handshake.session_id", .bytes,
                         blurb: "Identifies the SSL session, allowing later resumption")
        hf.cipherSuitesLength = f("Cipher Suites Length", "tls.handshake.cipher_suites_length", .uint16, .dec,
                                  blurb: "Length of cipher suites field")
        hf.cipherSuites = f("Cipher Suites", "tls.handshake.ciphersuites", .none,
                            blurb: "List of cipher suites supported by client")
        hf.cipherSuite = f("Cipher Suite", "tls.handshake.ciphersuite", .uint16, .hex, TLSNames.cipherSuites)
        hf.compMethodsLength = f("Compression Methods Length", "tls.handshake.comp_methods_length", .uint8, .dec,
                                 blurb: "Length of compression methods field")
        hf.compMethods = f("Compression Methods", "tls.handshake.comp_methods", .none,
                           blurb: "List of compression methods supported by client")
        hf.compMethod = f("Compression Method", "tls.handshake.comp_method", .uint8, .dec, TLSNames.compressionMethods)
        hf.extensionsLength = f("Extensions Length", "tls.handshake.extensions_length", .uint16, .dec,
                                blurb: "Length of hello extensions")
        hf.extensionType = f("Type", "tls.handshake.extension.type", .uint16, .dec, TLSNames.extensionTypes,
                             blurb: "Hello extension type")
        hf.extensionLength = f("Length", "tls.handshake.extension.len", .uint16, .dec,
                               blurb: "Length of a hello extension")
        hf.extensionData = f("Data", "tls.handshake.extension.data", .bytes, blurb: "Hello Extension data")
        hf.serverNameListLength = f("Server Name list length", "tls.handshake.extensions_server_name_list_len",
                                    .uint16, .dec)
        hf.serverNameType = f("Server Name Type", "tls.handshake.extensions_server_name_type", .uint8, .dec,
                              TLSNames.serverNameTypes)
        hf.serverNameLength = f("Server Name length", "tls.handshake.extensions_server_name_len", .uint16, .dec)
        hf.serverName = f("Server Name", "tls.handshake.extensions_server_name", .string)
        hf.supportedGroupsLength = f("Supported Groups List Length",
                                     "tls.handshake.extensions_supported_groups_length", .uint16, .dec)
        hf.supportedGroups = f("Supported Groups List", "tls.handshake.extensions_supported_groups", .none,
                               blurb: "List of supported groups (formerly Supported Elliptic Curves)")
        hf.supportedGroup = f("Supported Group", "tls.handshake.extensions_supported_group", .uint16, .hex,
                              TLSNames.supportedGroups)
        hf.ecPointFormatsLength = f("EC point formats Length", "tls.handshake.extensions_ec_point_formats_length",
                                    .uint8, .dec, blurb: "Length of elliptic curves point formats field")
        hf.ecPointFormats = f("EC point formats", "tls.handshake.extensions_ec_point_formats", .none,
                              blurb: "List of elliptic curves point format")
        hf.ecPointFormat = f("EC point format", "tls.handshake.extensions_ec_point_format", .uint8, .dec,
                             TLSNames.ecPointFormats, blurb: "Elliptic curves point format")
        hf.sigHashAlgLength = f("Signature Hash Algorithms Length", "tls.handshake.sig_hash_alg_len", .uint16, .dec,
                                blurb: "Length of Signature Hash Algorithms")
        hf.sigHashAlgs = f("Signature Algorithms", "tls.handshake.sig_hash_algs", .none,
                           blurb: "List of supported Signature Algorithms")
        hf.sigHashAlg = f("Signature Algorithm", "tls.handshake.sig_hash_alg", .uint16, .hex,
                          TLSNames.signatureSchemes)
        hf.sigHashHash = f("Signature Hash Algorithm Hash", "tls.handshake.sig_hash_hash", .uint8, .dec,
                           TLSNames.hashAlgorithms, blurb: "Hash algorithm (TLS 1.2)")
        hf.sigHashSig = f("Signature Hash Algorithm Signature", "tls.handshake.sig_hash_sig", .uint8, .dec,
                          TLSNames.signatureAlgorithms, blurb: "Signature algorithm (TLS 1.2)")
        hf.alpnLength = f("ALPN Extension Length", "tls.handshake.extensions_alpn_len", .uint16, .dec,
                          blurb: "Length of the ALPN Extension")
        hf.alpnList = f("ALPN Protocol", "tls.handshake.extensions_alpn_list", .none)
        hf.alpnStringLength = f("ALPN string length", "tls.handshake.extensions_alpn_str_len", .uint8, .dec,
                                blurb: "Length of ALPN string")
        hf.alpnString = f("ALPN Next Protocol", "tls.handshake.extensions_alpn_str", .string)
        hf.renegInfoLength = f("Renegotiation info extension length", "tls.handshake.extensions_reneg_info_len",
                               .uint8, .dec)
        hf.renegInfo = f("Renegotiation info", "tls.handshake.extensions_reneg_info", .bytes)
        hf.keyShareClientLength = f("Client Key Share Length", "tls.handshake.extensions_key_share_client_length",
                                    .uint16, .dec)
        hf.keyShareGroup = f("Group", "tls.handshake.extensions_key_share_group", .uint16, .dec,
                             TLSNames.supportedGroups)
        hf.keyShareExchangeLength = f("Key Exchange Length",
                                      "tls.handshake.extensions_key_share_key_exchange_length", .uint16, .dec)
        hf.keyShareExchange = f("Key Exchange", "tls.handshake.extensions_key_share_key_exchange", .bytes)
        hf.keyShareSelectedGroup = f("Selected Group", "tls.handshake.extensions_key_share_selected_group",
                                     .uint16, .dec, TLSNames.supportedGroups)
        hf.pskIdentitiesLength = f("Identities Length", "tls.handshake.extensions.psk.identities.length",
                                   .uint16, .dec)
        hf.pskIdentityLength = f("Identity Length", "tls.handshake.extensions.psk.identity.identity_length",
                                 .uint16, .dec)
        hf.pskIdentity = f("Identity", "tls.handshake.extensions.psk.identity.identity", .bytes)
        hf.pskTicketAge = f("Obfuscated Ticket Age", "tls.handshake.extensions.psk.identity.obfuscated_ticket_age",
                            .uint32, .dec)
        hf.pskBindersLength = f("PSK Binders length", "tls.handshake.extensions.psk.binders_len", .uint16, .dec)
        hf.pskBinders = f("PSK Binders", "tls.handshake.extensions.psk.binders", .none)
        hf.pskBinderLength = f("Binder Length", "tls.handshake.extensions.psk.binder.binder_length", .uint8, .dec)
        hf.pskBinder = f("Binder", "tls.handshake.extensions.psk.binder.binder", .bytes)
        hf.pskSelected = f("Selected Identity", "tls.handshake.extensions.psk.identity.selected", .uint16, .dec)
        hf.supportedVersionsLength = f("Supported Versions length",
                                       "tls.handshake.extensions.supported_versions_len", .uint8, .dec)
        hf.supportedVersion = f("Supported Version", "tls.handshake.extensions.supported_version", .uint16, .hex,
                                TLSNames.versions)
        hf.cookieLength = f("Cookie length", "tls.handshake.extensions.cookie_len", .uint16, .dec)
        hf.cookie = f("Cookie", "tls.handshake.extensions.cookie", .bytes)
        hf.pskKEModesLength = f("PSK Key Exchange Modes Length", "tls.extension.psk_ke_modes_length", .uint8, .dec)
        hf.pskKEMode = f("PSK Key Exchange Mode", "tls.extension.psk_ke_mode", .uint8, .dec,
                         TLSNames.pskKeyExchangeModes,
                         blurb: "Key exchange modes where the client supports use of PSKs")
        hf.paddingData = f("Padding Data", "tls.handshake.extensions_padding_data", .bytes, blurb: "Must be zero")
        hf.statusRequestType = f("Certificate Status Type", "tls.handshake.extensions_status_request_type",
                                 .uint8, .dec, TLSNames.certificateStatusTypes)
        hf.statusRequestResponderIDsLength = f("Responder ID list Length",
                                               "tls.handshake.extensions_status_request_responder_ids_len",
                                               .uint16, .dec)
        hf.statusRequestExtsLength = f("Request Extensions Length",
                                       "tls.handshake.extensions_status_request_exts_len", .uint16, .dec)
        hf.recordSizeLimit = f("Record Size Limit", "tls.record_size_limit", .uint16, .dec,
                               blurb: "Maximum record size that an endpoint is willing to receive")
        hf.maxFragmentLength = f("Maximum Fragment Length", "tls.handshake.max_fragment_length", .uint8, .dec,
                                 TLSNames.maxFragmentLengths)
        hf.maxEarlyDataSize = f("Maximum Early Data Size", "tls.early_data.max_early_data_size", .uint32, .dec,
                                blurb: "Maximum amount of 0-RTT data that the client may send")
        hf.sessionTicketLifetime = f("Session Ticket Lifetime Hint", "tls.handshake.session_ticket_lifetime_hint",
                                     .uint32, .dec, blurb: "New Session Ticket Lifetime Hint")
        hf.sessionTicketAgeAdd = f("Session Ticket Age Add", "tls.handshake.session_ticket_age_add", .uint32, .dec,
                                   blurb: "Random 32-bit value to obscure age of ticket")
        hf.sessionTicketNonceLength = f("Session Ticket Nonce Length", "tls.handshake.session_ticket_nonce_length",
                                        .uint8, .dec)
        hf.sessionTicketNonce = f("Session Ticket Nonce", "tls.handshake.session_ticket_nonce", .bytes,
                                  blurb: "A unique per-ticket value")
        hf.sessionTicketLength = f("Session Ticket Length", "tls.handshake.session_ticket_length", .uint16, .dec,
                                   blurb: "New Session Ticket Length")
        hf.sessionTicket = f("Session Ticket", "tls.handshake.session_ticket", .bytes, blurb: "New Session Ticket")
        hf.sctListLength = f("Serialized SCT List Length", "tls.sct.scts_length", .uint16, .dec)
        hf.sctLength = f("Serialized SCT Length", "tls.sct.sct_length", .uint16, .dec)
        hf.sctVersion = f("SCT Version", "tls.sct.sct_version", .uint8, .dec,
                          blurb: "SCT Protocol version (v1 (0) is defined in RFC 6962)")
        hf.sctLogID = f("Log ID", "tls.sct.sct_logid", .bytes, blurb: "SHA-256 hash of log's public key")
        hf.sctTimestamp = f("Timestamp", "tls.sct.sct_timestamp", .absoluteTime, .local,
                            blurb: "Timestamp of issuance")
        hf.sctExtensionsLength = f("Extensions length", "tls.sct.sct_extensions_length", .uint16, .dec,
                                   blurb: "Length of future extensions to this protocol (currently none)")
        hf.sctSignatureLength = f("Signature Length", "tls.sct.sct_signature_length", .uint16, .dec)
        hf.sctSignature = f("Signature", "tls.sct.sct_signature", .bytes)
        hf.certificatesLength = f("Certificates Length", "tls.handshake.certificates_length", .uint24, .dec,
                                  blurb: "Length of certificates field")
        hf.certificates = f("Certificates", "tls.handshake.certificates", .none, blurb: "List of certificates")
        hf.certificateLength = f("Certificate Length", "tls.handshake.certificate_length", .uint24, .dec,
                                 blurb: "Length of certificate")
        hf.certificate = f("Certificate", "tls.handshake.certificate", .bytes)
        hf.certRequestContextLength = f("Certificate Request Context Length",
                                        "tls.handshake.certificate_request_context_length", .uint8, .dec)
        hf.certRequestContext = f("Certificate Request Context", "tls.handshake.certificate_request_context", .bytes,
                                  blurb: "Value from CertificateRequest or empty for server auth")
        hf.certTypesCount = f("Certificate types count", "tls.handshake.cert_types_count", .uint8, .dec,
                              blurb: "Count of certificate types")
        hf.certTypes = f("Certificate types", "tls.handshake.cert_types", .none, blurb: "List of certificate types")
        hf.certType = f("Certificate type", "tls.handshake.cert_type", .uint8, .dec, TLSNames.clientCertificateTypes)
        hf.dnamesLength = f("Distinguished Names Length", "tls.handshake.dnames_len", .uint16, .dec,
                            blurb: "Length of list of CAs that server trusts")
        hf.dnames = f("Distinguished Names", "tls.handshake.dnames", .none, blurb: "List of CAs that server trusts")
        hf.dnameLength = f("Distinguished Name Length", "tls.handshake.dname_len", .uint16, .dec,
                           blurb: "Length of distinguished name")
        hf.dname = f("Distinguished Name", "tls.handshake.dname", .none,
                     blurb: "Distinguished name of a CA that server trusts")
        hf.serverCurveType = f("Curve Type", "tls.handshake.server_curve_type", .uint8, .hex, TLSNames.curveTypes,
                               blurb: "Server curve_type")
        hf.serverNamedCurve = f("Named Curve", "tls.handshake.server_named_curve", .uint16, .hex,
                                TLSNames.supportedGroups, blurb: "Server named_curve")
        hf.serverPointLength = f("Pubkey Length", "tls.handshake.server_point_len", .uint8, .dec,
                                 blurb: "Length of server's EC Diffie-Hellman public key")
        hf.serverPoint = f("Pubkey", "tls.handshake.server_point", .bytes, blurb: "EC Diffie-Hellman server pubkey")
        hf.clientPointLength = f("Pubkey Length", "tls.handshake.client_point_len", .uint8, .dec,
                                 blurb: "Length of client's EC Diffie-Hellman public key")
        hf.clientPoint = f("Pubkey", "tls.handshake.client_point", .bytes, blurb: "EC Diffie-Hellman client pubkey")
        hf.pLength = f("p Length", "tls.handshake.p_len", .uint16, .dec, blurb: "Length of p")
        hf.p = f("p", "tls.handshake.p", .bytes, blurb: "Diffie-Hellman p")
        hf.gLength = f("g Length", "tls.handshake.g_len", .uint16, .dec, blurb: "Length of g")
        hf.g = f("g", "tls.handshake.g", .bytes, blurb: "Diffie-Hellman g")
        hf.ysLength = f("Pubkey Length", "tls.handshake.ys_len", .uint16, .dec,
                        blurb: "Length of server's Diffie-Hellman public key")
        hf.ys = f("Pubkey", "tls.handshake.ys", .bytes, blurb: "Diffie-Hellman server pubkey")
        hf.ycLength = f("Pubkey Length", "tls.handshake.yc_len", .uint16, .dec,
                        blurb: "Length of client's Diffie-Hellman public key")
        hf.yc = f("Pubkey", "tls.handshake.yc", .bytes, blurb: "Diffie-Hellman client pubkey")
        hf.sigLength = f("Signature Length", "tls.handshake.sig_len", .uint16, .dec,
                         blurb: "Length of server's signature")
        hf.sig = f("Signature", "tls.handshake.sig", .bytes, blurb: "Diffie-Hellman server signature")
        hf.epmsLength = f("Encrypted PreMaster length", "tls.handshake.epms_len", .uint16, .dec,
                          blurb: "Length of encrypted PreMaster secret")
        hf.epms = f("Encrypted PreMaster", "tls.handshake.epms", .bytes, blurb: "Encrypted PreMaster secret")
        hf.verifyData = f("Verify Data", "tls.handshake.verify_data", .none, blurb: "Opaque verification data")
        hf.certVerifySigLength = f("Signature length", "tls.handshake.client_cert_vrfy.sig_len", .uint16, .dec,
                                   blurb: "Length of CertificateVerify's signature")
        hf.certVerifySig = f("Signature", "tls.handshake.client_cert_vrfy.sig", .bytes,
                             blurb: "CertificateVerify's signature")
        hf.certStatusType = f("Certificate Status Type", "tls.handshake.extensions_status_request_type", .uint8,
                              .dec, TLSNames.certificateStatusTypes)
        hf.ocspResponseLength = f("OCSP Response Length", "tls.handshake.ocsp_response_len", .uint24, .dec)
        hf.keyUpdateRequest = f("Key Update Request", "tls.handshake.key_update.request_update", .uint8, .dec,
                                TLSNames.keyUpdateRequests,
                                blurb: "Whether the receiver should also update its keys")
        hf.ja3Full = f("JA3 Fullstring", "tls.handshake.ja3_full", .string)
        hf.ja3 = f("JA3", "tls.handshake.ja3", .string)
        hf.ja3sFull = f("JA3S Fullstring", "tls.handshake.ja3s_full", .string)
        hf.ja3s = f("JA3S", "tls.handshake.ja3s", .string)
        hf.hsFragments = f("Reassembled Handshake Fragments", "tls.handshake.fragments", .none)
        hf.hsFragment = f("Handshake Fragment", "tls.handshake.fragment", .framenum)
        hf.hsFragmentCount = f("Handshake Fragment count", "tls.handshake.fragment.count", .uint32, .dec)
        hf.hsReassembledIn = f("Reassembled Handshake Message in frame", "tls.handshake.reassembled_in", .framenum)
        // SSL 2.0 (tshark shares `tls.handshake.type` but with SSLv2's names, see `v2MessageTypes`).
        hf.v2MsgType = f("Handshake Message Type", "tls.handshake.type", .uint8, .dec, TLSDissector.v2MessageTypes,
                         blurb: "SSLv2 handshake message type")
        hf.v2CipherSpecLength = f("Cipher Spec Length", "tls.handshake.cipher_spec_len", .uint16, .dec,
                                  blurb: "Length of cipher specs field")
        hf.v2SessionIDLength = f("Session ID Length", "tls.handshake.session_id_length", .uint16, .dec,
                                 blurb: "Length of session ID field")
        hf.v2ChallengeLength = f("Challenge Length", "tls.handshake.challenge_length", .uint16, .dec,
                                 blurb: "Length of challenge field")
        hf.v2CipherSpecs = f("Cipher Specs", "tls.handshake.cipherspecs", .none,
                             blurb: "List of cipher specs")
        hf.v2CipherSpec = f("Cipher Spec", "tls.handshake.cipherspec", .uint24, .hex, TLSNames.sslv2CipherSpecs,
                            blurb: "Cipher specification")
        hf.v2Challenge = f("Challenge", "tls.handshake.challenge", .none,
                           blurb: "Challenge data used to authenticate server")
        hf.v2SessionIDHit = f("Session ID Hit", "tls.handshake.session_id_hit", .boolean,
                              blurb: "Did the server find the client's Session ID?")
        hf.v2CertType = f("Certificate Type", "tls.handshake.cert_type", .uint8, .dec, [1: "X.509 Certificate"])
        hf.v2ConnectionIDLength = f("Connection ID Length", "tls.handshake.connection_id_length", .uint16, .dec,
                                    blurb: "Length of connection ID")
        hf.v2ConnectionID = f("Connection ID", "tls.handshake.connection_id", .none,
                              blurb: "Server's challenge to client")
        hf.v2ClearKeyLength = f("Clear Key Data Length", "tls.handshake.clear_key_length", .uint16, .dec,
                                blurb: "Length of clear key data")
        hf.v2EncryptedKeyLength = f("Encrypted Key Data Length", "tls.handshake.encrypted_key_length", .uint16,
                                    .dec, blurb: "Length of encrypted key data")
        hf.v2KeyArgLength = f("Key Argument Length", "tls.handshake.key_arg_length", .uint16, .dec,
                              blurb: "Length of key argument")
        hf.v2ClearKey = f("Clear Key Data", "tls.handshake.clear_key_data", .none,
                          blurb: "Clear portion of MASTER-KEY")
        hf.v2EncryptedKey = f("Encrypted Key", "tls.handshake.encrypted_key", .none,
                              blurb: "Secret portion of MASTER-KEY encrypted to server")
        hf.v2KeyArg = f("Key Argument", "tls.handshake.key_arg", .none,
                        blurb: "Key Argument (e.g., Initialization Vector)")
        hf.v2RecordLength = f("Length", "tls.record.length", .uint16, .dec, blurb: "Length of TLS record data")
        hf.v2Padding = f("Padding Length", "tls.record.padding_length", .uint8, .dec,
                         blurb: "Length of padding at end of record")

        hf.eiIgnoredUnknownRecord = r.expert("tls.ignored_unknown_record", "Ignored Unknown Record", .warning,
                                             .protocol, in: p)
        hf.eiRecordLengthInvalid = r.expert("tls.record.length.invalid",
                                            "Record fragment length is too small or too large", .error,
                                            .malformed, in: p)
        hf.eiMalformedVectorLength = r.expert("tls.malformed.vector_length",
                                              "Variable vector length is outside the permitted range", .error,
                                              .protocol, in: p)
        hf.eiBufferTooSmall = r.expert("tls.malformed.buffer_too_small",
                                       "Malformed message, not enough data is available", .error, .protocol, in: p)
        hf.eiTrailingData = r.expert("tls.malformed.trailing_data", "Undecoded trailing data is present", .error,
                                     .protocol, in: p)
        hf.eiSessionIDLength = r.expert("tls.handshake.session_id_length.error", "Session ID length error", .error,
                                        .malformed, in: p)
        hf.eiUnexpectedMessage = r.expert("tls.unexpected_message", "Unexpected message", .error, .protocol, in: p)
        hf.eiResumed = r.expert("tls.resumed",
                                "This session reuses previously negotiated keys (Session resumption)", .note,
                                .sequence, in: p)
        hf.eiStatusRequestUndecoded = r.expert("tls.handshake.status_request.undecoded",
                                               "Responder ID list or Request Extensions are not implemented, contact Wireshark developers if you want this to be supported",
                                               .warning, .undecoded, in: p)
    }

    /// SSL 2.0 message types (tshark's `ssl_20_msg_types`).
    static let v2MessageTypes: [UInt64: String] = [
        0: "Error", 1: "Client Hello", 2: "Client Master Key", 3: "Client Finished", 4: "Server Hello",
        5: "Server Verify", 6: "Server Finished", 7: "Request Certificate", 8: "Client Certificate",
    ]
}
