/// A compiled display filter (`-Y`, `-R`): Wireshark 4.0's language, checked against the field
/// registry before any packet is read, evaluated on each packet's flat field records.
///
///     let f = try DisplayFilter(compiling: "tcp.port in {25, 587} && ip.addr == 10.0.0.0/8",
///                               registry: engine.registry)
///     f.addInterest(to: &interest)           // the dissectors build only what the filter reads
///     engine.dissect(&ctx, …); if f.matches(ctx) { … }
///
/// `matches` reuses one evaluation state: use a filter from one thread at a time (compile one
/// per worker when dissection runs in parallel).
public final class DisplayFilter: @unchecked Sendable {
    /// The filter after macro expansion.
    public let text: String
    /// Every field and protocol the filter reads.
    public let fields: [FieldID]
    /// True when the filter uses `${field}` references (values from the selected frame).
    public var hasReferences: Bool { !referenceProducers.isEmpty }

    private let test: TestClosure?
    private let state: EvalState
    private let referenceProducers: [Producer]

    /// Compiles `text`; throws tshark's error (message and location in the expanded filter).
    public init(compiling text: String, registry: FieldRegistry,
                macros: FilterMacros = FilterMacros()) throws(FilterCompileError) {
        let expanded: String
        do {
            expanded = try macros.expand(text) { name in registry.lookup(name) != nil }
        } catch {
            throw FilterCompileError(error: error, filter: text)
        }
        self.text = expanded
        do {
            var parser = Parser(expanded, registry: registry)
            let ast = try parser.parse()
            var compiler = Compiler(registry: registry)
            test = try ast.map { (t: TestNode) throws(FilterError) -> TestClosure in try compiler.compile(t) }
            var refs: [Producer] = []
            for f in compiler.references { refs.append(compiler.fieldProducer(f)) }
            referenceProducers = refs
            fields = compiler.wanted.sorted()
            state = EvalState(tree: PacketTree(interest: Interest(all: false, registryCount: 0)), references: refs.count)
        } catch {
            throw FilterCompileError(error: error, filter: expanded)
        }
    }

    /// Marks every field the filter reads as wanted.
    public func addInterest(to interest: inout Interest) {
        for f in fields { interest.want(f) }
    }

    /// True when the packet in `ctx` passes the filter (an empty filter passes everything).
    public func matches(_ ctx: PacketContext) -> Bool {
        guard let test else { return true }
        state.tree = ctx.tree
        state.sources = ctx.sources
        return test(state)
    }

    /// Takes the values of the `${field}` references from the packet in `ctx` (the selected frame).
    public func bindReferences(from ctx: PacketContext) {
        state.tree = ctx.tree
        state.sources = ctx.sources
        for (i, p) in referenceProducers.enumerated() {
            var values: [Constant] = []
            _ = p(state) { v in values.append(Constant(copying: v)); return false }
            state.references[i] = values
        }
    }
}

/// A filter that does not compile, with the (macro-expanded) filter text the location refers to.
public struct FilterCompileError: Error, Sendable, Equatable {
    public var error: FilterError
    public var filter: String

    public var message: String { error.message }
    public var location: FilterLocation? { error.location }

    /// tshark's stderr text after "tshark: " — the message, then the filter and a caret line.
    public var rendered: String { error.rendered(filter: filter) }
}
