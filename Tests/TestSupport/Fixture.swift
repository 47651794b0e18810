import DissectKit
import Foundation
import Plugins
import XCTest

/// Paths and in-process runs shared by the tests.
public enum Fixture {
    /// Absolute path of `Tests/Fixtures/<relative>`.
    public static func path(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative } // a file a test wrote
        let here = URL(fileURLWithPath: #filePath) // Tests/TestSupport/Fixture.swift
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    public static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// An engine with every built-in protocol.
    public static func engine(plugins: [any ProtocolPlugin.Type] = []) -> Engine {
        let e = Engine()
        BuiltinPlugins.register(in: e)
        for p in plugins { e.register(p) }
        return e
    }

    /// The packet list `dissect -r` prints (resolver without system files unless asked).
    public static func summary(_ relative: String, prefs: [String] = [], systemNames: Bool = true,
                               plugins: [any ProtocolPlugin.Type] = []) throws -> String {
        try render(relative, prefs: prefs, verbose: false, systemNames: systemNames, plugins: plugins)
    }

    /// The `-V` tree.
    public static func verbose(_ relative: String, prefs: [String] = [], systemNames: Bool = true,
                               plugins: [any ProtocolPlugin.Type] = []) throws -> String {
        try render(relative, prefs: prefs, verbose: true, systemNames: systemNames, plugins: plugins)
    }

    public static func render(_ relative: String, prefs: [String], verbose: Bool, systemNames: Bool,
                              plugins: [any ProtocolPlugin.Type] = []) throws -> String {
        let e = engine(plugins: plugins)
        for p in prefs { if let err = e.preferences.apply(p) { XCTFail(err) } }
        let out = OutputStream.memory()
        let resolver = NameResolver(loadSystemFiles: systemNames)
        e.nameResolver = resolver
        let fmt = FieldFormatter(registry: e.registry, resolver: resolver)
        let summary = SummaryPrinter(out: out, columns: Columns(resolver: resolver))
        let tree = TreePrinter(out: out, formatter: fmt)
        try e.forEachPacket(path: path(relative), interest: verbose ? .everything(e.registry) : .nothing(e.registry)) { ctx in
            if verbose {
                tree.print(ctx)
                out.write("\n")
            } else {
                summary.print(ctx)
            }
        }
        return out.text
    }

    /// `-T fields -e …` values per packet, as printed.
    public static func fields(_ relative: String, _ names: [String], prefs: [String] = []) throws -> [[String]] {
        let e = engine()
        for p in prefs { if let err = e.preferences.apply(p) { XCTFail(err) } }
        let resolver = NameResolver(loadSystemFiles: false)
        e.nameResolver = resolver
        let fmt = FieldFormatter(registry: e.registry, resolver: resolver)
        let out = OutputStream.memory()
        let fp = try FieldsPrinter(out: out, formatter: fmt, columns: Columns(resolver: resolver), fields: names,
                                   options: FieldsPrinter.Options())
        var interest = Interest.nothing(e.registry)
        for id in fp.wantedFields { interest.want(id) }
        try e.forEachPacket(path: path(relative), interest: interest) { ctx in fp.print(ctx) }
        return out.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}

extension FieldsError: LocalizedError {}
