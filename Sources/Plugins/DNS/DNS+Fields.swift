import DissectKit

/// Ids of the dns fields and expert infos, looked up once after the catalog registered them.
struct DNSFields {
    let length: FieldID  // dns.length
    let flags: FieldID  // dns.flags
    let flagsResponse: FieldID  // dns.flags.response
    let flagsOpcode: FieldID  // dns.flags.opcode
    let flagsAuthoritative: FieldID  // dns.flags.authoritative
    let flagsConflict: FieldID  // dns.flags.conflict
    let flagsTruncated: FieldID  // dns.flags.truncated
    let flagsRecdesired: FieldID  // dns.flags.recdesired
    let flagsTentative: FieldID  // dns.flags.tentative
    let flagsRecavail: FieldID  // dns.flags.recavail
    let flagsZ: FieldID  // dns.flags.z
    let flagsAuthenticated: FieldID  // dns.flags.authenticated
    let flagsCheckdisable: FieldID  // dns.flags.checkdisable
    let flagsRcode: FieldID  // dns.flags.rcode
    let id: FieldID  // dns.id
    let qryType: FieldID  // dns.qry.type
    let qryClass: FieldID  // dns.qry.class
    let qryQu: FieldID  // dns.qry.qu
    let qryName: FieldID  // dns.qry.name
    let qryNameLen: FieldID  // dns.qry.name.len
    let countLabels: FieldID  // dns.count.labels
    let respType: FieldID  // dns.resp.type
    let respClass: FieldID  // dns.resp.class
    let respCacheFlush: FieldID  // dns.resp.cache_flush
    let respExtRcode: FieldID  // dns.resp.ext_rcode
    let respEdns0Version: FieldID  // dns.resp.edns0_version
    let respZ: FieldID  // dns.resp.z
    let respZDo: FieldID  // dns.resp.z.do
    let respZReserved: FieldID  // dns.resp.z.reserved
    let srvService: FieldID  // dns.srv.service
    let srvProto: FieldID  // dns.srv.proto
    let srvName: FieldID  // dns.srv.name
    let srvPriority: FieldID  // dns.srv.priority
    let srvWeight: FieldID  // dns.srv.weight
    let srvPort: FieldID  // dns.srv.port
    let srvTarget: FieldID  // dns.srv.target
    let naptrOrder: FieldID  // dns.naptr.order
    let naptrPreference: FieldID  // dns.naptr.preference
    let naptrFlagsLength: FieldID  // dns.naptr.flags_length
    let naptrFlags: FieldID  // dns.naptr.flags
    let naptrServiceLength: FieldID  // dns.naptr.service_length
    let naptrService: FieldID  // dns.naptr.service
    let naptrRegexLength: FieldID  // dns.naptr.regex_length
    let naptrRegex: FieldID  // dns.naptr.regex
    let naptrReplacementLength: FieldID  // dns.naptr.replacement_length
    let naptrReplacement: FieldID  // dns.naptr.replacement
    let respName: FieldID  // dns.resp.name
    let respTtl: FieldID  // dns.resp.ttl
    let respLen: FieldID  // dns.resp.len
    let a: FieldID  // dns.a
    let md: FieldID  // dns.md
    let mf: FieldID  // dns.mf
    let mb: FieldID  // dns.mb
    let mg: FieldID  // dns.mg
    let mr: FieldID  // dns.mr
    let null: FieldID  // dns.null
    let aaaa: FieldID  // dns.aaaa
    let cname: FieldID  // dns.cname
    let rrUdpPayloadSize: FieldID  // dns.rr.udp_payload_size
    let soaMname: FieldID  // dns.soa.mname
    let soaRname: FieldID  // dns.soa.rname
    let soaSerialNumber: FieldID  // dns.soa.serial_number
    let soaRefreshInterval: FieldID  // dns.soa.refresh_interval
    let soaRetryInterval: FieldID  // dns.soa.retry_interval
    let soaExpireLimit: FieldID  // dns.soa.expire_limit
    let soaMinimumTtl: FieldID  // dns.soa.minimum_ttl
    let ptrDomainName: FieldID  // dns.ptr.domain_name
    let wksAddress: FieldID  // dns.wks.address
    let wksProtocol: FieldID  // dns.wks.protocol
    let wksBits: FieldID  // dns.wks.bits
    let hinfoCpuLength: FieldID  // dns.hinfo.cpu_length
    let hinfoCpu: FieldID  // dns.hinfo.cpu
    let hinfoOsLength: FieldID  // dns.hinfo.os_length
    let hinfoOs: FieldID  // dns.hinfo.os
    let minfoR: FieldID  // dns.minfo.r
    let minfoE: FieldID  // dns.minfo.e
    let mxPreference: FieldID  // dns.mx.preference
    let mxMailExchange: FieldID  // dns.mx.mail_exchange
    let txtLength: FieldID  // dns.txt.length
    let txt: FieldID  // dns.txt
    let openpgpkey: FieldID  // dns.openpgpkey
    let csyncSoa: FieldID  // dns.csync.soa
    let csyncFlags: FieldID  // dns.csync.flags
    let csyncFlagsImmediate: FieldID  // dns.csync.flags.immediate
    let csyncFlagsSoaminimum: FieldID  // dns.csync.flags.soaminimum
    let csyncTypeBitmap: FieldID  // dns.csync.type_bitmap
    let zonemdSerial: FieldID  // dns.zonemd.serial
    let zonemdScheme: FieldID  // dns.zonemd.scheme
    let zonemdHashAlgo: FieldID  // dns.zonemd.hash_algo
    let zonemdDigest: FieldID  // dns.zonemd.digest
    let svcbSvcpriority: FieldID  // dns.svcb.svcpriority
    let svcbTargetname: FieldID  // dns.svcb.targetname
    let svcbSvcparamKey: FieldID  // dns.svcb.svcparam.key
    let svcbSvcparamValueLength: FieldID  // dns.svcb.svcparam.value.length
    let svcbSvcparamValue: FieldID  // dns.svcb.svcparam.value
    let svcbSvcparam: FieldID  // dns.svcb.svcparam
    let svcbSvcparamMandatoryKey: FieldID  // dns.svcb.svcparam.mandatory.key
    let svcbSvcparamAlpnLength: FieldID  // dns.svcb.svcparam.alpn.length
    let svcbSvcparamAlpn: FieldID  // dns.svcb.svcparam.alpn
    let svcbSvcparamPort: FieldID  // dns.svcb.svcparam.port
    let svcbSvcparamIpv4hintIp: FieldID  // dns.svcb.svcparam.ipv4hint.ip
    let svcbSvcparamEchconfig: FieldID  // dns.svcb.svcparam.echconfig
    let svcbSvcparamIpv6hintIp: FieldID  // dns.svcb.svcparam.ipv6hint.ip
    let svcbSvcparamOdohconfig: FieldID  // dns.svcb.svcparam.odohconfig
    let spfLength: FieldID  // dns.spf.length
    let spf: FieldID  // dns.spf
    let ilnpNidPreference: FieldID  // dns.ilnp.nid.preference
    let ilnpNid: FieldID  // dns.ilnp.nid
    let ilnpL32Preference: FieldID  // dns.ilnp.l32.preference
    let ilnpL32: FieldID  // dns.ilnp.l32
    let ilnpL64Preference: FieldID  // dns.ilnp.l64.preference
    let ilnpL64: FieldID  // dns.ilnp.l64
    let ilnpLpPreference: FieldID  // dns.ilnp.lp.preference
    let ilnpLp: FieldID  // dns.ilnp.lp
    let eui48: FieldID  // dns.eui48
    let eui64: FieldID  // dns.eui64
    let rrsigTypeCovered: FieldID  // dns.rrsig.type_covered
    let rrsigAlgorithm: FieldID  // dns.rrsig.algorithm
    let rrsigLabels: FieldID  // dns.rrsig.labels
    let rrsigOriginalTtl: FieldID  // dns.rrsig.original_ttl
    let rrsigSignatureExpiration: FieldID  // dns.rrsig.signature_expiration
    let rrsigSignatureInception: FieldID  // dns.rrsig.signature_inception
    let rrsigKeyTag: FieldID  // dns.rrsig.key_tag
    let rrsigSignersName: FieldID  // dns.rrsig.signers_name
    let rrsigSignature: FieldID  // dns.rrsig.signature
    let dnskeyFlags: FieldID  // dns.dnskey.flags
    let dnskeyFlagsZoneKey: FieldID  // dns.dnskey.flags.zone_key
    let dnskeyFlagsKeyRevoked: FieldID  // dns.dnskey.flags.key_revoked
    let dnskeyFlagsSecureEntryPoint: FieldID  // dns.dnskey.flags.secure_entry_point
    let dnskeyFlagsReserved: FieldID  // dns.dnskey.flags.reserved
    let dnskeyProtocol: FieldID  // dns.dnskey.protocol
    let dnskeyAlgorithm: FieldID  // dns.dnskey.algorithm
    let dnskeyKeyId: FieldID  // dns.dnskey.key_id
    let dnskeyPublicKey: FieldID  // dns.dnskey.public_key
    let keyFlags: FieldID  // dns.key.flags
    let keyFlagsAuthentication: FieldID  // dns.key.flags.authentication
    let keyFlagsConfidentiality: FieldID  // dns.key.flags.confidentiality
    let keyFlagsRequired: FieldID  // dns.key.flags.required
    let keyFlagsAssociatedUser: FieldID  // dns.key.flags.associated_user
    let keyFlagsAssociatedNamedEntity: FieldID  // dns.key.flags.associated_named_entity
    let keyFlagsIpsec: FieldID  // dns.key.flags.ipsec
    let keyFlagsMime: FieldID  // dns.key.flags.mime
    let keyFlagsSignatory: FieldID  // dns.key.flags.signatory
    let keyProtocol: FieldID  // dns.key.protocol
    let keyAlgorithm: FieldID  // dns.key.algorithm
    let keyKeyId: FieldID  // dns.key.key_id
    let keyPublicKey: FieldID  // dns.key.public_key
    let pxPreference: FieldID  // dns.px.preference
    let pxMap822: FieldID  // dns.px.map822
    let pxMap400: FieldID  // dns.px.map400
    let tkeyAlgoName: FieldID  // dns.tkey.algo_name
    let tkeySignatureExpiration: FieldID  // dns.tkey.signature_expiration
    let tkeySignatureInception: FieldID  // dns.tkey.signature_inception
    let tkeyMode: FieldID  // dns.tkey.mode
    let tkeyError: FieldID  // dns.tkey.error
    let tkeyKeySize: FieldID  // dns.tkey.key_size
    let tkeyKeyData: FieldID  // dns.tkey.key_data
    let tkeyOtherSize: FieldID  // dns.tkey.other_size
    let tkeyOtherData: FieldID  // dns.tkey.other_data
    let ipseckeyGatewayPrecedence: FieldID  // dns.ipseckey.gateway_precedence
    let ipseckeyGatewayAlgorithm: FieldID  // dns.ipseckey.gateway_algorithm
    let ipseckeyGatewayType: FieldID  // dns.ipseckey.gateway_type
    let ipseckeyGatewayIpv4: FieldID  // dns.ipseckey.gateway_ipv4
    let ipseckeyGatewayIpv6: FieldID  // dns.ipseckey.gateway_ipv6
    let ipseckeyGatewayDns: FieldID  // dns.ipseckey.gateway_dns
    let ipseckeyPublicKey: FieldID  // dns.ipseckey.public_key
    let xpfIpVersion: FieldID  // dns.xpf.ip_version
    let xpfProtocol: FieldID  // dns.xpf.protocol
    let xpfSourceIpv4: FieldID  // dns.xpf.source_ipv4
    let xpfDestinationIpv4: FieldID  // dns.xpf.destination_ipv4
    let xpfSourceIpv6: FieldID  // dns.xpf.source_ipv6
    let xpfDestinationIpv6: FieldID  // dns.xpf.destination_ipv6
    let xpfSport: FieldID  // dns.xpf.sport
    let xpfDport: FieldID  // dns.xpf.dport
    let a6PrefixLen: FieldID  // dns.a6.prefix_len
    let a6AddressSuffix: FieldID  // dns.a6.address_suffix
    let a6PrefixName: FieldID  // dns.a6.prefix_name
    let dname: FieldID  // dns.dname
    let locVersion: FieldID  // dns.loc.version
    let locSize: FieldID  // dns.loc.size
    let locHorizontalPrecision: FieldID  // dns.loc.horizontal_precision
    let locVerticalPrecision: FieldID  // dns.loc.vertical_precision
    let locLatitude: FieldID  // dns.loc.latitude
    let locLongitude: FieldID  // dns.loc.longitude
    let locAltitude: FieldID  // dns.loc.altitude
    let locUnknownData: FieldID  // dns.loc.unknown_data
    let nxtNextDomainName: FieldID  // dns.nxt.next_domain_name
    let kxPreference: FieldID  // dns.kx.preference
    let kxKeyExchange: FieldID  // dns.kx.key_exchange
    let certType: FieldID  // dns.cert.type
    let certKeyTag: FieldID  // dns.cert.key_tag
    let certAlgorithm: FieldID  // dns.cert.algorithm
    let certCertificate: FieldID  // dns.cert.certificate
    let nsecNextDomainName: FieldID  // dns.nsec.next_domain_name
    let ns: FieldID  // dns.ns
    let opt: FieldID  // dns.opt
    let optCode: FieldID  // dns.opt.code
    let optLen: FieldID  // dns.opt.len
    let optData: FieldID  // dns.opt.data
    let optDau: FieldID  // dns.opt.dau
    let optDhu: FieldID  // dns.opt.dhu
    let optN3u: FieldID  // dns.opt.n3u
    let optClientFamily: FieldID  // dns.opt.client.family
    let optClientNetmask: FieldID  // dns.opt.client.netmask
    let optClientScope: FieldID  // dns.opt.client.scope
    let optClientAddr: FieldID  // dns.opt.client.addr
    let optClientAddr4: FieldID  // dns.opt.client.addr4
    let optClientAddr6: FieldID  // dns.opt.client.addr6
    let optCookieClient: FieldID  // dns.opt.cookie.client
    let optCookieServer: FieldID  // dns.opt.cookie.server
    let optEdnsTcpKeepaliveTimeout: FieldID  // dns.opt.edns_tcp_keepalive.timeout
    let optPadding: FieldID  // dns.opt.padding
    let optChainFqdn: FieldID  // dns.opt.chain.fqdn
    let optExtErrorInfoCode: FieldID  // dns.opt.ext_error.info_code
    let optExtErrorExtraText: FieldID  // dns.opt.ext_error.extra_text
    let countQueries: FieldID  // dns.count.queries
    let countZones: FieldID  // dns.count.zones
    let countAnswers: FieldID  // dns.count.answers
    let countPrerequisites: FieldID  // dns.count.prerequisites
    let countAuthRr: FieldID  // dns.count.auth_rr
    let countUpdates: FieldID  // dns.count.updates
    let nsec3Algo: FieldID  // dns.nsec3.algo
    let nsec3Flags: FieldID  // dns.nsec3.flags
    let nsec3FlagsOptOut: FieldID  // dns.nsec3.flags.opt_out
    let nsec3Iterations: FieldID  // dns.nsec3.iterations
    let nsec3SaltLength: FieldID  // dns.nsec3.salt_length
    let nsec3SaltValue: FieldID  // dns.nsec3.salt_value
    let nsec3HashLength: FieldID  // dns.nsec3.hash_length
    let nsec3HashValue: FieldID  // dns.nsec3.hash_value
    let tlsaCertificateUsage: FieldID  // dns.tlsa.certificate_usage
    let tlsaSelector: FieldID  // dns.tlsa.selector
    let tlsaMatchingType: FieldID  // dns.tlsa.matching_type
    let tlsaCertificateAssociationData: FieldID  // dns.tlsa.certificate_association_data
    let tsigAlgorithmName: FieldID  // dns.tsig.algorithm_name
    let tsigTimeSigned: FieldID  // dns.tsig.time_signed
    let tsigOriginalId: FieldID  // dns.tsig.original_id
    let tsigError: FieldID  // dns.tsig.error
    let tsigFudge: FieldID  // dns.tsig.fudge
    let tsigMacSize: FieldID  // dns.tsig.mac_size
    let tsigOtherLen: FieldID  // dns.tsig.other_len
    let tsigMac: FieldID  // dns.tsig.mac
    let tsigOtherData: FieldID  // dns.tsig.other_data
    let responseIn: FieldID  // dns.response_in
    let responseTo: FieldID  // dns.response_to
    let retransmission: FieldID  // dns.retransmission
    let retransmitRequestIn: FieldID  // dns.retransmit_request_in
    let retransmitResponseIn: FieldID  // dns.retransmit_response_in
    let time: FieldID  // dns.time
    let unsolicited: FieldID  // dns.unsolicited
    let countAddRr: FieldID  // dns.count.add_rr
    let sshfpAlgorithm: FieldID  // dns.sshfp.algorithm
    let sshfpFingerprintType: FieldID  // dns.sshfp.fingerprint.type
    let sshfpFingerprint: FieldID  // dns.sshfp.fingerprint
    let hipHitLength: FieldID  // dns.hip.hit.length
    let hipHitPkAlgo: FieldID  // dns.hip.hit.pk.algo
    let hipPkLength: FieldID  // dns.hip.pk.length
    let hipHit: FieldID  // dns.hip.hit
    let hipPk: FieldID  // dns.hip.pk
    let hipRendezvousServer: FieldID  // dns.hip.rendezvous_server
    let dhcidRdata: FieldID  // dns.dhcid.rdata
    let dsKeyId: FieldID  // dns.ds.key_id
    let dsAlgorithm: FieldID  // dns.ds.algorithm
    let dsDigestType: FieldID  // dns.ds.digest_type
    let dsDigest: FieldID  // dns.ds.digest
    let aplAddressFamily: FieldID  // dns.apl.address_family
    let aplCodedPrefix: FieldID  // dns.apl.coded_prefix
    let aplNegation: FieldID  // dns.apl.negation
    let aplAfdlength: FieldID  // dns.apl.afdlength
    let aplAfdpartIpv4: FieldID  // dns.apl.afdpart.ipv4
    let aplAfdpartIpv6: FieldID  // dns.apl.afdpart.ipv6
    let aplAfdpartData: FieldID  // dns.apl.afdpart.data
    let gposLongitudeLength: FieldID  // dns.gpos.longitude_length
    let gposLongitude: FieldID  // dns.gpos.longitude
    let gposLatitudeLength: FieldID  // dns.gpos.latitude_length
    let gposLatitude: FieldID  // dns.gpos.latitude
    let gposAltitudeLength: FieldID  // dns.gpos.altitude_length
    let gposAltitude: FieldID  // dns.gpos.altitude
    let rpMailbox: FieldID  // dns.rp.mailbox
    let rpTxtRr: FieldID  // dns.rp.txt_rr
    let afsdbSubtype: FieldID  // dns.afsdb.subtype
    let afsdbHostname: FieldID  // dns.afsdb.hostname
    let x25Length: FieldID  // dns.x25.length
    let x25PsdnAddress: FieldID  // dns.x25.psdn_address
    let idsnLength: FieldID  // dns.idsn.length
    let idsnAddress: FieldID  // dns.idsn.address
    let idsnSaLength: FieldID  // dns.idsn.sa.length
    let idsnSaAddress: FieldID  // dns.idsn.sa.address
    let rtSubtype: FieldID  // dns.rt.subtype
    let rtIntermediateHost: FieldID  // dns.rt.intermediate_host
    let nsapRdata: FieldID  // dns.nsap.rdata
    let nsapPtrOwner: FieldID  // dns.nsap_ptr.owner
    let caaFlags: FieldID  // dns.caa.flags
    let caaFlagsIssuerCritical: FieldID  // dns.caa.flags.issuer_critical
    let caaIssue: FieldID  // dns.caa.issue
    let caaIssuewild: FieldID  // dns.caa.issuewild
    let caaIodef: FieldID  // dns.caa.iodef
    let caaUnknown: FieldID  // dns.caa.unknown
    let caaTagLength: FieldID  // dns.caa.tag_length
    let caaTag: FieldID  // dns.caa.tag
    let caaValue: FieldID  // dns.caa.value
    let extraneousData: FieldID  // dns.extraneous.data
    let extraneousLength: FieldID  // dns.extraneous.length
    let winsLocalFlag: FieldID  // dns.wins.local_flag
    let winsLookupTimeout: FieldID  // dns.wins.lookup_timeout
    let winsCacheTimeout: FieldID  // dns.wins.cache_timeout
    let winsNbWinsServers: FieldID  // dns.wins.nb_wins_servers
    let winsWinsServer: FieldID  // dns.wins.wins_server
    let winsrLocalFlag: FieldID  // dns.winsr.local_flag
    let winsrLookupTimeout: FieldID  // dns.winsr.lookup_timeout
    let winsrCacheTimeout: FieldID  // dns.winsr.cache_timeout
    let winsrNameResultDomain: FieldID  // dns.winsr.name_result_domain
    let data: FieldID  // dns.data
    let dso: FieldID  // dns.dso
    let dsoTlv: FieldID  // dns.dso.tlv
    let dsoTlvType: FieldID  // dns.dso.tlv.type
    let dsoTlvLength: FieldID  // dns.dso.tlv.length
    let dsoTlvData: FieldID  // dns.dso.tlv.data
    let dsoTlvKeepaliveInactivity: FieldID  // dns.dso.tlv.keepalive.inactivity
    let dsoTlvKeepaliveInterval: FieldID  // dns.dso.tlv.keepalive.interval
    let dsoTlvRetrydelayRetrydelay: FieldID  // dns.dso.tlv.retrydelay.retrydelay
    let dsoTlvEncpadPadding: FieldID  // dns.dso.tlv.encpad.padding
    let eiOptBadLength: FieldID
    let eiUndecoded: FieldID
    let eiDeprecatedOpcode: FieldID
    let eiTTLHighBit: FieldID
    let eiTSIGAlgorithm: FieldID
    let eiKeyIDTooShort: FieldID
    let eiRetransmitRequest: FieldID
    let eiRetransmitResponse: FieldID
    let eiExtraneous: FieldID

    init(_ r: Registrar, _ p: FieldID) {
        func f(_ abbrev: String) -> FieldID { r.engine.registry.lookup(abbrev) ?? .textOnly }
        length = f("dns.length")
        flags = f("dns.flags")
        flagsResponse = f("dns.flags.response")
        flagsOpcode = f("dns.flags.opcode")
        flagsAuthoritative = f("dns.flags.authoritative")
        flagsConflict = f("dns.flags.conflict")
        flagsTruncated = f("dns.flags.truncated")
        flagsRecdesired = f("dns.flags.recdesired")
        flagsTentative = f("dns.flags.tentative")
        flagsRecavail = f("dns.flags.recavail")
        flagsZ = f("dns.flags.z")
        flagsAuthenticated = f("dns.flags.authenticated")
        flagsCheckdisable = f("dns.flags.checkdisable")
        flagsRcode = f("dns.flags.rcode")
        id = f("dns.id")
        qryType = f("dns.qry.type")
        qryClass = f("dns.qry.class")
        qryQu = f("dns.qry.qu")
        qryName = f("dns.qry.name")
        qryNameLen = f("dns.qry.name.len")
        countLabels = f("dns.count.labels")
        respType = f("dns.resp.type")
        respClass = f("dns.resp.class")
        respCacheFlush = f("dns.resp.cache_flush")
        respExtRcode = f("dns.resp.ext_rcode")
        respEdns0Version = f("dns.resp.edns0_version")
        respZ = f("dns.resp.z")
        respZDo = f("dns.resp.z.do")
        respZReserved = f("dns.resp.z.reserved")
        srvService = f("dns.srv.service")
        srvProto = f("dns.srv.proto")
        srvName = f("dns.srv.name")
        srvPriority = f("dns.srv.priority")
        srvWeight = f("dns.srv.weight")
        srvPort = f("dns.srv.port")
        srvTarget = f("dns.srv.target")
        naptrOrder = f("dns.naptr.order")
        naptrPreference = f("dns.naptr.preference")
        naptrFlagsLength = f("dns.naptr.flags_length")
        naptrFlags = f("dns.naptr.flags")
        naptrServiceLength = f("dns.naptr.service_length")
        naptrService = f("dns.naptr.service")
        naptrRegexLength = f("dns.naptr.regex_length")
        naptrRegex = f("dns.naptr.regex")
        naptrReplacementLength = f("dns.naptr.replacement_length")
        naptrReplacement = f("dns.naptr.replacement")
        respName = f("dns.resp.name")
        respTtl = f("dns.resp.ttl")
        respLen = f("dns.resp.len")
        a = f("dns.a")
        md = f("dns.md")
        mf = f("dns.mf")
        mb = f("dns.mb")
        mg = f("dns.mg")
        mr = f("dns.mr")
        null = f("dns.null")
        aaaa = f("dns.aaaa")
        cname = f("dns.cname")
        rrUdpPayloadSize = f("dns.rr.udp_payload_size")
        soaMname = f("dns.soa.mname")
        soaRname = f("dns.soa.rname")
        soaSerialNumber = f("dns.soa.serial_number")
        soaRefreshInterval = f("dns.soa.refresh_interval")
        soaRetryInterval = f("dns.soa.retry_interval")
        soaExpireLimit = f("dns.soa.expire_limit")
        soaMinimumTtl = f("dns.soa.minimum_ttl")
        ptrDomainName = f("dns.ptr.domain_name")
        wksAddress = f("dns.wks.address")
        wksProtocol = f("dns.wks.protocol")
        wksBits = f("dns.wks.bits")
        hinfoCpuLength = f("dns.hinfo.cpu_length")
        hinfoCpu = f("dns.hinfo.cpu")
        hinfoOsLength = f("dns.hinfo.os_length")
        hinfoOs = f("dns.hinfo.os")
        minfoR = f("dns.minfo.r")
        minfoE = f("dns.minfo.e")
        mxPreference = f("dns.mx.preference")
        mxMailExchange = f("dns.mx.mail_exchange")
        txtLength = f("dns.txt.length")
        txt = f("dns.txt")
        openpgpkey = f("dns.openpgpkey")
        csyncSoa = f("dns.csync.soa")
        csyncFlags = f("dns.csync.flags")
        csyncFlagsImmediate = f("dns.csync.flags.immediate")
        csyncFlagsSoaminimum = f("dns.csync.flags.soaminimum")
        csyncTypeBitmap = f("dns.csync.type_bitmap")
        zonemdSerial = f("dns.zonemd.serial")
        zonemdScheme = f("dns.zonemd.scheme")
        zonemdHashAlgo = f("dns.zonemd.hash_algo")
        zonemdDigest = f("dns.zonemd.digest")
        svcbSvcpriority = f("dns.svcb.svcpriority")
        svcbTargetname = f("dns.svcb.targetname")
        svcbSvcparamKey = f("dns.svcb.svcparam.key")
        svcbSvcparamValueLength = f("dns.svcb.svcparam.value.length")
        svcbSvcparamValue = f("dns.svcb.svcparam.value")
        svcbSvcparam = f("dns.svcb.svcparam")
        svcbSvcparamMandatoryKey = f("dns.svcb.svcparam.mandatory.key")
        svcbSvcparamAlpnLength = f("dns.svcb.svcparam.alpn.length")
        svcbSvcparamAlpn = f("dns.svcb.svcparam.alpn")
        svcbSvcparamPort = f("dns.svcb.svcparam.port")
        svcbSvcparamIpv4hintIp = f("dns.svcb.svcparam.ipv4hint.ip")
        svcbSvcparamEchconfig = f("dns.svcb.svcparam.echconfig")
        svcbSvcparamIpv6hintIp = f("dns.svcb.svcparam.ipv6hint.ip")
        svcbSvcparamOdohconfig = f("dns.svcb.svcparam.odohconfig")
        spfLength = f("dns.spf.length")
        spf = f("dns.spf")
        ilnpNidPreference = f("dns.ilnp.nid.preference")
        ilnpNid = f("dns.ilnp.nid")
        ilnpL32Preference = f("dns.ilnp.l32.preference")
        ilnpL32 = f("dns.ilnp.l32")
        ilnpL64Preference = f("dns.ilnp.l64.preference")
        ilnpL64 = f("dns.ilnp.l64")
        ilnpLpPreference = f("dns.ilnp.lp.preference")
        ilnpLp = f("dns.ilnp.lp")
        eui48 = f("dns.eui48")
        eui64 = f("dns.eui64")
        rrsigTypeCovered = f("dns.rrsig.type_covered")
        rrsigAlgorithm = f("dns.rrsig.algorithm")
        rrsigLabels = f("dns.rrsig.labels")
        rrsigOriginalTtl = f("dns.rrsig.original_ttl")
        rrsigSignatureExpiration = f("dns.rrsig.signature_expiration")
        rrsigSignatureInception = f("dns.rrsig.signature_inception")
        rrsigKeyTag = f("dns.rrsig.key_tag")
        rrsigSignersName = f("dns.rrsig.signers_name")
        rrsigSignature = f("dns.rrsig.signature")
        dnskeyFlags = f("dns.dnskey.flags")
        dnskeyFlagsZoneKey = f("dns.dnskey.flags.zone_key")
        dnskeyFlagsKeyRevoked = f("dns.dnskey.flags.key_revoked")
        dnskeyFlagsSecureEntryPoint = f("dns.dnskey.flags.secure_entry_point")
        dnskeyFlagsReserved = f("dns.dnskey.flags.reserved")
        dnskeyProtocol = f("dns.dnskey.protocol")
        dnskeyAlgorithm = f("dns.dnskey.algorithm")
        dnskeyKeyId = f("dns.dnskey.key_id")
        dnskeyPublicKey = f("dns.dnskey.public_key")
        keyFlags = f("dns.key.flags")
        keyFlagsAuthentication = f("dns.key.flags.authentication")
        keyFlagsConfidentiality = f("dns.key.flags.confidentiality")
        keyFlagsRequired = f("dns.key.flags.required")
        keyFlagsAssociatedUser = f("dns.key.flags.associated_user")
        keyFlagsAssociatedNamedEntity = f("dns.key.flags.associated_named_entity")
        keyFlagsIpsec = f("dns.key.flags.ipsec")
        keyFlagsMime = f("dns.key.flags.mime")
        keyFlagsSignatory = f("dns.key.flags.signatory")
        keyProtocol = f("dns.key.protocol")
        keyAlgorithm = f("dns.key.algorithm")
        keyKeyId = f("dns.key.key_id")
        keyPublicKey = f("dns.key.public_key")
        pxPreference = f("dns.px.preference")
        pxMap822 = f("dns.px.map822")
        pxMap400 = f("dns.px.map400")
        tkeyAlgoName = f("dns.tkey.algo_name")
        tkeySignatureExpiration = f("dns.tkey.signature_expiration")
        tkeySignatureInception = f("dns.tkey.signature_inception")
        tkeyMode = f("dns.tkey.mode")
        tkeyError = f("dns.tkey.error")
        tkeyKeySize = f("dns.tkey.key_size")
        tkeyKeyData = f("dns.tkey.key_data")
        tkeyOtherSize = f("dns.tkey.other_size")
        tkeyOtherData = f("dns.tkey.other_data")
        ipseckeyGatewayPrecedence = f("dns.ipseckey.gateway_precedence")
        ipseckeyGatewayAlgorithm = f("dns.ipseckey.gateway_algorithm")
        ipseckeyGatewayType = f("dns.ipseckey.gateway_type")
        ipseckeyGatewayIpv4 = f("dns.ipseckey.gateway_ipv4")
        ipseckeyGatewayIpv6 = f("dns.ipseckey.gateway_ipv6")
        ipseckeyGatewayDns = f("dns.ipseckey.gateway_dns")
        ipseckeyPublicKey = f("dns.ipseckey.public_key")
        xpfIpVersion = f("dns.xpf.ip_version")
        xpfProtocol = f("dns.xpf.protocol")
        xpfSourceIpv4 = f("dns.xpf.source_ipv4")
        xpfDestinationIpv4 = f("dns.xpf.destination_ipv4")
        xpfSourceIpv6 = f("dns.xpf.source_ipv6")
        xpfDestinationIpv6 = f("dns.xpf.destination_ipv6")
        xpfSport = f("dns.xpf.sport")
        xpfDport = f("dns.xpf.dport")
        a6PrefixLen = f("dns.a6.prefix_len")
        a6AddressSuffix = f("dns.a6.address_suffix")
        a6PrefixName = f("dns.a6.prefix_name")
        dname = f("dns.dname")
        locVersion = f("dns.loc.version")
        locSize = f("dns.loc.size")
        locHorizontalPrecision = f("dns.loc.horizontal_precision")
        locVerticalPrecision = f("dns.loc.vertical_precision")
        locLatitude = f("dns.loc.latitude")
        locLongitude = f("dns.loc.longitude")
        locAltitude = f("dns.loc.altitude")
        locUnknownData = f("dns.loc.unknown_data")
        nxtNextDomainName = f("dns.nxt.next_domain_name")
        kxPreference = f("dns.kx.preference")
        kxKeyExchange = f("dns.kx.key_exchange")
        certType = f("dns.cert.type")
        certKeyTag = f("dns.cert.key_tag")
        certAlgorithm = f("dns.cert.algorithm")
        certCertificate = f("dns.cert.certificate")
        nsecNextDomainName = f("dns.nsec.next_domain_name")
        ns = f("dns.ns")
        opt = f("dns.opt")
        optCode = f("dns.opt.code")
        optLen = f("dns.opt.len")
        optData = f("dns.opt.data")
        optDau = f("dns.opt.dau")
        optDhu = f("dns.opt.dhu")
        optN3u = f("dns.opt.n3u")
        optClientFamily = f("dns.opt.client.family")
        optClientNetmask = f("dns.opt.client.netmask")
        optClientScope = f("dns.opt.client.scope")
        optClientAddr = f("dns.opt.client.addr")
        optClientAddr4 = f("dns.opt.client.addr4")
        optClientAddr6 = f("dns.opt.client.addr6")
        optCookieClient = f("dns.opt.cookie.client")
        optCookieServer = f("dns.opt.cookie.server")
        optEdnsTcpKeepaliveTimeout = f("dns.opt.edns_tcp_keepalive.timeout")
        optPadding = f("dns.opt.padding")
        optChainFqdn = f("dns.opt.chain.fqdn")
        optExtErrorInfoCode = f("dns.opt.ext_error.info_code")
        optExtErrorExtraText = f("dns.opt.ext_error.extra_text")
        countQueries = f("dns.count.queries")
        countZones = f("dns.count.zones")
        countAnswers = f("dns.count.answers")
        countPrerequisites = f("dns.count.prerequisites")
        countAuthRr = f("dns.count.auth_rr")
        countUpdates = f("dns.count.updates")
        nsec3Algo = f("dns.nsec3.algo")
        nsec3Flags = f("dns.nsec3.flags")
        nsec3FlagsOptOut = f("dns.nsec3.flags.opt_out")
        nsec3Iterations = f("dns.nsec3.iterations")
        nsec3SaltLength = f("dns.nsec3.salt_length")
        nsec3SaltValue = f("dns.nsec3.salt_value")
        nsec3HashLength = f("dns.nsec3.hash_length")
        nsec3HashValue = f("dns.nsec3.hash_value")
        tlsaCertificateUsage = f("dns.tlsa.certificate_usage")
        tlsaSelector = f("dns.tlsa.selector")
        tlsaMatchingType = f("dns.tlsa.matching_type")
        tlsaCertificateAssociationData = f("dns.tlsa.certificate_association_data")
        tsigAlgorithmName = f("dns.tsig.algorithm_name")
        tsigTimeSigned = f("dns.tsig.time_signed")
        tsigOriginalId = f("dns.tsig.original_id")
        tsigError = f("dns.tsig.error")
        tsigFudge = f("dns.tsig.fudge")
        tsigMacSize = f("dns.tsig.mac_size")
        tsigOtherLen = f("dns.tsig.other_len")
        tsigMac = f("dns.tsig.mac")
        tsigOtherData = f("dns.tsig.other_data")
        responseIn = f("dns.response_in")
        responseTo = f("dns.response_to")
        retransmission = f("dns.retransmission")
        retransmitRequestIn = f("dns.retransmit_request_in")
        retransmitResponseIn = f("dns.retransmit_response_in")
        time = f("dns.time")
        unsolicited = f("dns.unsolicited")
        countAddRr = f("dns.count.add_rr")
        sshfpAlgorithm = f("dns.sshfp.algorithm")
        sshfpFingerprintType = f("dns.sshfp.fingerprint.type")
        sshfpFingerprint = f("dns.sshfp.fingerprint")
        hipHitLength = f("dns.hip.hit.length")
        hipHitPkAlgo = f("dns.hip.hit.pk.algo")
        hipPkLength = f("dns.hip.pk.length")
        hipHit = f("dns.hip.hit")
        hipPk = f("dns.hip.pk")
        hipRendezvousServer = f("dns.hip.rendezvous_server")
        dhcidRdata = f("dns.dhcid.rdata")
        dsKeyId = f("dns.ds.key_id")
        dsAlgorithm = f("dns.ds.algorithm")
        dsDigestType = f("dns.ds.digest_type")
        dsDigest = f("dns.ds.digest")
        aplAddressFamily = f("dns.apl.address_family")
        aplCodedPrefix = f("dns.apl.coded_prefix")
        aplNegation = f("dns.apl.negation")
        aplAfdlength = f("dns.apl.afdlength")
        aplAfdpartIpv4 = f("dns.apl.afdpart.ipv4")
        aplAfdpartIpv6 = f("dns.apl.afdpart.ipv6")
        aplAfdpartData = f("dns.apl.afdpart.data")
        gposLongitudeLength = f("dns.gpos.longitude_length")
        gposLongitude = f("dns.gpos.longitude")
        gposLatitudeLength = f("dns.gpos.latitude_length")
        gposLatitude = f("dns.gpos.latitude")
        gposAltitudeLength = f("dns.gpos.altitude_length")
        gposAltitude = f("dns.gpos.altitude")
        rpMailbox = f("dns.rp.mailbox")
        rpTxtRr = f("dns.rp.txt_rr")
        afsdbSubtype = f("dns.afsdb.subtype")
        afsdbHostname = f("dns.afsdb.hostname")
        x25Length = f("dns.x25.length")
        x25PsdnAddress = f("dns.x25.psdn_address")
        idsnLength = f("dns.idsn.length")
        idsnAddress = f("dns.idsn.address")
        idsnSaLength = f("dns.idsn.sa.length")
        idsnSaAddress = f("dns.idsn.sa.address")
        rtSubtype = f("dns.rt.subtype")
        rtIntermediateHost = f("dns.rt.intermediate_host")
        nsapRdata = f("dns.nsap.rdata")
        nsapPtrOwner = f("dns.nsap_ptr.owner")
        caaFlags = f("dns.caa.flags")
        caaFlagsIssuerCritical = f("dns.caa.flags.issuer_critical")
        caaIssue = f("dns.caa.issue")
        caaIssuewild = f("dns.caa.issuewild")
        caaIodef = f("dns.caa.iodef")
        caaUnknown = f("dns.caa.unknown")
        caaTagLength = f("dns.caa.tag_length")
        caaTag = f("dns.caa.tag")
        caaValue = f("dns.caa.value")
        extraneousData = f("dns.extraneous.data")
        extraneousLength = f("dns.extraneous.length")
        winsLocalFlag = f("dns.wins.local_flag")
        winsLookupTimeout = f("dns.wins.lookup_timeout")
        winsCacheTimeout = f("dns.wins.cache_timeout")
        winsNbWinsServers = f("dns.wins.nb_wins_servers")
        winsWinsServer = f("dns.wins.wins_server")
        winsrLocalFlag = f("dns.winsr.local_flag")
        winsrLookupTimeout = f("dns.winsr.lookup_timeout")
        winsrCacheTimeout = f("dns.winsr.cache_timeout")
        winsrNameResultDomain = f("dns.winsr.name_result_domain")
        data = f("dns.data")
        dso = f("dns.dso")
        dsoTlv = f("dns.dso.tlv")
        dsoTlvType = f("dns.dso.tlv.type")
        dsoTlvLength = f("dns.dso.tlv.length")
        dsoTlvData = f("dns.dso.tlv.data")
        dsoTlvKeepaliveInactivity = f("dns.dso.tlv.keepalive.inactivity")
        dsoTlvKeepaliveInterval = f("dns.dso.tlv.keepalive.interval")
        dsoTlvRetrydelayRetrydelay = f("dns.dso.tlv.retrydelay.retrydelay")
        dsoTlvEncpadPadding = f("dns.dso.tlv.encpad.padding")
        eiOptBadLength = r.expert("dns.rr.opt.bad_length", "Length too long for any type of IP address.", .error, .malformed, in: p)
        eiUndecoded = r.expert("dns.undecoded.type", "Undecoded option", .note, .undecoded, in: p)
        eiDeprecatedOpcode = r.expert("dns.depr.opc", "Deprecated opcode", .warning, .protocol, in: p)
        eiTTLHighBit = r.expert("dns.ttl.high_bit_set", "The uppermost bit of the TTL is set (RFC 2181, section 8)", .warning, .protocol, in: p)
        eiTSIGAlgorithm = r.expert("dns.tsig.noalg", "No dissector for algorithm", .warning, .undecoded, in: p)
        eiKeyIDTooShort = r.expert("dns.key_id_buffer_too_short", "Buffer too short to compute a key id", .warning, .protocol, in: p)
        eiRetransmitRequest = r.expert("dns.retransmit_request", "DNS query retransmission", .warning, .protocol, in: p)
        eiRetransmitResponse = r.expert("dns.retransmit_response", "DNS response retransmission", .warning, .protocol, in: p)
        eiExtraneous = r.expert("dns.extraneous", "Extraneous data", .note, .undecoded, in: p)
    }
}
