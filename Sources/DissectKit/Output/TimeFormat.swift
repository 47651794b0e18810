#if canImport(Glibc)
import Glibc
#endif

/// The Time column's format (`-t`): relative, absolute, delta, epoch, UTC … with a precision.
public enum TimeFormat: String, Sendable {
    case relative = "r", absolute = "a", absoluteWithDate = "ad", absoluteWithDOY = "adoy"
    case delta = "d", deltaDisplayed = "dd", epoch = "e", utc = "u", utcWithDate = "ud", utcWithDOY = "udoy"

    /// Parses tshark's `-t` argument ("ad", "r.6", "e" …): format and optional precision.
    public static func parse(_ s: String) -> (TimeFormat, Int?)? {
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let f = TimeFormat(rawValue: String(parts[0])) else { return nil }
        if parts.count == 2 {
            guard let p = Int(parts[1]), p >= 0, p <= 9 else { return nil }
            return (f, p)
        }
        return (f, nil)
    }
}

/// Formats times for the Time column.
public struct TimeColumn {
    public var format: TimeFormat = .relative
    /// Fixed precision, or nil for the capture's own.
    public var precision: Int? = nil
    public init() {}

    public func text(_ t: Timestamp, relative: Timestamp, delta: Timestamp, deltaDisplayed: Timestamp, digits: Int) -> String {
        let p = precision ?? digits
        switch format {
        case .relative: return Self.seconds(relative, p)
        case .delta: return Self.seconds(delta, p)
        case .deltaDisplayed: return Self.seconds(deltaDisplayed, p)
        case .epoch: return Self.seconds(t, p)
        case .absolute, .absoluteWithDate, .absoluteWithDOY, .utc, .utcWithDate, .utcWithDOY:
            var secs = time_t(t.seconds)
            var tmv = tm()
            let utc = format == .utc || format == .utcWithDate || format == .utcWithDOY
            if utc { gmtime_r(&secs, &tmv) } else { localtime_r(&secs, &tmv) }
            func p2(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
            var s = ""
            if format == .absoluteWithDate || format == .utcWithDate {
                s = "\(tmv.tm_year + 1900)-\(p2(tmv.tm_mon + 1))-\(p2(tmv.tm_mday)) "
            } else if format == .absoluteWithDOY || format == .utcWithDOY {
                let doy = tmv.tm_yday + 1
                s = "\(tmv.tm_year + 1900)/" + (doy < 10 ? "00\(doy)" : doy < 100 ? "0\(doy)" : "\(doy)") + " "
            }
            s += "\(p2(tmv.tm_hour)):\(p2(tmv.tm_min)):\(p2(tmv.tm_sec))"
            if p > 0 { s += "." + Self.fraction(t.nanoseconds, p) }
            return s
        }
    }

    static func fraction(_ ns: Int32, _ p: Int) -> String {
        let full = FieldFormatter.nanos9(ns)
        return String(full.prefix(p))
    }

    public static func seconds(_ t: Timestamp, _ p: Int) -> String {
        let (neg, s, ns) = t.signedParts
        // tshark 4.0 cuts to p digits (nsecs / 10^(9-p)), it does not round: 347.611566507 s
        // shows as 347.611566 at µs precision.
        let base = (neg ? "-" : "") + "\(s)"
        guard p > 0 else { return base }
        if ns >= 1_000_000_000 {
            // An out-of-range fraction keeps all its digits (tshark: nsecs / 10^(9-p), unpadded).
            var div: UInt64 = 1
            for _ in 0..<(9 - p) { div *= 10 }
            return base + "." + String(ns / div)
        }
        return base + "." + fraction(Int32(ns), p)
    }
}
