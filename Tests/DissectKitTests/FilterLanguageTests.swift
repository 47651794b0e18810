@testable import DissectKit
import TestSupport
import Foundation
import Plugins
import XCTest

/// The lexer, parser and checker of the display-filter language, against tshark 4.0.17's
/// behaviour and messages (each expected text was produced by `/usr/bin/tshark -Y`).
final class FilterLanguageTests: XCTestCase {
    let registry = Fixture.engine().registry

    func kinds(_ s: String) -> [Token.Kind] { Lexer.tokenize(s).map(\.kind) }
    func texts(_ s: String) -> [String] { Lexer.tokenize(s).dropLast().map(\.text) }

    /// The rendered error for `filter`, or "OK" when it compiles.
    func compile(_ filter: String, macros: FilterMacros = FilterMacros()) -> String {
        do {
            _ = try DisplayFilter(compiling: filter, registry: registry, macros: macros)
            return "OK"
        } catch {
            return error.rendered
        }
    }

    // MARK: lexer

    func testLexerSplitsOperatorsAndWords() {
        XCTAssertEqual(kinds("ip.addr==10.0.0.1&&!tcp"),
                       [.word, .compare(.anyEq), .word, .and, .not, .word, .eof])
        XCTAssertEqual(kinds("a === b !== c ~= d ~ e"),
                       [.word, .compare(.allEq), .word, .compare(.anyNe), .word, .compare(.anyNe), .word, .matches,
                        .word, .eof])
        XCTAssertEqual(kinds("x eq 1 ne 2 gt 3 ge 4 lt 5 le 6 contains 7 in {8..9}"),
                       [.word, .compare(.anyEq), .word, .compare(.allNe), .word, .compare(.gt), .word, .compare(.ge),
                        .word, .compare(.lt), .word, .compare(.le), .word, .contains, .word, .in, .lbrace, .word,
                        .dotdot, .word, .rbrace, .eof])
    }

    func testLexerWordsFollowTsharkPatterns() {
        // "68-1" is one word (and then not a number); "66+1" is three tokens.
        XCTAssertEqual(texts("udp.dstport == 68-1"), ["udp.dstport", "==", "68-1"])
        XCTAssertEqual(texts("66+1"), ["66", "+", "1"])
        // A set range: the dots of ".." never join a word.
        XCTAssertEqual(texts("{0.1...7}"), ["{", "0.1", "..", ".7", "}"])
        XCTAssertEqual(Lexer.tokenize(".7")[0].kind, .dotField)
        // Addresses with prefixes, byte strings, colon literals.
        XCTAssertEqual(texts("10.0.0.0/8 ff05::9999/128 00:aa:00:a3:e3:a4 :fc :00-01-6c"),
                       ["10.0.0.0/8", "ff05::9999/128", "00:aa:00:a3:e3:a4", ":fc", ":00-01-6c"])
        XCTAssertEqual(Lexer.tokenize(":fc")[0].value, "fc")
        // "1.2.3.4/" is an address and a slash; "0a:0" stops before ":0" (as tshark).
        XCTAssertEqual(texts("1.2.3.4/"), ["1.2.3.4", "/"])
        XCTAssertEqual(texts("0a:0:0:5"), ["0a", ":0", ":0", ":5"])
        XCTAssertEqual(texts("1::2::3"), ["1::2", "::3"])
    }

    func testLexerStringsAndCharacterConstants() {
        let t = Lexer.tokenize(#""\x48E\101D\n\u00e9""#)[0]
        XCTAssertEqual(t.kind, .string)
        XCTAssertEqual(t.bytes, Array("HEAD\né".utf8))
        let raw = Lexer.tokenize(#"r"a\.b\"c""#)[0]
        XCTAssertEqual(raw.bytes, Array(#"a\.b\"c"#.utf8))
        XCTAssertEqual(raw.text, #""a\.b\"c""#)
        XCTAssertEqual(Lexer.tokenize("'H'")[0].number, 0x48)
        XCTAssertEqual(Lexer.tokenize(#"'\x41'"#)[0].number, 0x41)
        XCTAssertEqual(Lexer.tokenize(#"'\101'"#)[0].number, 0x41)
        XCTAssertEqual(Lexer.tokenize(#"'\t'"#)[0].number, 9)
    }

    func testLexerModesForSlicesAndLayers() {
        XCTAssertEqual(kinds("frame[1:2,-3]"), [.word, .lbracket, .rangeNode, .comma, .rangeNode, .rbracket, .eof])
        XCTAssertEqual(kinds("ip.addr#2"), [.word, .hash, .layerIndex, .eof])
        XCTAssertEqual(kinds("ip.dst#[2-4]"), [.word, .hash, .lbracket, .rangeNode, .rbracket, .eof])
    }

    func testSliceRanges() throws {
        let loc = FilterLocation(0, 1)
        XCTAssertEqual(try Parser.rangePart("3", loc), RangePart(start: 3, kind: .length(1)))
        XCTAssertEqual(try Parser.rangePart("0:3", loc), RangePart(start: 0, kind: .length(3)))
        XCTAssertEqual(try Parser.rangePart("-3:3", loc), RangePart(start: -3, kind: .length(3)))
        XCTAssertEqual(try Parser.rangePart("5-10", loc), RangePart(start: 5, kind: .end(10)))
        XCTAssertEqual(try Parser.rangePart(":20", loc), RangePart(start: 0, kind: .length(20)))
        XCTAssertEqual(try Parser.rangePart("20:", loc), RangePart(start: 20, kind: .toEnd))
        XCTAssertEqual(try Parser.rangePart(" 1 : 2 ", loc), RangePart(start: 1, kind: .length(2)))
        XCTAssertEqual(SliceMath.bounds(RangePart(start: -3, kind: .length(3)), count: 6)?.0, 3)
        XCTAssertNil(SliceMath.bounds(RangePart(start: 50, kind: .end(60)), count: 60))
        XCTAssertNotNil(SliceMath.bounds(RangePart(start: 50, kind: .end(59)), count: 60))
        XCTAssertTrue(SliceMath.layerSelected(5, total: 5, [RangePart(start: -1, kind: .length(1))]))
        XCTAssertTrue(SliceMath.layerSelected(3, total: 5, [RangePart(start: 2, kind: .end(4))]))
        XCTAssertFalse(SliceMath.layerSelected(1, total: 5, [RangePart(start: 2, kind: .toEnd)]))
    }

    // MARK: parser errors (tshark's texts and caret positions)

    func testSyntaxErrors() {
        XCTAssertEqual(compile("ip.version = 4"), """
            "=" was unexpected in this context.
                ip.version = 4
                           ^
            """)
        XCTAssertEqual(compile("ip.version == 4 the quick brown fox"), """
            "the" was unexpected in this context.
                ip.version == 4 the quick brown fox
                                ^~~
            """)
        XCTAssertEqual(compile("tcp and"), "Unexpected end of filter expression.")
        XCTAssertEqual(compile("tcp.port == 1 xor tcp"), """
            "xor" was unexpected in this context.
                tcp.port == 1 xor tcp
                              ^~~
            """)
        XCTAssertEqual(compile("tcp.port in {80 443}"), """
            "443" was unexpected in this context.
                tcp.port in {80 443}
                                ^~~
            """)
        XCTAssertEqual(compile("tcp.port + 1 contains 1"), """
            "contains" was unexpected in this context.
                tcp.port + 1 contains 1
                             ^~~~~~~~
            """)
        XCTAssertEqual(compile(#"a matches "^HEAD" matches "^POST""#).components(separatedBy: "\n")[0],
                       #""matches" was unexpected in this context."#)
        XCTAssertEqual(compile("tcp.port == 1 \"x\"").components(separatedBy: "\n")[0], #"""x"" was unexpected in this context."#)
        XCTAssertEqual(compile("any tcp"), "Unexpected end of filter expression.")
        XCTAssertEqual(compile("- {tcp.port} == 1").components(separatedBy: "\n")[0], #""{" was unexpected in this context."#)
    }

    func testScannerErrors() {
        XCTAssertEqual(compile("frame[0"), """
            The right bracket was missing from a slice.
                frame[0
                       ^
            """)
        XCTAssertEqual(compile(#"frame contains "\x""#), #"""
            \x is not a valid character escape sequence
                frame contains "\x"
                                ^~
            """#)
        XCTAssertEqual(compile(#"frame contains "\777""#).components(separatedBy: "\n")[0], #"\777 is larger than 255."#)
        XCTAssertEqual(compile(#"frame contains "abc"#).components(separatedBy: "\n")[0],
                       "The final quote was missing from a quoted string.")
        XCTAssertEqual(compile("frame[0] == 'ab'").components(separatedBy: "\n")[0],
                       "'ab' is too long to be a valid character constant.")
        XCTAssertEqual(compile(#"ip.proto == '\Z'"#), #"""
            '\Z' isn't a valid character constant.
                ip.proto == '\Z'
                            ^~~~
            """#)
        XCTAssertEqual(compile("ip.addr#a").components(separatedBy: "\n")[0], #"Expected digit or "[", not "a""#)
        XCTAssertEqual(compile("frame[5-3]").components(separatedBy: "\n")[0],
                       "Range 5-3 isn't valid because 5 is greater or equal than 3")
        XCTAssertEqual(compile("frame[0:-1]").components(separatedBy: "\n")[0],
                       "Range 0:-1 isn't valid because length -1 isn't positive")
        XCTAssertEqual(compile("frame[1:2:3]").components(separatedBy: "\n")[0], #""1:2:3" is not a valid range."#)
    }

    // MARK: checker errors

    func testSemanticErrors() {
        XCTAssertEqual(compile("tcp.prt"), """
            tcp.prt is neither a field nor a protocol name.
                tcp.prt
                ^~~~~~~
            """)
        XCTAssertEqual(compile("tcp.prt == 1"), """
            Left side of "==" expression must be a field or function, not tcp.prt.
                tcp.prt == 1
                ^~~~~~~
            """)
        XCTAssertEqual(compile("6 == ip.proto").components(separatedBy: "\n")[0],
                       #"Left side of "==" expression must be a field or function, not 6."#)
        XCTAssertEqual(compile("-2 == tcp.dstport"), """
            Constant arithmetic expression on the LHS is invalid.
                -2 == tcp.dstport
                 ^
            """)
        XCTAssertEqual(compile("udp.dstport == 68-1"), """
            "68-1" is not a valid number.
                udp.dstport == 68-1
                               ^~~~
            """)
        XCTAssertEqual(compile("tcp.port == 99999").components(separatedBy: "\n")[0],
                       #""99999" too big for this field, maximum 65535."#)
        XCTAssertEqual(compile(#"tcp.port == "80""#).components(separatedBy: "\n")[0],
                       #"Unsigned integer (2 bytes) cannot be converted from a string ("80")."#)
        XCTAssertEqual(compile("tcp.port contains 80").components(separatedBy: "\n")[0],
                       "tcp.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.")
        XCTAssertEqual(compile("tcp.port[0]"), """
            "tcp.port" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.
                tcp.port[0]
                ^~~~~~~~
            """)
        XCTAssertEqual(compile("tcp.port == ip.src"), """
            tcp.port and ip.src are not of compatible types.
                tcp.port == ip.src
                            ^~~~~~
            """)
        XCTAssertEqual(compile("ip.src == 1.2.3.4/33").components(separatedBy: "\n")[0],
                       "Netmask bits in a CIDR IPv4 address should be <= 32, not 33")
        XCTAssertEqual(compile("ip.src == foo").components(separatedBy: "\n")[0],
                       #""foo" is not a valid hostname or IPv4 address."#)
        XCTAssertEqual(compile("eth.src == aa:bb:cc:dd:ee").components(separatedBy: "\n")[0],
                       #""aa:bb:cc:dd:ee" contains too few bytes to be a valid Ethernet address."#)
        XCTAssertEqual(compile("frame contains aa.bb.hh").components(separatedBy: "\n")[0],
                       #""aa.bb.hh" is not a valid byte string."#)
        XCTAssertEqual(compile(#"frame.number in {1, "foo"}"#), #"""
            Unsigned integer (4 bytes) cannot be converted from a string ("foo").
                frame.number in {1, "foo"}
                                    ^~~~~
            """#)
        XCTAssertEqual(compile("123 in {ip}").components(separatedBy: "\n")[0],
                       "Only a field may be tested for membership in a set.")
        XCTAssertEqual(compile(#"frame == "00"[1]"#).components(separatedBy: "\n")[0],
                       #"Range is not supported for entity "00""#)
        XCTAssertEqual(compile("ip.proto matches HEAD").components(separatedBy: "\n")[0],
                       "ip.proto (type=Unsigned integer (1 byte)) cannot participate in matches comparison.")
        XCTAssertEqual(compile("frame matches HEAD").components(separatedBy: "\n")[0],
                       "Matches requires a double quoted string on the right side.")
        XCTAssertEqual(compile(#"frame matches "(""#), "Regex compilation error: missing closing parenthesis.")
        XCTAssertEqual(compile("_ws.expert.severity + 1 == 2"), "OK")
        XCTAssertEqual(compile("frame.marked == -1"), """
            FT_BOOLEAN cannot -.
                frame.marked == -1
                                 ^
            """)
        XCTAssertEqual(compile("frame.time_delta == 0x10").components(separatedBy: "\n")[0], #""0x10" is not a valid time."#)
    }

    func testTimeLiterals() {
        XCTAssertEqual(compile(#"frame.time == "Dec 31, 2002 13:55:31.3""#), "OK")
        XCTAssertEqual(compile(#"frame.time == "2002-12-31 13:55:31.3 UTC""#), "OK")
        XCTAssertEqual(compile(#"frame.time == "2002-12-31T13:55:31Z""#), "OK")
        XCTAssertEqual(compile(#"frame.time == "Dec 31, 2002 13:56:31.3 WET""#).components(separatedBy: "\n")[0],
                       "Unexpected data after time value.")
        XCTAssertEqual(compile(#"frame.time == "2002-12-31 13:55.3""#).components(separatedBy: "\n")[0],
                       "Subsecond precision requires a seconds field.")
        XCTAssertEqual(compile(#"frame.time == "mrt 1, 2000 00:00:00""#).components(separatedBy: "\n")[0],
                       #""mrt 1, 2000 00:00:00" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56""#)
    }

    func testFunctionsAreChecked() {
        XCTAssertEqual(compile("foo(1)").components(separatedBy: "\n")[0], "Function 'foo' does not exist")
        XCTAssertEqual(compile("len(frame)").components(separatedBy: "\n")[0], "You cannot test whether a function is present.")
        XCTAssertEqual(compile("upper(tcp.seq) == 4").components(separatedBy: "\n")[0],
                       "Only string type fields can be used as parameter for upper()")
        XCTAssertEqual(compile(#"string(123) == "123""#).components(separatedBy: "\n")[0],
                       "Only fields can be used as parameter for string()")
        XCTAssertEqual(compile("max(tcp.port, ip.src) == 1").components(separatedBy: "\n")[0],
                       "Arguments to 'max' must have the same type (expected FT_UINT16, got FT_IPv4)")
        XCTAssertEqual(compile("max() == 1").components(separatedBy: "\n")[0], "Function max needs at least 1 arguments.")
        XCTAssertEqual(compile("abs(1) == 1").components(separatedBy: "\n")[0], "Need a field or field-like value on the LHS.")
        XCTAssertEqual(compile("udp.dstport == abs(-67)"), "OK")
    }

    func testValueStringsAndBooleans() {
        XCTAssertEqual(compile("tcp.flags.push == True"), "OK")
        XCTAssertEqual(compile("tcp.flags.push == FALSE"), "OK")
        XCTAssertEqual(compile(#"tcp.checksum.status in {"Unverified", "Good"}"#), "OK")
        XCTAssertEqual(compile(#"tcp.checksum.status == "nonexistent""#).components(separatedBy: "\n")[0],
                       #""nonexistent" cannot be found among the possible values for tcp.checksum.status."#)
    }

    func testMacros() throws {
        let m = FilterMacros(fileText: """
            "private_ipv4","$1 == 192.168.0.0/16 or $1 == 172.16.0.0/12 or $1 == 10.0.0.0/8"
            "ip","(ip.src == $1 and tcp.srcport == $2) or (ip.dst == $1 and tcp.dstport == $2)"
            """)
        XCTAssertEqual(try m.expand("${private_ipv4:ip.src}"),
                       "ip.src == 192.168.0.0/16 or ip.src == 172.16.0.0/12 or ip.src == 10.0.0.0/8")
        XCTAssertEqual(try m.expand("${ip:1.2.3.4;80} and tcp"),
                       "(ip.src == 1.2.3.4 and tcp.srcport == 80) or (ip.dst == 1.2.3.4 and tcp.dstport == 80) and tcp")
        XCTAssertEqual(compile("${ip}", macros: m), "wrong number of arguments for macro 'ip', expecting 2 instead of 0")
        XCTAssertEqual(compile("${nope}", macros: m), "macro 'nope' does not exist")
        XCTAssertEqual(compile("${private_ipv4:ip.src", macros: m), "end of filter in the middle of a macro expression")
        XCTAssertEqual(compile("${private_ipv4;ip.src}", macros: m), "invalid character in macro name")
        // Field references pass through: `${frame.number}` is not a macro.
        XCTAssertEqual(compile("frame.number < ${frame.number}", macros: m), "OK")
    }

    func testShippedMacrosCompile() throws {
        let here = URL(fileURLWithPath: #filePath)
        let file = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Filters/dfilter_macros").path
        let m = FilterMacros(fileText: try String(contentsOfFile: file, encoding: .utf8))
        XCTAssertFalse(m.definitions.isEmpty)
        for (name, body) in m.definitions {
            let n = (1...9).filter { body.contains("$\($0)") }.count
            // Some argument kind must make the macro compile (a field, an address, a number).
            let ok = ["ip.src", "10.0.0.1", "25"].contains { arg in
                let call = n == 0 ? "${\(name)}" : "${\(name):\(Array(repeating: arg, count: n).joined(separator: ";"))}"
                return compile(call, macros: m) == "OK"
            }
            XCTAssertTrue(ok, "macro \(name) does not compile")
        }
    }

    func testInterestNamesEveryFieldAndProtocol() throws {
        let f = try DisplayFilter(compiling: "tcp && ip.addr#2 == 1.2.3.4 && len(eth) > 3", registry: registry)
        for name in ["tcp", "ip.addr", "ip", "eth"] {
            XCTAssertTrue(f.fields.contains(registry.lookup(name)!), name)
        }
    }
}
