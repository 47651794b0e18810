/// Texts tshark 4.0.17 shows for NTP beyond the fields' value strings.
enum NTPNames {
    static let versions = ["reserved", "NTP Version 1", "NTP Version 2", "NTP Version 3", "NTP Version 4",
                           "reserved", "reserved", "reserved"]
    /// Mode names for the Info column and the protocol line ("control", not "reserved for NTP
    /// control message").
    static let infoModes = ["reserved", "symmetric active", "symmetric passive", "client", "server", "broadcast",
                            "control", "private"]

    /// Reference identifiers of stratum 0 and 1 servers (RFC 5905 §7.3 and ntpd's unofficial
    /// ones), four bytes each, NUL padded.
    static let primarySources: [(id: (UInt8, UInt8, UInt8, UInt8), name: String)] = [
        (ascii("GOES"), "Geostationary Orbit Environment Satellite"),
        (ascii("GPS"), "Global Position System"),
        (ascii("GAL"), "Galileo Positioning System"),
        (ascii("PPS"), "Generic pulse-per-second"),
        (ascii("IRIG"), "Inter-Range Instrumentation Group"),
        (ascii("WWVB"), "LF Radio WWVB Ft. Collins, CO 60 kHz"),
        (ascii("DCF"), "LF Radio DCF77 Mainflingen, DE 77.5 kHz"),
        (ascii("HBG"), "LF Radio HBG Prangins, HB 75 kHz"),
        (ascii("MSF"), "LF Radio MSF Anthorn, UK 60 kHz"),
        (ascii("JJY"), "LF Radio JJY Fukushima, JP 40 kHz, Saga, JP 60 kHz"),
        (ascii("LORC"), "MF Radio LORAN C station, 100 kHz"),
        (ascii("TDF"), "MF Radio Allouis, FR 162 kHz"),
        (ascii("CHU"), "HF Radio CHU Ottawa, Ontario"),
        (ascii("WWV"), "HF Radio WWV Ft. Collins, CO"),
        (ascii("WWVH"), "HF Radio WWVH Kauai, HI"),
        (ascii("NIST"), "NIST telephone modem"),
        (ascii("ACTS"), "NIST telephone modem"),
        (ascii("USNO"), "USNO telephone modem"),
        (ascii("PTB"), "European telephone modem"),
        (ascii("LOCL"), "uncalibrated local clock"),
        (ascii("CESM"), "calibrated Cesium clock"),
        (ascii("RBDM"), "calibrated Rubidium clock"),
        (ascii("OMEG"), "OMEGA radionavigation system"),
        (ascii("DCN"), "DCN routing protocol"),
        (ascii("TSP"), "TSP time protocol"),
        (ascii("DTS"), "Digital Time Service"),
        (ascii("ATOM"), "Atomic clock (calibrated)"),
        (ascii("VLF"), "VLF radio (OMEGA,, etc.)"),
        (ascii("1PPS"), "External 1 PPS input"),
        (ascii("FREE"), "(Internal clock)"),
        (ascii("INIT"), "(Initialization)"),
        ((0, 0, 0, 0), "NULL"),
    ]

    private static func ascii(_ s: StaticString) -> (UInt8, UInt8, UInt8, UInt8) {
        let p = s.utf8Start
        let n = s.utf8CodeUnitCount
        func at(_ i: Int) -> UInt8 { i < n ? p[i] : 0 }
        return (at(0), at(1), at(2), at(3))
    }

    /// The name of a primary reference, or nil.
    static func primarySource(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> String? {
        for s in primarySources where s.id.0 == a && s.id.1 == b && s.id.2 == c && s.id.3 == d { return s.name }
        return nil
    }
}
