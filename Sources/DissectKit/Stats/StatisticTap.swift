/// One `-z` statistic: the fields it reads from each packet, the packets themselves, and its
/// report after the last packet.
public protocol StatisticTap: AnyObject {
    /// Fields to build records for (the run's interest).
    var wantedFields: [FieldID] { get }
    /// Counts one displayed packet.
    func add(_ ctx: PacketContext)
    /// The report, in tshark's layout.
    func render(columns: Columns) -> String
}

extension ProtocolHierarchy: StatisticTap {
    public func render(columns: Columns) -> String { render() }
}

extension ExpertStats: StatisticTap {
    public func render(columns: Columns) -> String { render() }
}

extension Conversations: StatisticTap {}

